package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Evaluated;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.compiler.ReadJsonLimits;
import io.nixaurora.core.Built;
import io.nixaurora.core.JobResult;
import io.nixaurora.core.StepListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora build JOB [JOB...]}: the Aurora configuration of jobs, without publishing. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    header = "Build a job and print its Aurora configuration.",
    sortOptions = false,
    description = {
      "Builds JOB with Nix (every package and one process script per process) and prints the"
          + " Aurora configuration: one nix_init_<process> per process, ordered before it.",
      "JOB is a .nix file or a directory holding default.nix, or DIR#NAME: the output"
          + " auroraJobs.<system>.NAME of the flake in DIR, whose pkgs is the flake's locked"
          + " nixpkgs input. The init command is the job's cluster's store provider's; nothing is"
          + " pushed or submitted.",
      "Several JOBs, a directory without default.nix (every *.nix file and every subdirectory"
          + " holding default.nix, sorted, not recursive) or 'DIR#*' (every job of the flake's"
          + " auroraJobs.<system>) are built in one evaluation; each configuration is printed in"
          + " turn (with --json an array of the objects), a failed job does not stop the others,"
          + " and the exit code is 0 only when every job was built (else the failures' code when"
          + " they share one, else 1)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora build examples/hello_world",
      "  nix-aurora build examples/hello_world --out hello_world.json",
      "  nix-aurora build 'examples/flake#hello'",
      "  nix-aurora build examples/hello_world examples/cron_job 'examples/flake#*' --json",
      "  nix-aurora build job.nix --nixpkgs ~/src/nixpkgs",
      "  nix-aurora build job.nix --store binary-cache --json | jq .scripts"
    })
