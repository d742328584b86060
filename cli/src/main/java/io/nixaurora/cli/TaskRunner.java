package io.nixaurora.cli;

import io.nixaurora.support.Command;
import io.nixaurora.support.CommandException;
import io.nixaurora.support.ProcessTrees;
import io.nixaurora.support.RunningCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a task on this machine the way the Thermos runner does (docs/aurora-spec.md §7): each
 * process as {@code /bin/bash -c <cmdline>} in the sandbox (working directory and HOME), with a
 * cleared environment but PATH; order constraints; {@code max_failures}, {@code daemon}, {@code
 * ephemeral}, {@code min_duration}; final processes after the others; a process's output printed
 * with its name in front (and kept under {@code .logs/<process>/<run>/}, as Thermos keeps it).
 */
final class TaskRunner {

  /** Thermos's cap on runs of one process ({@code CappedTaskPlanner.TOTAL_RUN_LIMIT}). */
  static final int RUN_LIMIT = 100;

  /** How long processes get between SIGTERM and SIGKILL. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(3);

  enum State {
    WAITING,
    RUNNING,
    SUCCESS,
    FAILED,
    KILLED
  }

  /** The outcome of the task. */
  enum Outcome {
    SUCCESS,
    FAILED,
    INTERRUPTED
  }

  private final class Run {
    final ThermosPlan.Proc proc;
    State state = State.WAITING;
    int failures;
    int runs;
    long lastStart = Long.MIN_VALUE;
    RunningCommand process;

    Run(ThermosPlan.Proc proc) {
      this.proc = proc;
    }

    /** Finished as far as dependents are concerned. */
    boolean finished() {
      return state == State.SUCCESS || (proc.ephemeral() && state == State.FAILED);
    }

    boolean done() {
      return state == State.SUCCESS || state == State.FAILED || state == State.KILLED;
    }

    long nextStart() {
      return lastStart == Long.MIN_VALUE ? 0 : lastStart + proc.minDuration() * 1000L;
    }
  }

  private record Exit(Run run, int code) {}

  private final ThermosPlan plan;
  private final Path sandbox;
  private final Map<String, String> environment;
  private final Map<String, String> cmdlines;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final LinkedBlockingQueue<Exit> exits = new LinkedBlockingQueue<>();

  /** Every process started, to wait for the end of its output. */
  private final List<RunningCommand> started = new ArrayList<>();

  /** The Thermos-style log files being written, closed once the output has ended. */
  private final List<OutputStream> logFiles = new ArrayList<>();

  private final int width;
  private final boolean quiet;
  private volatile boolean stopping;

  /**
   * @param cmdlines each process's cmdline with its templates bound
   * @param environment the whole environment of every process (PATH, HOME, USER, LOGNAME)
   */
  TaskRunner(
      ThermosPlan plan,
      Map<String, String> cmdlines,
      Path sandbox,
      Map<String, String> environment,
      PrintWriter out,
      PrintWriter err,
      boolean quiet) {
    this.quiet = quiet;
    this.plan = plan;
    this.cmdlines = cmdlines;
    this.sandbox = sandbox;
    this.environment = environment;
    this.out = out;
    this.err = err;
    plan.processes().forEach(p -> runs.put(p.name(), new Run(p)));
    this.width = plan.processes().stream().mapToInt(p -> p.name().length()).max().orElse(4);
  }

  /** Runs the task to its end; an interrupt (Ctrl-C) stops every process. */
  Outcome run() {
    try {
      Outcome regular = phase(false, Long.MAX_VALUE);
      stopAll(); // CLEANING: leftovers (ephemeral, daemons) get SIGTERM
      long deadline = System.currentTimeMillis() + plan.finalizationWait() * 1000L;
      phase(true, deadline);
      stopAll();
      return regular;
    } catch (InterruptedException e) {
      stopAll();
      return Outcome.INTERRUPTED;
    } finally {
      finishOutput();
    }
  }

