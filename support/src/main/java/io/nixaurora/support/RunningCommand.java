package io.nixaurora.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A started {@link Command}: wait for it with {@link #await}, or {@link #stop} it. */
public final class RunningCommand {

  /**
   * How long the output is waited for after the program ended: a child it left behind may hold its
   * pipes open, and must not hold the caller too.
   */
  private static final Duration OUTPUT_LINGER = Duration.ofSeconds(5);

  /**
   * As {@link #OUTPUT_LINGER}, after the program was stopped: its tree is gone, so its pipes close
   * at once unless something escaped the tree, which must not hold a Ctrl-C for long.
   */
  private static final Duration STOPPED_OUTPUT_LINGER = Duration.ofSeconds(1);

  private final Command command;
  private final Process process;
  private final OutputDrain stdout;
  private final OutputDrain stderr;
  private final long deadline;
  private final boolean hasDeadline;

  private RunningCommand(Command command, Process process, long startNanos) {
    this.command = command;
    this.process = process;
    this.hasDeadline = command.timeout().isPresent();
    this.deadline = startNanos + command.timeout().map(Duration::toNanos).orElse(0L);
    String name = new File(command.program()).getName() + "-" + process.pid();
    this.stdout =
        new OutputDrain(
            process.getInputStream(),
            command.outputLimit(),
            false,
            command.stdoutLines(),
            name + "-stdout");
    this.stderr =
        new OutputDrain(
            process.getErrorStream(),
            command.outputLimit(),
            true,
            command.stderrLines(),
            name + "-stderr");
  }

  static RunningCommand start(Command command) throws CommandException.NotStarted {
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    if (!command.inheritsEnvironment()) {
      pb.environment().clear();
    }
    pb.environment().putAll(command.environment());
    command.directory().ifPresent(d -> pb.directory(d.toFile()));
    if (command.stdin().isEmpty()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    RunningCommand running =
        ProcessTrees.track(
            () -> {
              long start = System.nanoTime();
              try {
                return new RunningCommand(command, pb.start(), start);
              } catch (IOException e) {
                throw new CommandException.NotStarted(
                    "cannot run " + command.program() + ": " + e.getMessage(), false, e);
              }
            });
    running.stdout.start();
    running.stderr.start();
    command.stdin().ifPresent(running::feed);
    running.process.onExit().thenRun(() -> ProcessTrees.untrack(running));
    return running;
  }

  /** Writes {@code input} to stdin on its own thread (the program may read it slowly or never). */
  private void feed(byte[] input) {
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream in = process.getOutputStream()) {
                in.write(input);
              } catch (IOException e) {
                // The program closed its stdin or ended: what it did not read, it did not want.
              }
            },
            new File(command.program()).getName() + "-" + process.pid() + "-stdin");
    writer.setDaemon(true);
    writer.start();
  }

  /** The command this runs. */
  public Command command() {
    return command;
  }

  /** The program's process id. */
  public long pid() {
    return process.pid();
  }

  /** The program's process (its children are {@code toHandle().descendants()}). */
  public ProcessHandle toHandle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes with the exit code when the program ends (its output may still be arriving). */
  public CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /**
   * Waits for the program to end, at most until its timeout, and for its output.
   *
   * @throws CommandException.TimedOut when the timeout passed first; the tree was stopped
   * @throws CommandException.Interrupted when this thread was interrupted; the tree was stopped and
   *     the interrupt flag is set again
   */
  public CommandResult await() throws CommandException {
    try {
      if (hasDeadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
          stopAndDrain();
          throw new CommandException.TimedOut(
              command.program()
                  + " did not finish within "
                  + seconds(command.timeout().orElseThrow())
                  + " and was stopped",
              stderr.kept());
        }
      } else {
        process.waitFor();
      }
    } catch (InterruptedException e) {
      stopAndDrain();
      Thread.currentThread().interrupt();
      throw new CommandException.Interrupted(
          command.program() + " was interrupted and stopped", stderr.kept(), e);
    }
    return finished();
  }

  /**
   * Stops the tree, then waits briefly for the rest of its output: what it printed while it was
   * being stopped (Nix's last error, a SIGTERM handler's words) is still in the pipe when the
   * process ends, and the exception's stderr must hold it.
   */
  private void stopAndDrain() {
    stop();
    awaitOutput(STOPPED_OUTPUT_LINGER.toMillis());
  }

  /** The result of an ended program, once its output has ended (or lingered too long). */
  private CommandResult finished() {
    long linger = OUTPUT_LINGER.toMillis();
    if (hasDeadline) {
      linger = Math.min(linger, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    awaitOutput(linger);
    rethrow(stdout.failure());
    rethrow(stderr.failure());
    return new CommandResult(
        process.exitValue(), stdout.kept(), stderr.kept(), stdout.truncated(), stderr.truncated());
  }

  /** Waits at most {@code millis} for the end of both streams of an ended program. */
  private void awaitOutput(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      stdout.join(millis);
      stderr.join((until - System.nanoTime()) / 1_000_000);
    } catch (InterruptedException e) {
      // The program has ended; what was read is the answer.
      Thread.currentThread().interrupt();
    }
  }

  /** A line handler's failure, surfaced on the caller's thread rather than lost with the drain. */
  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  /**
   * Waits until the program (a server) accepts connections on {@code host:port}, for at most {@code
   * within}; a program that ends first, or does not listen in time, is stopped.
   *
   * @throws CommandException.NotStarted naming the address, with what the program printed on stderr
   * @throws CommandException.Interrupted when this thread was interrupted (the program is stopped)
   */
  public void awaitListening(String host, int port, Duration within) throws CommandException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try (Socket s = new Socket(host, port)) {
        return;
      } catch (IOException e) {
        boolean ended = !process.isAlive();
        if (ended || System.nanoTime() > deadline) {
          stop();
          awaitOutput(OUTPUT_LINGER.toMillis()); // its last words say why
          throw new CommandException.NotStarted(
              command.program()
                  + (ended ? " ended before it listened on " : " did not listen on ")
                  + host
                  + ":"
                  + port
                  + " within "
                  + seconds(within)
                  + ": "
                  + (new String(stdout.kept(), java.nio.charset.StandardCharsets.UTF_8)
                          + new String(stderr.kept(), java.nio.charset.StandardCharsets.UTF_8))
                      .strip(),
              false,
              e);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        stop();
        Thread.currentThread().interrupt();
        throw new CommandException.Interrupted(
            command.program() + " was interrupted and stopped", stderr.kept(), e);
      }
    }
  }

  /**
   * Stops the program and everything it started (SIGTERM, the command's grace, SIGKILL) and waits
   * for them to end. Does nothing for a program that has ended and left no children.
   */
  public void stop() {
    ProcessTrees.stop(process.toHandle(), command.grace());
    ProcessTrees.untrack(this);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Override
  public String toString() {
    return "RunningCommand[pid=" + process.pid() + ", " + command + "]";
  }
}
