package io.nixaurora.cli;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora create KEY JOB}: build, publish, compile, submit. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    header = "Build, publish and create a job.",
    sortOptions = false,
    description = {
      "Builds JOB, publishes every process's closure with the cluster's store provider (local:"
          + " GC roots on this machine; binary-cache: a signed push), compiles the Aurora"
          + " configuration and creates the job (a cron job is scheduled).",
      "The job's own cluster/role/environment/name must equal KEY. A bad job stops before"
          + " anything is pushed or submitted."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora create devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora create prod/www/prod/web web.nix --store binary-cache --submitter http",
      "  nix-aurora create devcluster/vagrant/devel/hello_world examples/hello_world --dry-run"
    })
public final class CreateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY", description = "CLUSTER/ROLE/ENV/NAME")
  String key;

  @Parameters(
      index = "1",
      paramLabel = "JOB",
      description = "A .nix file, a directory, or DIR#NAME (a job in a flake).")
  String job;

  @Option(
      names = {"-n", "--dry-run"},
      description =
          "Build and check, print the configuration that would be submitted; push and submit"
              + " nothing.")
  boolean dryRun;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  CreateCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    return new Submission(session, spec, clusterOptions, dryRun).run(key, job, false);
  }

  /** The steps create and update share. */
  static final class Submission {
    private final Session session;
    private final CommandSpec spec;
    private final ClusterOptions flags;
    private final boolean dryRun;

    Submission(Session session, CommandSpec spec, ClusterOptions flags, boolean dryRun) {
      this.session = session;
      this.spec = spec;
      this.flags = flags;
      this.dryRun = dryRun;
    }

    int run(String keyArgument, String jobArgument, boolean update) throws Exception {
      long start = System.nanoTime();
      PrintWriter err = spec.commandLine().getErr();
      PrintWriter out = spec.commandLine().getOut();
      JobKey jobKey = JobArgument.key(keyArgument);
      var source = JobArgument.source(session.environment(), jobArgument);
      Pipeline pipeline = session.pipeline(session.cluster(jobKey.cluster(), flags), err);
      // Both backends are made before the build, so a misconfigured one fails in a second.
      StoreProvider store = pipeline.storeProvider();
      Submitter submitter = pipeline.submitter();
      if (!dryRun) {
        pipeline.preflight();
      }
      ConsoleListener console = session.console(err);
      console.on(
          LogEvent.info(
              (dryRun ? "dry run: " : "")
                  + jobKey
                  + ": store "
                  + store.name()
                  + ", submitter "
                  + submitter.name()));

      BuiltJob built = pipeline.evaluate(source);
      Pipeline.checkKey(built, jobKey);
      pipeline.checkSystem(built);
      pipeline.validate(built);
      pipeline.checkSubmittable(built);
      if (update && !built.job().isService()) {
        throw CliException.configuration(
            jobKey + " is not a service; update rolls out services only",
            "kill the job and create it again, or set service = true (Service { … })");
      }
      if (!dryRun) {
        // What only the cluster knows (its tiers), before anything is published.
        submitter.checkBeforePublish(built.job(), console);
      }
      if (dryRun) {
        AuroraJobConfig config = pipeline.compile(built, store.initCommand());
        console.finish();
        out.print(config.json());
        out.flush();
        console.summary(
            "dry run: would publish "
                + built.scripts().size()
                + " process closure(s) with "
                + store.name()
                + " and "
                + (update ? "update" : config.cron() ? "schedule" : "create")
                + " "
                + jobKey
                + " with "
                + submitter.name()
                + "; nothing was pushed or submitted");
        return 0;
      }
      Publication publication = store.publish(built, console);
      // providers report their own summary as an info event
      console.on(LogEvent.debug("published: " + publication.summary()));
      AuroraJobConfig config = pipeline.compile(built, publication.initCommand());
      SubmitResult result = update ? submitter.update(config) : submitter.create(config);
      new SubmittedConfigs(session.environment())
          .save(config)
          .ifPresent(w -> console.on(LogEvent.warn(w)));
      console.finish();
      // The aurora client's or scheduler's words: escaped, never raw terminal control.
      out.println(SafeText.escape(result.message()));
      result.url().map(SafeText::escape).ifPresent(out::println);
      out.flush();
      console.summary(
          switch (result.action()) {
                case CREATE -> "created ";
                case SCHEDULE_CRON -> "scheduled cron job ";
                case UPDATE -> "update started for ";
                case KILL -> "killed ";
              }
              + jobKey
              + result.updateId().map(id -> " (update " + id + ")").orElse("")
              + " in "
              + Durations.since(start));
      return 0;
    }
  }
}
