package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.compiler.ReadJsonLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora build JOB}: the Aurora configuration of a job, without publishing. */
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
          + " pushed or submitted."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora build examples/hello_world",
      "  nix-aurora build examples/hello_world --out hello_world.json",
      "  nix-aurora build 'examples/flake#hello'",
      "  nix-aurora build job.nix --nixpkgs ~/src/nixpkgs",
      "  nix-aurora build job.nix --store binary-cache --json | jq .scripts"
    })
public final class BuildCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "JOB",
      description = "A .nix file, a directory, or DIR#NAME (a job in a flake).")
  String job;

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
    session
        .interruption()
        .doing("building " + job + " with Nix", "Nix and its builders", "nothing was written");
    Built built = build(session, job, clusterOptions, err);
    session.interruption().checkpoint();
    ConsoleListener console = session.console(err);
    List<String> unloadable = ReadJsonLimits.unloadable(built.job().job());
    if (!unloadable.isEmpty()) {
      console.on(
          LogEvent.warn(
              ReadJsonLimits.describe(unloadable) + "; submit this job with --submitter http"));
    }
    console.finish();
    String text = json ? envelope(built) : built.config().json();
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
        "built "
            + built.job().key()
            + ": "
            + built.job().scripts().size()
            + " process"
            + (built.job().scripts().size() == 1 ? "" : "es")
            + ", "
            + built.job().system()
            + ", init by the "
            + built.pipeline().config().store()
            + " store provider"
            + (toFile ? ", written to " + out : "")
            + " ("
            + Durations.since(start)
            + ")");
    return 0;
  }

  /** A built and compiled job, with the pipeline of its cluster. */
  record Built(BuiltJob job, AuroraJobConfig config, Pipeline pipeline) {}

  /**
   * Evaluates JOB, picks its cluster's configuration, applies the cross-system guard and compiles
   * with the store provider's init command. Nothing is written.
   */
  static Built build(Session session, String job, ClusterOptions flags, PrintWriter err)
      throws Exception {
    var source = JobArgument.source(session.environment(), job);
    Pipeline defaults = session.pipeline(session.configuration().defaults(flags.overrides()), err);
    BuiltJob built = defaults.evaluate(source);
    Pipeline pipeline = session.pipeline(session.cluster(built.key().cluster(), flags), err);
    pipeline.checkSystem(built);
    var init = pipeline.storeProvider().initCommand();
    AuroraJobConfig config = pipeline.compile(built, init);
    return new Built(built, config, pipeline);
  }

  private static String envelope(Built built) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("key", built.job().key().toString());
    root.put("system", built.job().system());
    root.put("store", built.pipeline().config().store());
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
