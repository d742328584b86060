package io.nixaurora.nix.local;

import io.nixaurora.api.NixException;
import io.nixaurora.support.Command;
import io.nixaurora.support.CommandException;
import io.nixaurora.support.CommandResult;
import io.nixaurora.support.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one way nix-aurora runs Nix. Every Nix command goes through here, with the configured Nix bin
 * directory and environment ({@code NIX_REMOTE}, a chroot {@code --store}, …).
 */
public final class NixRunner {

  /**
   * The version of each Nix bin directory, asked once per run: every runner for the same directory
   * (the CLI makes several) shares the answer.
   */
  private static final java.util.concurrent.ConcurrentMap<Path, NixVersion> VERSIONS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * How long one Nix command may run unless {@link #withTimeout} says otherwise: long enough for a
   * large build, bounded so that a hung {@code nix-build} (a stuck substituter, a lock never
   * released) does not hang the caller for ever.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(12);

  /**
   * How long {@code nix-build} gets after SIGTERM to stop its builders and remove its temp dirs.
   */
  static final Duration GRACE = Duration.ofSeconds(5);

  private final Path binDirectory;
  private final Map<String, String> environment;
  private final Duration timeout;

  /**
   * @param binDirectory the directory holding {@code nix-build}, {@code nix-store} and {@code nix}
   * @param environment variables to set for every Nix command (such as {@code NIX_REMOTE=daemon})
   */
  public NixRunner(Path binDirectory, Map<String, String> environment) {
    this(binDirectory, environment, DEFAULT_TIMEOUT);
  }

  private NixRunner(Path binDirectory, Map<String, String> environment, Duration timeout) {
    this.binDirectory = Objects.requireNonNull(binDirectory, "binDirectory");
    this.environment = Map.copyOf(environment);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
    }
  }

  /** A runner whose every Nix command is stopped (with its builders) after {@code limit}. */
  public NixRunner withTimeout(Duration limit) {
    return new NixRunner(binDirectory, environment, limit);
  }

  /** How long one Nix command may run. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * A runner for the Nix found on {@code PATH} (else {@code /usr/bin}), with no extra environment.
   */
  public static NixRunner onPath() {
    return new NixRunner(findBinDirectory(), Map.of());
  }

  /** The directory of {@code nix-store} on {@code PATH}, or {@code /usr/bin} when there is none. */
  public static Path findBinDirectory() {
    return Executables.onPath("nix-store", System.getenv("PATH"))
        .map(Path::getParent)
        .orElse(Path.of("/usr/bin"));
  }

  /** The Nix bin directory. */
  public Path binDirectory() {
    return binDirectory;
  }

  /**
   * The version of this Nix ({@code nix-store --version}), asked once per bin directory and run.
   *
   * @throws NixException when Nix is missing or names no version
   */
  public NixVersion version() throws NixException {
    NixVersion known = VERSIONS.get(binDirectory);
    if (known != null) {
      return known;
    }
    String out = run("nix-store", List.of("--version")).stdoutText();
    NixVersion version;
    try {
      version = NixVersion.parse(out);
    } catch (IllegalArgumentException e) {
      throw new NixException(
          binDirectory.resolve("nix-store") + " --version: " + e.getMessage(), e);
    }
    VERSIONS.putIfAbsent(binDirectory, version);
    return version;
  }

  /** The extra environment every Nix command gets. */
  public Map<String, String> environment() {
    return environment;
  }

  /** A runner with {@code extra} added to the environment. */
  public NixRunner withEnvironment(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(extra);
    return new NixRunner(binDirectory, env, timeout);
  }

  /** What a finished Nix command printed. */
  public record Result(byte[] stdout, String stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs {@code tool} (such as {@code nix-store}) with {@code args}; fails with Nix's error when it
   * exits non-zero.
   */
  public Result run(String tool, List<String> args) throws NixException {
    return run(tool, args, null, line -> {});
  }

  /**
   * Runs {@code tool} with {@code args}, feeding each stderr line to {@code stderrLines} as it
   * arrives (for progress), and {@code workingDirectory} as the working directory when not null.
   * The command runs through support's {@link Command}: both streams are drained on their own
   * threads to the end, and on the runner's timeout, an interrupt of the calling thread or a JVM
   * shutdown (SIGINT/SIGTERM) the Nix process gets SIGTERM first, so that it stops its builders and
   * removes its build directories, then its whole tree is stopped and waited for.
   *
   * @throws NixException with Nix's {@code error:} message when the command exits non-zero
   */
  public Result run(
      String tool, List<String> args, Path workingDirectory, Consumer<String> stderrLines)
      throws NixException {
    Path executable = binDirectory.resolve(tool);
    if (!Files.isExecutable(executable)) {
      throw new NixException(
          "Nix is not installed: "
              + executable
              + " is missing (install Nix, e.g. `apt-get install nix-bin`, or set the Nix bin directory)",
          null,
          false);
    }
    Command command =
        Command.of(executable, args)
            .withEnvironment(environment)
            .withTimeout(timeout)
            .withGrace(GRACE)
            .onStderrLine(stderrLines);
    if (workingDirectory != null) {
      command = command.inDirectory(workingDirectory);
    }
    CommandResult result;
    try {
      result = command.run();
    } catch (CommandException.NotStarted e) {
      String why =
          e.shuttingDown()
              ? "not started: nix-aurora is being stopped"
              : e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      throw new NixException("cannot run " + executable + ": " + why, e);
    } catch (CommandException.Interrupted e) {
      throw new NixException(tool + " was interrupted", e);
    } catch (CommandException.TimedOut e) {
      String said = e.partialStderr().strip();
      throw new NixException(
          tool
              + " did not finish within "
              + (timeout.toSeconds() % 60 == 0
                  ? timeout.toMinutes() + " min"
                  : timeout.toSeconds() + " s")
              + " and was stopped"
              + (said.isEmpty() ? "" : "; its last words: " + tail(said)),
          e);
    } catch (CommandException e) {
      throw new NixException(tool + ": " + e.getMessage(), e);
    }
    if (result.stdoutTruncated()) {
      throw new NixException(
          tool + " printed more than " + (Command.DEFAULT_OUTPUT_LIMIT >> 20) + " MiB", null);
    }
    String err = result.stderrText();
    if (result.exitCode() != 0) {
      throw NixErrors.from(tool, result.exitCode(), err);
    }
    return new Result(result.stdout(), err);
  }

  /** The last lines of a long text (Nix's error comes last). */
  private static String tail(String text) {
    int max = 2000;
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }
}
