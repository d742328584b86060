package io.nixaurora.cli;

import io.nixaurora.support.ProcessTrees;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * What the running command is doing, so that SIGINT or SIGTERM to the JVM (Ctrl-C, {@code kill})
 * ends with one line saying what was interrupted and in what state things are: for {@code create},
 * whether the submission may have reached the scheduler.
 *
 * <p>The JVM turns the signal into a shutdown; {@link Main} runs {@link #onShutdown} as a shutdown
 * hook. Support's process runner stops the process tree of every program it started (Nix, the
 * aurora client) in its own hook; this one waits for every child of the JVM to end (and kills what
 * is left after a bounded wait), lets the command unwind so its cleanup runs, then prints the line.
 * The exit code stays the JVM's: 130 for SIGINT, 143 for SIGTERM.
 */
@Singleton
public final class Interruption {

  /** How long the children get to end before they are killed. */
  private static final Duration CHILDREN_WAIT = Duration.ofSeconds(15);

  /** How long the command gets to unwind (remove its temporary files) after its children ended. */
  private static final long UNWIND_WAIT_SECONDS = 5;

  private volatile String activity;
  private volatile String programs;
  private volatile String stateIfStopped;
  private volatile boolean exiting;
  private volatile Thread command;
  private final CountDownLatch unwound = new CountDownLatch(1);

  @Inject
  Interruption() {}

  /**
   * Records what the command is doing now ("building examples/web with Nix"), the programs it runs
   * for that ("Nix and its builders", or null) and what is true if it is stopped now ("nothing was
   * written").
   */
  public void doing(String activity, String programs, String stateIfStopped) {
    this.stateIfStopped = stateIfStopped;
    this.programs = programs;
    this.activity = activity;
  }

  /**
   * Stops the command between steps once the JVM is shutting down: nothing new (a push, a
   * submission) is started after a signal.
   */
  public void checkpoint() throws CliException {
    if (jvmShuttingDown()) {
      throw new CliException(130, "interrupted", null);
    }
  }

  /** The command starts on the calling thread. */
  void commandStarted() {
    command = Thread.currentThread();
  }

  /** The command has returned (its cleanup has run). */
  void commandReturned() {
    unwound.countDown();
  }

  /** A normal exit follows: the shutdown it causes is not an interruption. */
  void exiting() {
    exiting = true;
  }

  /**
   * Whether the JVM is shutting down. Once it is, a command's failure is the interruption's doing
   * and is not reported on its own (the hook's line says what happened).
   */
  static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true; // "Shutdown in progress"
    }
  }

  /** The shutdown hook's work; prints nothing on a normal exit or when no command was running. */
  void onShutdown(PrintWriter err) {
    String what = activity;
    String stopped = programs;
    String state = stateIfStopped;
    if (exiting || what == null) {
      return;
    }
    // A step running in Java (a push, an HTTP call) stops at its next wait; its cleanup runs.
    Thread running = command;
    if (running != null) {
      running.interrupt();
    }
    // The backends' own hooks are stopping their process trees at the same time; whatever of the
    // JVM's children is still there is waited for, then killed, so the line below is true.
    ProcessTrees.awaitOrKill(ProcessHandle.current().descendants().toList(), CHILDREN_WAIT);
    boolean clean;
    try {
      clean = unwound.await(UNWIND_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    StringBuilder line = new StringBuilder("nix-aurora: interrupted while ").append(what);
    if (stopped != null) {
      line.append("; stopped ").append(stopped);
    }
    line.append(clean ? "; temporary files removed; " : "; temporary files may remain; ");
    line.append(state);
    err.println(line);
    err.flush();
  }
}
