package io.nixaurora.cli;

import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora update KEY JOB}: a rolling update of a service. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    header = "Build, publish and start a rolling update of a service.",
    sortOptions = false,
    description = {
      "Builds JOB, publishes its closures and starts a rolling update of the service KEY to it"
          + " (the job's update_config governs the rollout). Services only.",
      "Run `nix-aurora diff KEY JOB` first to see what would change."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora update devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora update prod/www/prod/web web.nix --submitter http --dry-run"
    })
public final class UpdateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY", description = "CLUSTER/ROLE/ENV/NAME")
  String key;

  @Parameters(
      index = "1",
      paramLabel = "JOB",
      description = "A .nix file, a directory, or DIR#NAME (a job in a flake).")
  String job;

  @Option(
      names = {"-n", "--dry-run"},
      description = "Build and check, print the configuration; push and submit nothing.")
  boolean dryRun;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  UpdateCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    return new CreateCommand.Submission(session, spec, clusterOptions, dryRun).run(key, job, true);
  }
}
