package io.nixaurora.cli;

import io.nixaurora.core.Action;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nix-aurora create KEY JOB} or {@code create CLUSTER JOB [JOB...]}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    header = "Build, publish and create one job or several.",
    sortOptions = false,
    description = {
      "Builds JOB, publishes every process's closure with the cluster's store provider (local:"
          + " GC roots on this machine; binary-cache: a signed push), compiles the Aurora"
          + " configuration and creates the job (a cron job is scheduled).",
      "With KEY (CLUSTER/ROLE/ENV/NAME) the job's own cluster/role/environment/name must equal"
          + " KEY. With a bare CLUSTER name it takes one or more JOBs, each keyed by its own"
          + " definition and all of that cluster: they are built in one evaluation, the union of"
          + " their closures is published once and they are submitted --parallel at a time.",
      "A JOB is a .nix file, a directory holding default.nix, a directory without default.nix"
          + " (every *.nix file and every subdirectory holding default.nix in it, sorted, not"
          + " recursive), DIR#NAME (a job in a flake), or 'DIR#*' / 'FLAKEREF#*' (every job of"
          + " the flake's auroraJobs.<system>).",
      "A bad job stops before anything is pushed for it or submitted. With several jobs one"
          + " job's failure does not stop the others (unless --fail-fast); two jobs with the same"
          + " key are both refused. Exit code: 0 when every job succeeded; else the failures' code"
          + " when they share one (3: a refused job), else 1."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora create devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora create prod/www/prod/web web.nix --store binary-cache --submitter http",
      "  nix-aurora create devcluster/vagrant/devel/hello_world examples/hello_world --dry-run",
      "  nix-aurora create devcluster jobs/ --parallel 8",
      "  nix-aurora create devcluster 'examples/flake#*' web.nix --fail-fast --json"
    })
public final class CreateCommand implements Callable<Integer> {

  @Mixin JobArguments arguments;

  @Option(
      names = {"-n", "--dry-run"},
      description =
          "Build and check, print the configuration that would be submitted; push and submit"
              + " nothing.")
  boolean dryRun;

  @Option(
      names = "--json",
      description =
          "Print the result of each job as JSON (job, key, status, message, url or error and"
              + " exit_code).")
  boolean json;

  @Mixin BatchOptions batch;
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
    return new Deploy(session, spec, clusterOptions, batch, dryRun, json, Action.CREATE)
        .run(arguments.target, arguments.jobs);
  }
}
