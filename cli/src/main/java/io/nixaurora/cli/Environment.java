package io.nixaurora.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the command reads from the process it runs in: working directory, home, environment
 * variables and whether stderr is a terminal. Tests pass their own.
 *
 * @param workingDirectory relative paths on the command line are resolved here
 * @param home the user's home directory (configuration and state live under it)
 * @param variables the environment variables
 * @param terminal whether stderr is an interactive terminal (progress is drawn only then)
 */
public record Environment(
    Path workingDirectory, Path home, Map<String, String> variables, boolean terminal) {

  public Environment {
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(home, "home");
    variables = Map.copyOf(variables);
  }

  /** The environment of this JVM. */
  public static Environment system() {
    // The launcher says whether stderr (where progress goes) is a terminal; System.console() only
    // knows about stdin and stdout, which `build > job.json` redirects.
    String tty = System.getProperty("nixaurora.stderr.tty");
    boolean terminal =
        (tty != null ? Boolean.parseBoolean(tty) : System.console() != null)
            && !"dumb".equals(System.getenv().getOrDefault("TERM", "dumb"));
    // $HOME first, as the aurora client, Nix and curl read ~/.netrc and ~/.aurora.
    String home = System.getenv("HOME");
    return new Environment(
        Path.of("").toAbsolutePath(),
        Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")),
        System.getenv(),
        terminal);
  }

  /** A variable, if set and non-empty. */
  public Optional<String> variable(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Resolves a path from the command line against the working directory. */
  public Path resolve(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return home.resolve(path.substring(Math.min(2, path.length())));
    }
    return workingDirectory.resolve(path).normalize();
  }

  /** {@code $XDG_CONFIG_HOME/nix-aurora}, else {@code ~/.config/nix-aurora}. */
  public Path configDirectory() {
    return variable("XDG_CONFIG_HOME")
        .map(Path::of)
        .orElse(home.resolve(".config"))
        .resolve("nix-aurora");
  }

  /** {@code $XDG_STATE_HOME/nix-aurora}, else {@code ~/.local/state/nix-aurora}. */
  public Path stateDirectory() {
    return variable("XDG_STATE_HOME")
        .map(Path::of)
        .orElse(home.resolve(".local/state"))
        .resolve("nix-aurora");
  }
}
