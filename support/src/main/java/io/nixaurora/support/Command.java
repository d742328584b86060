package io.nixaurora.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One program to run, as an immutable value: the one process runner of nix-aurora (Nix, the aurora
 * client, a task's processes). {@link #run()} waits for it; {@link #start()} hands back a {@link
 * RunningCommand}.
 *
 * <p>What every run gets, so that no caller has to remember it: stdin from {@code /dev/null} unless
 * given; stdout and stderr each drained on its own thread until the end (a callback that throws
 * does not stop the draining, so the program never blocks on a full pipe); captured output capped
 * (stdout's head, stderr's tail, where errors are); on timeout, interrupt of the waiting thread or
 * JVM shutdown, the whole process tree stopped (SIGTERM, then SIGKILL after the grace period) and
 * waited for. While the JVM is shutting down no command is started.
 *
 * <pre>{@code
 * CommandResult r =
 *     Command.of(Path.of("/usr/bin/nix-store"), List.of("--version"))
 *         .withTimeout(Duration.ofMinutes(1))
 *         .run();
 * }</pre>
 */
public final class Command {

  /** The default for {@link #withOutputLimit}: 256 MiB of each stream is kept. */
  public static final long DEFAULT_OUTPUT_LIMIT = 256L << 20;

  /** The default for {@link #withGrace}. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  private static final Consumer<String> NO_LINES = line -> {};

  private final List<String> argv;
  private final Map<String, String> environment;
  private final boolean inheritEnvironment;
  private final Optional<Path> directory;
  private final Optional<byte[]> stdin;
  private final Optional<Duration> timeout;
  private final Duration grace;
  private final long outputLimit;
  private final Consumer<String> stdoutLines;
  private final Consumer<String> stderrLines;

  private Command(
      List<String> argv,
      Map<String, String> environment,
      boolean inheritEnvironment,
      Optional<Path> directory,
      Optional<byte[]> stdin,
      Optional<Duration> timeout,
      Duration grace,
      long outputLimit,
      Consumer<String> stdoutLines,
      Consumer<String> stderrLines) {
    this.argv = List.copyOf(argv);
    this.environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    this.inheritEnvironment = inheritEnvironment;
    this.directory = directory;
    this.stdin = stdin;
    this.timeout = timeout;
    this.grace = grace;
    this.outputLimit = outputLimit;
    this.stdoutLines = stdoutLines;
    this.stderrLines = stderrLines;
  }

  /** {@code executable} with {@code args}; no timeout until {@link #withTimeout} gives one. */
  public static Command of(Path executable, List<String> args) {
    Objects.requireNonNull(executable, "executable");
    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.addAll(args);
    return of(argv);
  }

  /** The command line {@code argv}: the program (a path, or a name looked up on PATH) first. */
  public static Command of(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("a command needs a program");
    }
    return new Command(
        argv,
        Map.of(),
        true,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_GRACE,
        DEFAULT_OUTPUT_LIMIT,
        NO_LINES,
        NO_LINES);
  }

  /** This command with {@code extra} set on top of the environment it has. */
  public Command withEnvironment(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(extra);
    return new Command(
        argv,
        env,
        inheritEnvironment,
        directory,
        stdin,
        timeout,
        grace,
        outputLimit,
        stdoutLines,
        stderrLines);
  }

  /** This command with exactly {@code env} as its environment (nothing of this JVM's). */
  public Command withOnlyEnvironment(Map<String, String> env) {
    return new Command(
        argv, env, false, directory, stdin, timeout, grace, outputLimit, stdoutLines, stderrLines);
  }

  /** This command run in {@code dir}. */
  public Command inDirectory(Path dir) {
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        Optional.of(dir),
        stdin,
        timeout,
        grace,
        outputLimit,
        stdoutLines,
        stderrLines);
  }

  /** This command with {@code input} on its stdin (else {@code /dev/null}). */
  public Command withStdin(byte[] input) {
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        directory,
        Optional.of(input.clone()),
        timeout,
        grace,
        outputLimit,
        stdoutLines,
        stderrLines);
  }

  /** This command stopped (as a tree) when it runs longer than {@code limit}. */
  public Command withTimeout(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + limit);
    }
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        directory,
        stdin,
        Optional.of(limit),
        grace,
        outputLimit,
        stdoutLines,
        stderrLines);
  }

  /**
   * How long the program gets after SIGTERM (to stop its own children and remove its temporary
   * files) before the rest of its tree gets SIGTERM and then everything SIGKILL.
   */
  public Command withGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace: must not be negative, got " + grace);
    }
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        directory,
        stdin,
        timeout,
        grace,
        outputLimit,
        stdoutLines,
        stderrLines);
  }

  /**
   * The most bytes of each stream kept in the result (stdout's first, stderr's last); the rest is
   * read and dropped, and the result says so. 0 keeps nothing (for output only streamed).
   */
  public Command withOutputLimit(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("output limit: must not be negative, got " + bytes);
    }
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        directory,
        stdin,
        timeout,
        grace,
        bytes,
        stdoutLines,
        stderrLines);
  }

  /** Each stdout line (without its newline) handed to {@code lines} as it arrives. */
  public Command onStdoutLine(Consumer<String> lines) {
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        directory,
        stdin,
        timeout,
        grace,
        outputLimit,
        Objects.requireNonNull(lines),
        stderrLines);
  }

  /** Each stderr line (without its newline) handed to {@code lines} as it arrives (progress). */
  public Command onStderrLine(Consumer<String> lines) {
    return new Command(
        argv,
        environment,
        inheritEnvironment,
        directory,
        stdin,
        timeout,
        grace,
        outputLimit,
        stdoutLines,
        Objects.requireNonNull(lines));
  }

  /** The command line. */
  public List<String> argv() {
    return argv;
  }

  /** The program, as given. */
  public String program() {
    return argv.get(0);
  }

  /**
   * The variables set for the program (on top of this JVM's unless {@link #inheritsEnvironment}).
   */
  public Map<String, String> environment() {
    return environment;
  }

  public boolean inheritsEnvironment() {
    return inheritEnvironment;
  }

  public Optional<Path> directory() {
    return directory;
  }

  public Optional<Duration> timeout() {
    return timeout;
  }

  public Duration grace() {
    return grace;
  }

  public long outputLimit() {
    return outputLimit;
  }

  Optional<byte[]> stdin() {
    return stdin;
  }

  Consumer<String> stdoutLines() {
    return stdoutLines;
  }

  Consumer<String> stderrLines() {
    return stderrLines;
  }

  /**
   * Starts the program.
   *
   * @throws CommandException.NotStarted when it cannot be started or the JVM is shutting down
   */
  public RunningCommand start() throws CommandException.NotStarted {
    return RunningCommand.start(this);
  }

  /**
   * Runs the program to its end. A non-zero exit is returned, not thrown.
   *
   * @throws CommandException.NotStarted when it cannot be started or the JVM is shutting down
   * @throws CommandException.TimedOut when it ran longer than the timeout (its tree was stopped)
   * @throws CommandException.Interrupted when the calling thread was interrupted (its tree was
   *     stopped; the thread's interrupt flag is set again)
   */
  public CommandResult run() throws CommandException {
    return start().await();
  }

  /** The program and its arguments; never the environment, which may hold secrets. */
  @Override
  public String toString() {
    return String.join(" ", argv);
  }
}
