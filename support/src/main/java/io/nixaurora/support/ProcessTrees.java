package io.nixaurora.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stopping a program together with everything it started, and the programs this JVM runs. When the
 * JVM shuts down (SIGINT or SIGTERM to the JVM alone, or {@code System.exit} from an embedder) a
 * shutdown hook stops every running {@link Command}'s tree, so no program outlives the JVM, and no
 * command is started after that.
 *
 * <p>The state is static because a shutdown hook is: there is one JVM to outlive.
 */
public final class ProcessTrees {

  /** How long the rest of a tree gets after SIGTERM before SIGKILL. */
  private static final Duration TREE_GRACE = Duration.ofSeconds(2);

  /** How long SIGKILLed processes are waited for (the kernel ends them at once). */
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final Set<RunningCommand> LIVE = ConcurrentHashMap.newKeySet();
  // Set once, by the shutdown hook; read and set under LIVE's lock.
  private static final AtomicBoolean STOPPING = new AtomicBoolean();

  static {
    try {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ProcessTrees::stopAllLive, "nix-aurora-stop-programs"));
    } catch (IllegalStateException e) {
      // First used while the JVM is already shutting down: nothing may be started any more.
      STOPPING.set(true);
    }
  }

  private ProcessTrees() {}

  /** Starts a program through {@code starter} unless the JVM is shutting down, and tracks it. */
  static <T extends RunningCommand> T track(Starter<T> starter) throws CommandException.NotStarted {
    synchronized (LIVE) {
      if (STOPPING.get()) {
        throw new CommandException.NotStarted("not started: the JVM is shutting down", true, null);
      }
      T running = starter.start();
      LIVE.add(running);
      return running;
    }
  }

  @FunctionalInterface
  interface Starter<T> {
    T start() throws CommandException.NotStarted;
  }

  static void untrack(RunningCommand running) {
    LIVE.remove(running);
  }

  private static void stopAllLive() {
    List<RunningCommand> running;
    synchronized (LIVE) {
      STOPPING.set(true);
      running = new ArrayList<>(LIVE);
    }
    stopAll(running);
  }

  /**
   * Stops each of {@code commands} as {@link RunningCommand#stop} does, all at the same time (each
   * with its own grace), and returns when all have ended.
   */
  public static void stopAll(Collection<RunningCommand> commands) {
    List<Thread> stoppers = new ArrayList<>();
    for (RunningCommand r : commands) {
      Thread t = new Thread(r::stop, "stop-" + r.pid());
      t.start();
      stoppers.add(t);
    }
    boolean interrupted = false;
    for (Thread t : stoppers) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          // The trees are being stopped either way; wait for that, then keep the flag.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops {@code root} and everything it started, and waits for them: SIGTERM to {@code root} first
   * (Nix then stops its builders and removes its build directories), up to {@code grace} for it to
   * end, then SIGTERM and at last SIGKILL to whatever of the tree is left. The descendants are
   * taken before anything is signalled: once a parent dies, its orphans are no longer its
   * descendants.
   */
  public static void stop(ProcessHandle root, Duration grace) {
    List<ProcessHandle> descendants = root.descendants().toList();
    root.destroy();
    awaitExit(root, System.nanoTime() + grace.toNanos());
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    long treeDeadline = System.nanoTime() + Math.min(grace.toNanos(), TREE_GRACE.toNanos());
    for (ProcessHandle h : descendants) {
      awaitExit(h, treeDeadline);
    }
    List<ProcessHandle> tree = new ArrayList<>(descendants);
    tree.add(0, root);
    // Children started between the snapshot and SIGTERM are taken too.
    tree.addAll(root.descendants().toList());
    killAndWait(tree);
  }

  /**
   * Waits up to {@code wait} for each of {@code handles} to end, then SIGKILLs what is left and
   * waits for that; for a caller whose programs were told to stop elsewhere (the JVM's children at
   * shutdown).
   */
  public static void awaitOrKill(List<ProcessHandle> handles, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    for (ProcessHandle h : handles) {
      awaitExit(h, deadline);
    }
    killAndWait(handles);
  }

  private static void killAndWait(List<ProcessHandle> handles) {
    handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    for (ProcessHandle h : handles) {
      awaitExit(h, deadline);
    }
  }

  private static void awaitExit(ProcessHandle handle, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0 || !handle.isAlive()) {
      return;
    }
    try {
      handle.onExit().get(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Keep stopping (the tree must not outlive us); the caller sees the flag.
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still alive: the next step is harder
    }
  }
}
