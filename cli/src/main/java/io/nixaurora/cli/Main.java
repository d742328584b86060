package io.nixaurora.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The {@code nix-aurora} command's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code;
    if (args.length == 1 && args[0].equals("--version")) {
      // The one command scripts run in a loop: answered before any of the command model is built.
      for (String line : VersionProvider.lines()) {
        out.println(line);
      }
      code = 0;
    } else {
      code = execute(Environment.system(), out, err, args);
    }
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command with the given environment and streams, and returns its exit code. Tests call
   * this in-process.
   */
  public static int execute(
      Environment environment, PrintWriter out, PrintWriter err, String... args) {
    CliComponent component =
        DaggerCliComponent.factory().create(environment, Main.class.getClassLoader());
    CommandLine commandLine;
    try {
      commandLine = commandLine(component);
    } catch (CommandLine.InitializationException e) {
      // a bug in the command model, not the user's input
      boolean trace = java.util.Arrays.asList(args).contains("--stacktrace");
      err.println("error: internal error: " + e.getMessage());
      err.println(
          "hint: this is a bug in nix-aurora; rerun with --stacktrace and report the trace");
      if (trace) {
        e.printStackTrace(err);
      }
      err.flush();
      return ErrorReporter.INTERNAL_ERROR;
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command model, with the component's factory and the error handling. */
  static CommandLine commandLine(CliComponent component) {
    CommandLine commandLine = new CommandLine(NixAuroraCommand.class, component.commandFactory());
    ErrorReporter reporter = new ErrorReporter(component.globalOptions());
    commandLine.setExecutionExceptionHandler(reporter);
    commandLine.setParameterExceptionHandler(reporter);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new VersionProvider());
    }
    CommandLine config = commandLine.getSubcommands().get("config");
    String[] description = config.getCommandSpec().usageMessage().description();
    String[] withKeys = java.util.Arrays.copyOf(description, description.length + 1);
    withKeys[description.length] = ConfigCommand.keyTable();
    config.getCommandSpec().usageMessage().description(withKeys);
    return commandLine;
  }
}