public final class BuildCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      paramLabel = "JOB",
      description =
          "A .nix file, a directory (of jobs), DIR#NAME or 'DIR#*' (every job of a flake).")
  List<String> jobs;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description =
          "Write the configuration to FILE instead of stdout: a regular file (or a new one) is"
              + " replaced atomically, a symbolic link is followed, a device or FIFO is written"
              + " through; '-' is stdout.")
  String out;

  @Option(
      names = "--json",
      description =
          "Print a JSON object with the key, system, store provider, process scripts and the"
              + " configuration.")
  boolean json;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  BuildCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    Pipeline defaults = session.pipeline(session.configuration().defaults(flags()), err);
    List<JobArgument.Job> all = Deploy.expand(session, defaults, jobs);
    if (jobs.size() == 1 && all.size() == 1) {
      return one(all.get(0), defaults, start, err);
    }
    if (out != null && !out.equals("-")) {
      throw new CliException(
          CliException.USAGE,
          "--out takes one job, got " + all.size(),
          "leave out --out to print every configuration, or build one job at a time");
    }
    return many(all, defaults, start, err);
  }

  private java.util.Map<String, String> flags() throws CliException {
    return clusterOptions.overrides();
  }

  private int one(JobArgument.Job job, Pipeline defaults, long start, PrintWriter err)
      throws Exception {
    session
        .interruption()
        .doing(
            "building " + job.label() + " with Nix", "Nix and its builders", "nothing was written");
    defaults.checkSources(List.of(job.source()));
    BuiltJob evaluated = defaults.evaluator().evaluate(job.source(), defaults.events());
    session.interruption().checkpoint();
    Pipeline pipeline =
        session.pipeline(session.cluster(evaluated.key().cluster(), clusterOptions), err);
    Built built = pipeline.facade(false, StepListener.NONE).compile(evaluated);
    ConsoleListener console = session.console(err);
    warnUnloadable(console, built);
    console.finish();
    String text = json ? envelope(built, pipeline) : built.config().json();
    boolean toFile = out != null && !out.equals("-");
    if (toFile) {
      Path target = session.environment().resolve(out);
      AtomicFile.write(target, text.endsWith("\n") ? text : text + "\n");
    } else {
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(text.endsWith("\n") ? text : text + "\n");
      stdout.flush();
    }
    console.summary(
        line(built, pipeline)
            + (toFile ? ", written to " + out : "")
            + " ("
            + Durations.since(start)
            + ")");
    return 0;
  }

  /** Several jobs: one evaluation, then each compiled for its own cluster. */
  private int many(List<JobArgument.Job> all, Pipeline defaults, long start, PrintWriter err)
      throws Exception {
    session
        .interruption()
        .doing(
            "building " + all.size() + " jobs with Nix",
            "Nix and its builders",
            "nothing was written");
    defaults.checkSources(all.stream().map(JobArgument.Job::source).toList());
    List<Evaluated> evaluated =
        defaults
            .evaluator()
            .evaluateAll(all.stream().map(JobArgument.Job::source).toList(), defaults.events());
    session.interruption().checkpoint();
    ConsoleListener console = session.console(err);
    ErrorReporter reporter = new ErrorReporter(session.options());
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    PrintWriter stdout = spec.commandLine().getOut();
    List<Integer> codes = new ArrayList<>();
    java.util.Map<String, Pipeline> pipelines = new java.util.HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      String label = all.get(i).label();
      NixAuroraException failure;
      JobKey key = null;
      if (evaluated.get(i) instanceof Evaluated.Built b) {
        try {
          key = b.job().key();
          // One pipeline (one store provider) per cluster, not per job.
          String cluster = key.cluster();
          Pipeline pipeline = pipelines.get(cluster);
          if (pipeline == null) {
            pipeline = session.pipeline(session.cluster(cluster, clusterOptions), err);
            pipelines.put(cluster, pipeline);
          }
          Built built = pipeline.facade(false, StepListener.NONE).compile(b.job());
          warnUnloadable(console, built);
          console.finish();
          if (json) {
            ObjectNode node = (ObjectNode) mapper.readTree(envelope(built, pipeline));
            node.put("job", label);
            node.put("status", "built");
            array.add(node);
          } else {
            String text = built.config().json();
            stdout.print(text.endsWith("\n") ? text : text + "\n");
          }
          console.summary(line(built, pipeline));
          codes.add(0);
          continue;
        } catch (NixAuroraException e) {
          failure = e;
        } catch (IllegalArgumentException e) {
          failure = new InvalidJobException("key", e.getMessage());
        }
      } else {
        failure = ((Evaluated.Failed) evaluated.get(i)).error();
      }
      console.finish();
      codes.add(reporter.report(failure, err, key == null ? label : key + " (" + label + ")"));
      if (json) {
        ObjectNode node = array.addObject();
        node.put("job", label);
        if (key != null) {
          node.put("key", key.toString());
        }
        node.put("status", "failed");
        node.put("error", ErrorReporter.forJson(failure));
        node.put("exit_code", failure.exitCode());
      }
    }
    if (json) {
      stdout.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    }
    stdout.flush();
    long ok = codes.stream().filter(c -> c == 0).count();
    console.summary(
        "built "
            + ok
            + " of "
            + all.size()
            + " jobs"
            + (ok < all.size() ? ", " + (all.size() - ok) + " failed" : "")
            + " ("
            + Durations.since(start)
            + ")");
    return JobResult.exitCode(codes.stream().filter(c -> c != 0).toList(), false);
  }

  private static void warnUnloadable(ConsoleListener console, Built built) {
    List<String> unloadable = ReadJsonLimits.unloadable(built.job().job());
    if (!unloadable.isEmpty()) {
      console.on(
          LogEvent.warn(
              ReadJsonLimits.describe(unloadable) + "; submit this job with --submitter http"));
    }
  }

  private static String line(Built built, Pipeline pipeline) {
    return "built "
        + built.key()
        + ": "
        + built.job().scripts().size()
        + " process"
        + (built.job().scripts().size() == 1 ? "" : "es")
        + ", "
        + built.job().system()
        + ", init by the "
        + pipeline.config().store()
        + " store provider";
  }

  private static String envelope(Built built, Pipeline pipeline) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("key", built.job().key().toString());
    root.put("system", built.job().system());
    root.put("store", pipeline.config().store());
    root.put("service", built.config().service());
    root.put("cron", built.config().cron());
    ObjectNode scripts = root.putObject("scripts");
    for (ProcessScript s : built.job().scripts().values()) {
      scripts.put(s.process(), s.path().toString());
    }
    root.set("config", mapper.readTree(built.config().json()));
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }
}
