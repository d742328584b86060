package io.nixaurora.nix.local;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Nix processes this JVM has started and not yet seen end. When the JVM shuts down (SIGINT or
 * SIGTERM to the JVM alone, or {@code System.exit} from an embedder) a shutdown hook stops each of
 * them as a tree, so no {@code nix-build} or builder outlives the JVM and Nix removes its own
 * temporary build directories. After that no new Nix process is started.
 *
 * <p>The state is static because a shutdown hook is: there is one JVM to outlive.
 */
final class LiveProcesses {

  /**
   * How long {@code nix-build} gets after SIGTERM to stop its builders and remove its temp dirs.
   */
  static final Duration GRACE = Duration.ofSeconds(5);

  /** How long the rest of the tree gets after SIGTERM before SIGKILL. */
  private static final Duration TREE_GRACE = Duration.ofSeconds(2);

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  // Set once, by the shutdown hook; read and set under LIVE's lock.
  private static final AtomicBoolean STOPPING = new AtomicBoolean();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(LiveProcesses::stopAll, "nix-aurora-stop-nix"));
  }

  private LiveProcesses() {}

  /**
   * Starts {@code pb} and tracks the process until {@link #done}.
   *
   * @throws IOException when it cannot be started, or the JVM is shutting down
   */
  static Process start(ProcessBuilder pb) throws IOException {
    synchronized (LIVE) {
      if (STOPPING.get()) {
        throw new IOException("not started: nix-aurora is being stopped");
      }
      Process process = pb.start();
      LIVE.add(process);
      return process;
    }
  }

  /** Forgets a process that has ended. */
  static void done(Process process) {
    LIVE.remove(process);
  }

  /** Stops {@code process} and everything it started; waits a bounded time. */
  static void stop(Process process) {
    stopTrees(List.of(process));
    LIVE.remove(process);
  }

  private static void stopAll() {
    List<Process> running;
    synchronized (LIVE) {
      STOPPING.set(true);
      running = new ArrayList<>(LIVE);
    }
    stopTrees(running);
  }

  /**
   * SIGTERM to each process first (Nix then stops its builders and removes its build directories),
   * then SIGTERM and at last SIGKILL to whatever of the trees is left. The descendants are taken
   * before anything is signalled: once a parent dies, its orphans are no longer its descendants.
   */
  private static void stopTrees(List<Process> processes) {
    List<ProcessHandle> descendants = new ArrayList<>();
    for (Process p : processes) {
      descendants.addAll(p.descendants().toList());
    }
    processes.forEach(Process::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (Process p : processes) {
      awaitExit(p.toHandle(), deadline);
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    long treeDeadline = System.nanoTime() + TREE_GRACE.toNanos();
    for (ProcessHandle h : descendants) {
      awaitExit(h, treeDeadline);
    }
    processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void awaitExit(ProcessHandle handle, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0 || !handle.isAlive()) {
      return;
    }
    try {
      handle.onExit().get(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still alive: the next step is harder
    }
  }
}
