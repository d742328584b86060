package io.nixaurora.cli;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.SubmitException;
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

      Interruption interruption = session.interruption();
      String verb = update ? "update" : "create";
      interruption.doing(
          "building " + jobArgument + " with Nix to " + verb + " " + jobKey,
          "Nix and its builders",
          "nothing was published or submitted");
      BuiltJob built = pipeline.evaluate(source);
      interruption.checkpoint();
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
      interruption.doing(
          "publishing the closures of " + jobKey + " with the " + store.name() + " store provider",
          "Nix",
          store.name().equals("local")
              ? "GC roots may be partly registered (`nix-aurora gc-roots` removes those of jobs"
                  + " that are gone); nothing was submitted"
              : "the store may hold part of the closures (a cache never a narinfo without its"
                  + " NAR); nothing was submitted");
      // A failed create removes the GC roots it registered, unless the key had roots before (a
      // job of that key may be running from an earlier create).
      boolean hadRoots = !update && store.retainedJobs().contains(jobKey);
      Publication publication = store.publish(built, console);
      interruption.checkpoint();
      // providers report their own summary as an info event
      console.on(LogEvent.debug("published: " + publication.summary()));
      AuroraJobConfig config = pipeline.compile(built, publication.initCommand());
      interruption.doing(
          "submitting " + jobKey + " with the " + submitter.name() + " submitter",
          submitter.name().equals("cli") ? "the aurora client" : null,
          "the "
              + verb
              + " may have reached the scheduler: check with `nix-aurora status "
              + jobKey
              + "` before running "
              + verb
              + " again");
      SubmitResult result;
      try {
        result = update ? submitter.update(config) : submitter.create(config);
      } catch (SubmitException e) {
        if (!update && !hadRoots) {
          releaseAfterFailedCreate(store, jobKey, e, console);
        }
        throw e;
      }
      interruption.doing(
          "recording the submitted configuration of " + jobKey,
          null,
          "the " + verb + " of " + jobKey + " was accepted by the scheduler");
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

    /**
     * The GC roots of a create the scheduler refused go; after a timeout, a network error or an
     * interruption the job may have been created, and they stay.
     */
    private static void releaseAfterFailedCreate(
        StoreProvider store, JobKey key, SubmitException e, ConsoleListener console) {
      boolean refused =
          switch (e.exitCode()) {
            case 3, 4, 5, 6, 8, 10, 30, 127 -> true;
            default -> false;
          };
      if (!refused) {
        console.on(
            LogEvent.info(
                "kept the GC roots of " + key + ": the create may have reached the scheduler"));
        return;
      }
      try {
        store.release(key, console);
      } catch (StoreException failure) {
        console.on(
            LogEvent.warn("could not remove the GC roots of " + key + ": " + failure.getMessage()));
      }
    }
  }
}
