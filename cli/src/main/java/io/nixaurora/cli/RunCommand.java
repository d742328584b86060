package io.nixaurora.cli;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.core.StepListener;
import io.nixaurora.nix.local.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora run JOB}: the task on this machine, as Thermos would run it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Run a job's task on this machine, as Thermos would.",
    sortOptions = false,
    description = {
      "Builds JOB and runs its task on this machine the way Thermos runs it on an agent: the"
          + " nix_init_<process> processes first (they realise and root each closure), order"
          + " constraints, /bin/bash -c, a fresh sandbox directory as working directory and HOME,"
          + " an environment cleared but PATH, max_failures/daemon/ephemeral/final.",
      "Each process's output is printed with its name in front. {{thermos.ports[NAME]}} gets a"
          + " free port, {{mesos.instance}} the --instance. Ctrl-C stops every process.",
      "JOB may also be an Aurora configuration (.json) written by `build --out`."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora run examples/hello_world",
      "  nix-aurora run examples/web_service --sandbox /tmp/web-sandbox",
      "  nix-aurora build job.nix --out job.json && nix-aurora run job.json"
    })
public final class RunCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "JOB",
      description = "A .nix file, a directory, or a .json.")
  String job;

  @Option(
      names = "--sandbox",
      paramLabel = "DIR",
      description =
          "The sandbox directory (must be empty or absent; default: a new temporary one).")
  String sandboxOption;

  @Option(
      names = "--instance",
      paramLabel = "N",
      defaultValue = "0",
      description = "The value of {{mesos.instance}} (default: 0).")
  int instance;

  @Option(
      names = "--keep",
      description =
          "Keep the temporary sandbox (and the GC roots in it) after a successful run; a failed or"
              + " interrupted run always keeps it, to be looked at.")
  boolean keep;

  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  RunCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Environment env = session.environment();
    if (instance < 0) {
      throw new CliException(
          CliException.USAGE,
          "--instance: must be 0 or more, got " + instance,
          "instances are numbered from 0");
    }
    String json = configuration(err);
    ThermosPlan plan = ThermosPlan.parse(json);
    Path sandbox = sandbox(env);
    String user = env.variable("USER").orElse(System.getProperty("user.name"));
    TemplateBindings bindings =
        new TemplateBindings(
            plan.job(),
            instance,
            "local-" + plan.job().get("name") + "-" + ProcessHandle.current().pid(),
            user);
    Map<String, String> cmdlines = new LinkedHashMap<>();
    for (ThermosPlan.Proc p : plan.processes()) {
      cmdlines.put(p.name(), bindings.bind(p.name(), p.cmdline()));
    }
    Map<String, String> processEnv = new LinkedHashMap<>();
    processEnv.put("PATH", env.variable("PATH").orElse("/usr/bin:/bin"));
    processEnv.put("HOME", sandbox.toString());
    processEnv.put("USER", user);
    processEnv.put("LOGNAME", user);
    // The init processes use this machine's Nix: a daemon on a socket of its own stays reachable
    // (NIX_REMOTE=daemon is in their command line; the socket's place is not).
    env.variable("NIX_DAEMON_SOCKET_PATH")
        .ifPresent(s -> processEnv.put("NIX_DAEMON_SOCKET_PATH", s));
    ConsoleListener console = session.console(err);
    console.finish();
    console.summary("[run] sandbox " + sandbox);
    bindings.ports().forEach((name, port) -> console.summary("[run] port " + name + " = " + port));

    TaskRunner runner =
        new TaskRunner(plan, cmdlines, sandbox, processEnv, out, err, session.options().quiet());
    // Ctrl-C ends the JVM; the hook interrupts the runner and waits while it stops the processes.
    Thread runnerThread = Thread.currentThread();
    Object finished = new Object();
    boolean[] done = {false};
    Thread hook =
        new Thread(
            () -> {
              runner.stop();
              runnerThread.interrupt();
              synchronized (finished) {
                long until = System.currentTimeMillis() + 5000;
                while (!done[0] && System.currentTimeMillis() < until) {
                  try {
                    finished.wait(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "nix-aurora-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    TaskRunner.Outcome outcome;
    try {
      outcome = runner.run();
      StringBuilder states = new StringBuilder();
      runner.states().forEach((k, v) -> states.append(' ').append(k).append('=').append(v));
      // A successful run's temporary sandbox goes, with the GC roots the init processes made in
      // it (.gc/P); a failed one stays to be looked at, and a --sandbox DIR is the user's.
      String where = "; sandbox " + sandbox;
      if (outcome == TaskRunner.Outcome.SUCCESS && sandboxOption == null && !keep) {
        where = removeSandbox(sandbox) ? "; sandbox removed (--keep keeps it)" : where;
      }
      console.summary(
          "[run] task " + outcome + " in " + Durations.since(start) + ":" + states + where);
    } finally {
      // only now may a Ctrl-C hook let the JVM end: the processes are stopped, the summary out
      synchronized (finished) {
        done[0] = true;
        finished.notifyAll();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down (Ctrl-C): the hook is running
      }
    }
    return switch (outcome) {
      case SUCCESS -> 0;
      case FAILED -> CliException.COMMAND_FAILURE;
      case INTERRUPTED -> 130;
    };
  }

  /** The compiled configuration: read from a .json, or built with the local store provider. */
  private String configuration(PrintWriter err) throws Exception {
    Environment env = session.environment();
    if (job.endsWith(".json")) {
      Path file = env.resolve(job);
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliException.configuration("cannot read " + file + ": " + e.getMessage(), null);
      }
    }
    var source = JobArgument.source(env, job);
    Pipeline defaults = session.pipeline(session.configuration().defaults(Map.of()), err);
    BuiltJob built = defaults.evaluate(source);
    // The processes run here, so the init command is this machine's: the local store provider
    // with this machine's Nix, whatever the cluster's agents use.
    ClusterConfig here =
        session
            .configuration()
            .defaults(
                Map.of(
                    Setting.STORE.key(),
                    "local",
                    Setting.SYSTEM.key(),
                    built.system(),
                    StoreSettings.AGENT_NIX_BIN_DIR,
                    defaults.localNixBinDirectory().toString(),
                    StoreSettings.DAEMON,
                    String.valueOf(env.variable("NIX_REMOTE").orElse("").equals("daemon"))))
            .withoutSetting(StoreSettings.PROFILE_SCRIPT);
    Pipeline local = session.pipeline(here, err);
    return local.facade(false, StepListener.NONE).compile(built).config().json();
  }

  /** Deletes the sandbox; links (the GC roots) are removed, never followed. */
  private static boolean removeSandbox(Path sandbox) {
    try (var paths = Files.walk(sandbox)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException | java.io.UncheckedIOException e) {
      return false; // the summary then names the sandbox, which is still there
    }
  }

  private Path sandbox(Environment env) throws CliException {
    try {
      if (sandboxOption == null) {
        return Files.createTempDirectory("nix-aurora-run-");
      }
      Path dir = env.resolve(sandboxOption);
      if (Files.isDirectory(dir)) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw CliException.configuration(
                "sandbox " + dir + " is not empty", "pass an empty or new directory");
          }
        }
      } else {
        Files.createDirectories(dir);
      }
      return dir;
    } catch (IOException e) {
      throw CliException.failure("cannot create the sandbox: " + e.getMessage(), null);
    }
  }
}
