package io.nixaurora.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs nix-aurora in-process through picocli with captured streams, in a working directory and home
 * of the test's own.
 */
final class Cli {

  /** What one command did. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  final Path workingDirectory;
  final Path home;
  final Map<String, String> variables = new HashMap<>(System.getenv());

  Cli(Path root) throws IOException {
    this.workingDirectory = Files.createDirectories(root.resolve("work"));
    this.home = Files.createDirectories(root.resolve("home"));
    variables.remove("XDG_CONFIG_HOME");
    variables.remove("XDG_STATE_HOME");
    variables.remove("NIX_REMOTE");
    variables.put("HOME", home.toString());
  }

  Environment environment() {
    return new Environment(workingDirectory, home, variables, false);
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(environment(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Writes {@code nix-aurora.json} in the working directory. */
  Path config(String json) throws IOException {
    return Files.writeString(workingDirectory.resolve("nix-aurora.json"), json);
  }
}
