package io.nixaurora.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.event.LogEvent;
import java.io.PrintWriter;
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

/** {@code nix-aurora gc-roots CLUSTER}: the GC roots of jobs that are gone. */
@Command(
    name = "gc-roots",
    mixinStandardHelpOptions = true,
    header = "List, and with --remove remove, the GC roots of a cluster's jobs that are gone.",
    sortOptions = false,
    description = {
      "The local store provider keeps a GC root for every process of every job created from"
          + " this machine (under gc_roots_dir), so that a garbage collection cannot break a job"
          + " before its tasks have rooted their closures. kill removes them; this command finds"
          + " the ones left by jobs that ended some other way.",
      "A job is gone when the scheduler (asked through the cluster's submitter, as `status`"
          + " does) has no active task of it. A job whose status cannot be read is kept, and so"
          + " is a cron job (it has no tasks between runs). Without --remove nothing is removed."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  nix-aurora gc-roots devcluster", "  nix-aurora gc-roots devcluster --remove"})
public final class GcRootsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster whose jobs to check.")
  String cluster;

  @Option(
      names = "--remove",
      description = "Remove the GC roots of the jobs that are gone (default: only list them).")
  boolean remove;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  GcRootsCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Pipeline pipeline = session.pipeline(session.cluster(cluster, clusterOptions), err);
    StoreProvider store = pipeline.storeProvider();
    List<JobKey> retained = new ArrayList<>();
    for (JobKey key : store.retainedJobs()) {
      if (key.cluster().equals(cluster)) {
        retained.add(key);
      }
    }
    ConsoleListener console = session.console(err);
    if (retained.isEmpty()) {
      console.summary(
          "no GC roots of " + cluster + "'s jobs (store provider " + store.name() + ")");
      return 0;
    }
    SubmittedConfigs recorded = new SubmittedConfigs(session.environment());
    int gone = 0;
    int unknown = 0;
    for (JobKey key : retained) {
      if (recorded.isCron(key)) {
        out.println("kept    " + key + " (a cron job: it has no tasks between runs)");
        continue;
      }
      JobStatus status;
      try {
        status = pipeline.submitter().status(key);
      } catch (SubmitException e) {
        unknown++;
        out.println("kept    " + key + " (its status is unknown: " + firstLine(e) + ")");
        continue;
      }
      long active = status.tasks().stream().filter(JobStatus.Task::active).count();
      if (active > 0) {
        out.println("kept    " + key + " (" + active + " active task(s))");
        continue;
      }
      gone++;
      if (remove) {
        store.release(key, console);
        out.println("removed " + key);
      } else {
        out.println("gone    " + key);
      }
    }
    out.flush();
    console.summary(
        gone == 0
            ? "no job of " + cluster + " with GC roots is gone"
            : remove
                ? "removed the GC roots of " + gone + " job(s) that are gone"
                : gone
                    + " job(s) are gone; `nix-aurora gc-roots "
                    + cluster
                    + " --remove` removes their GC roots");
    return unknown == 0 ? 0 : CliException.COMMAND_FAILURE;
  }

  private static String firstLine(Exception e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("failed");
  }

  /**
   * After a kill: the job's GC roots go, unless it is a cron job (still scheduled: it runs again).
   * A failure to remove them is a warning; the kill itself succeeded.
   */
  static void releaseAfterKill(
      Session session, Pipeline pipeline, JobKey key, ConsoleListener console) {
    try {
      if (new SubmittedConfigs(session.environment()).isCron(key)) {
        console.on(
            LogEvent.info(
                "kept the GC roots of " + key + ": a cron job stays scheduled after kill"));
        return;
      }
      pipeline.storeProvider().release(key, console);
    } catch (CliException | StoreException e) {
      console.on(
          LogEvent.warn(
              "could not remove the GC roots of "
                  + key
                  + ": "
                  + firstLine(e)
                  + " (`nix-aurora gc-roots "
                  + key.cluster()
                  + "` finds them later)"));
    }
  }
}
