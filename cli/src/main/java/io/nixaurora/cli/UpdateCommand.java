package io.nixaurora.cli;

import io.nixaurora.core.Action;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nix-aurora update KEY JOB} or {@code update CLUSTER JOB [JOB...]}: rolling updates. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    header = "Build, publish and start a rolling update of one service or several.",
    sortOptions = false,
    description = {
      "Builds JOB, publishes its closures and starts a rolling update of the service KEY to it"
          + " (the job's update_config governs the rollout). Services only.",
      "With a bare CLUSTER name it takes one or more JOBs, each keyed by its own definition and"
          + " all of that cluster (JOB as for create: a file, a directory of jobs, DIR#NAME or"
          + " 'DIR#*'); one job's failure does not stop the others unless --fail-fast. Exit code:"
          + " 0 when every job succeeded; else the failures' code when they share one, else 1.",
      "Run `nix-aurora diff KEY JOB` first to see what would change."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora update devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora update prod/www/prod/web web.nix --submitter http --dry-run",
      "  nix-aurora update prod services/ --parallel 2 --json"
    })
public final class UpdateCommand implements Callable<Integer> {

  @Mixin JobArguments arguments;

  @Option(
      names = {"-n", "--dry-run"},
      description = "Build and check, print the configuration; push and submit nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the result of each job as JSON.")
  boolean json;

  @Mixin BatchOptions batch;
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
    return new Deploy(session, spec, clusterOptions, batch, dryRun, json, Action.UPDATE)
        .run(arguments.target, arguments.jobs);
  }
}
