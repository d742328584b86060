package io.nixaurora.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

  private Command(Fields f) {
    this.argv = List.copyOf(f.argv);
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(f.environment));
    this.inheritEnvironment = f.inheritEnvironment;
    this.directory = f.directory;
    this.stdin = f.stdin;
    this.timeout = f.timeout;
    this.grace = f.grace;
    this.outputLimit = f.outputLimit;
    this.stdoutLines = f.stdoutLines;
    this.stderrLines = f.stderrLines;
  }

  /** The fields of a command being derived from another; only ever local to one call. */
  private static final class Fields {
    List<String> argv;
    Map<String, String> environment = Map.of();
    boolean inheritEnvironment = true;
    Optional<Path> directory = Optional.empty();
    Optional<byte[]> stdin = Optional.empty();
    Optional<Duration> timeout = Optional.empty();
    Duration grace = DEFAULT_GRACE;
    long outputLimit = DEFAULT_OUTPUT_LIMIT;
    Consumer<String> stdoutLines = NO_LINES;
    Consumer<String> stderrLines = NO_LINES;
  }

  /** This command with {@code change} made to a copy of its fields. */
  private Command with(Consumer<Fields> change) {
    Fields f = new Fields();
    f.argv = argv;
    f.environment = environment;
    f.inheritEnvironment = inheritEnvironment;
    f.directory = directory;
    f.stdin = stdin;
    f.timeout = timeout;
    f.grace = grace;
    f.outputLimit = outputLimit;
    f.stdoutLines = stdoutLines;
    f.stderrLines = stderrLines;
    change.accept(f);
    return new Command(f);
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
    Fields f = new Fields();
    f.argv = argv;
    return new Command(f);
  }

  /** This command with {@code extra} set on top of the environment it has. */
  public Command withEnvironment(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(extra);
    return with(f -> f.environment = env);
  }

  /** This command with exactly {@code env} as its environment (nothing of this JVM's). */
  public Command withOnlyEnvironment(Map<String, String> env) {
    return with(
        f -> {
          f.environment = env;
          f.inheritEnvironment = false;
        });
  }

  /** This command run in {@code dir}. */
  public Command inDirectory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return with(f -> f.directory = Optional.of(dir));
  }

  /** This command with {@code input} on its stdin (else {@code /dev/null}). */
  public Command withStdin(byte[] input) {
    byte[] copy = input.clone();
    return with(f -> f.stdin = Optional.of(copy));
  }

  /** This command stopped (as a tree) when it runs longer than {@code limit}. */
  public Command withTimeout(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + limit);
    }
    return with(f -> f.timeout = Optional.of(limit));
  }

  /**
   * How long the program gets after SIGTERM (to stop its own children and remove its temporary
   * files) before the rest of its tree gets SIGTERM and then everything SIGKILL.
   */
  public Command withGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace: must not be negative, got " + grace);
    }
    return with(f -> f.grace = grace);
  }

  /**
   * The most bytes of each stream kept in the result (stdout's first, stderr's last); the rest is
   * read and dropped, and the result says so. 0 keeps nothing (for output only streamed).
   */
  public Command withOutputLimit(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("output limit: must not be negative, got " + bytes);
    }
    return with(f -> f.outputLimit = bytes);
  }

  /** Each stdout line (without its newline) handed to {@code lines} as it arrives. */
  public Command onStdoutLine(Consumer<String> lines) {
    Objects.requireNonNull(lines, "lines");
    return with(f -> f.stdoutLines = lines);
  }

  /** Each stderr line (without its newline) handed to {@code lines} as it arrives (progress). */
  public Command onStderrLine(Consumer<String> lines) {
    Objects.requireNonNull(lines, "lines");
    return with(f -> f.stderrLines = lines);
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