  /**
   * Marks the run as stopping (Ctrl-C): from now on an exiting process was stopped, not failed,
   * even when the terminal's SIGINT reached it before the runner noticed.
   */
  void stop() {
    stopping = true;
  }

  /** The states of the processes, for the summary. */
  Map<String, State> states() {
    Map<String, State> out = new LinkedHashMap<>();
    runs.forEach((k, v) -> out.put(k, v.state));
    return out;
  }

  private Outcome phase(boolean finals, long deadline) throws InterruptedException {
    List<Run> members = runs.values().stream().filter(r -> r.proc.isFinal() == finals).toList();
    if (members.isEmpty()) {
      return Outcome.SUCCESS;
    }
    while (true) {
      if (stopping) {
        throw new InterruptedException("stopping");
      }
      long now = System.currentTimeMillis();
      if (now >= deadline) {
        note("finalization_wait of " + plan.finalizationWait() + " s is over");
        return Outcome.FAILED;
      }
      int running = (int) members.stream().filter(r -> r.state == State.RUNNING).count();
      long wake = deadline;
      for (Run r : members) {
        if (r.state != State.WAITING || !dependenciesFinished(r)) {
          continue;
        }
        if (plan.maxConcurrency() > 0 && running >= plan.maxConcurrency()) {
          break;
        }
        if (r.nextStart() > now) {
          wake = Math.min(wake, r.nextStart());
          continue;
        }
        start(r);
        running++;
      }
      long failed =
          members.stream().filter(r -> r.state == State.FAILED && !r.proc.ephemeral()).count();
      if (!finals && plan.maxFailures() > 0 && failed >= plan.maxFailures()) {
        return Outcome.FAILED;
      }
      boolean complete = members.stream().filter(r -> !r.proc.ephemeral()).allMatch(Run::done);
      if (complete) {
        return failed == 0 || (plan.maxFailures() == 0 || failed < plan.maxFailures())
            ? Outcome.SUCCESS
            : Outcome.FAILED;
      }
      boolean canProgress =
          members.stream()
              .anyMatch(r -> r.state == State.RUNNING || (r.state == State.WAITING && !blocked(r)));
      if (!canProgress) {
        note("deadlocked: the remaining processes wait for processes that failed");
        return Outcome.FAILED;
      }
      long timeout = Math.max(1, Math.min(wake, deadline) - System.currentTimeMillis());
      Exit exit = exits.poll(Math.min(timeout, 1000), TimeUnit.MILLISECONDS);
      if (exit != null) {
        exited(exit);
      }
    }
  }

  private boolean dependenciesFinished(Run r) {
    return plan.dependencies().get(r.proc.name()).stream().allMatch(d -> runs.get(d).finished());
  }

  /** A waiting process whose dependency ended without finishing can never start. */
  private boolean blocked(Run r) {
    for (String d : plan.dependencies().get(r.proc.name())) {
      Run dep = runs.get(d);
      if ((dep.done() && !dep.finished()) || blocked(dep)) {
        return true;
      }
    }
    return false;
  }

  private void start(Run r) throws InterruptedException {
    r.runs++;
    r.lastStart = System.currentTimeMillis();
    Path logs = sandbox.resolve(".logs").resolve(r.proc.name()).resolve(String.valueOf(r.runs - 1));
    String prefix = String.format("%-" + width + "s | ", r.proc.name());
    try {
      Files.createDirectories(logs);
      Command command =
          Command.of(List.of("/bin/bash", "-c", cmdlines.get(r.proc.name())))
              .inDirectory(sandbox)
              .withOnlyEnvironment(environment)
              .withGrace(KILL_GRACE)
              .withOutputLimit(0) // printed and logged as it comes, not kept
              .onStdoutLine(printer(prefix, out, logFile(logs.resolve("stdout"))))
              .onStderrLine(printer(prefix, err, logFile(logs.resolve("stderr"))));
      r.process = command.start();
    } catch (IOException | CommandException.NotStarted e) {
      note(r.proc.name() + ": cannot start /bin/bash: " + e.getMessage());
      r.state = State.FAILED;
      r.failures++;
      return;
    }
    started.add(r.process);
    r.state = State.RUNNING;
    note("starting " + r.proc.name() + (r.runs > 1 ? " (run " + r.runs + ")" : ""));
    r.process.onExit().thenAccept(code -> exits.add(new Exit(r, code)));
  }

