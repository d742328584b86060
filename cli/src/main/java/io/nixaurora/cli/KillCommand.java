package io.nixaurora.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.core.StepListener;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora kill KEY}. */
@Command(
    name = "kill",
    mixinStandardHelpOptions = true,
    header = "Kill every instance of a job.",
    sortOptions = false,
    description =
        "Kills every instance of the job KEY, then removes the GC roots the local store provider"
            + " kept for it (not for a cron job, which stays scheduled).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora kill devcluster/vagrant/devel/hello_world",
      "  nix-aurora kill prod/www/prod/web --submitter http"
    })
public final class KillCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY", description = "CLUSTER/ROLE/ENV/NAME")
  String key;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  KillCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    JobKey jobKey = JobArgument.key(key);
    Pipeline pipeline = session.pipeline(session.cluster(jobKey.cluster(), clusterOptions), err);
    SubmitResult result = pipeline.facade(true, StepListener.NONE).kill(jobKey);
    // The job is gone: what the store provider kept alive for it (its GC roots) can go too.
    GcRootsCommand.releaseAfterKill(session, pipeline, jobKey, session.console(err));
    session.console(err).finish();
    spec.commandLine().getOut().println(SafeText.escape(result.message()));
    spec.commandLine().getOut().flush();
    session.console(err).summary("killed " + jobKey + " in " + Durations.since(start));
    return 0;
  }
}