  private void exited(Exit exit) {
    Run r = exit.run();
    r.process = null;
    if (r.state != State.RUNNING) {
      return;
    }
    int code = exit.code();
    ThermosPlan.Proc p = r.proc;
    if (code != 0 && !stopping) {
      // Ctrl-C reaches the processes and the JVM at once; give the JVM's hook a moment to say
      // so, so that a process stopped by it is not counted as a failure.
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (stopping || Thread.currentThread().isInterrupted()) {
      r.state = State.KILLED;
      note(p.name() + " stopped");
      return;
    }
    if (code == 0) {
      if (p.daemon() && r.runs < RUN_LIMIT) {
        note(p.name() + " exited 0; daemon, so it runs again");
        r.state = State.WAITING;
      } else {
        note(p.name() + " finished");
        r.state = State.SUCCESS;
      }
      return;
    }
    r.failures++;
    String how = code > 128 ? "was killed by signal " + (code - 128) : "exited " + code;
    if ((p.maxFailures() == 0 || r.failures < p.maxFailures()) && r.runs < RUN_LIMIT) {
      note(p.name() + " " + how + " (failure " + r.failures + "); it runs again");
      r.state = State.WAITING;
    } else {
      note(
          p.name()
              + " "
              + how
              + "; failed"
              + (p.maxFailures() > 1 ? " after " + r.failures + " failures" : "")
              + (p.ephemeral() ? " (ephemeral: counted as finished)" : ""));
      r.state = State.FAILED;
    }
  }

  /** SIGTERM to every running process and its children, then SIGKILL after a grace period. */
  private void stopAll() {
    List<Run> running = runs.values().stream().filter(r -> r.process != null).toList();
    if (running.isEmpty()) {
      return;
    }
    ProcessTrees.stopAll(running.stream().map(r -> r.process).toList());
    for (Run r : running) {
      if (r.state == State.RUNNING) {
        r.state = State.KILLED;
      }
      r.process = null;
      note("stopped " + r.proc.name());
    }
  }

  private OutputStream logFile(Path log) throws IOException {
    OutputStream file = Files.newOutputStream(log);
    logFiles.add(file);
    return file;
  }

  /** Each line to the log file and, with the process's name in front, to {@code sink}. */
  private Consumer<String> printer(String prefix, PrintWriter sink, OutputStream file) {
    boolean[] logging = {true};
    return line -> {
      if (logging[0]) {
        try {
          file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          file.flush();
        } catch (IOException e) {
          // A full disk ends the log, not the output on the console.
          logging[0] = false;
          note(prefix.strip() + " cannot write its log: " + e.getMessage());
        }
      }
      synchronized (sink) {
        sink.println(prefix + line);
        sink.flush();
      }
    };
  }

  /** Waits for the end of every process's output (all have ended), then closes the logs. */
  private void finishOutput() {
    for (RunningCommand c : started) {
      try {
        c.await();
      } catch (CommandException e) {
        // Only an interrupt gets here (it stopped an already stopped tree): the output read so
        // far has been printed and logged.
        Thread.currentThread().interrupt();
      }
    }
    for (OutputStream file : logFiles) {
      try {
        file.close();
      } catch (IOException e) {
        note("cannot close a log file: " + e.getMessage());
      }
    }
  }

  private void note(String message) {
    if (quiet) {
      return;
    }
    synchronized (err) {
      err.println("[run] " + message);
      err.flush();
    }
  }
}
