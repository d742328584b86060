package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora diff KEY JOB}: what an update would change. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    header = "Show what an update would change.",
    sortOptions = false,
    description = {
      "Builds JOB (nothing is pushed) and shows what `update KEY JOB` would change: the"
          + " scheduler's own diff when the submitter can ask it (http), otherwise a diff against"
          + " the last configuration this tool submitted for KEY (kept under"
          + " ~/.local/state/nix-aurora)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora diff devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora diff prod/www/prod/web web.nix --submitter http --json"
    })
public final class DiffCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY", description = "CLUSTER/ROLE/ENV/NAME")
  String key;

  @Parameters(
      index = "1",
      paramLabel = "JOB",
      description = "A .nix file, a directory, or DIR#NAME (a job in a flake).")
  String job;

  @Option(names = "--json", description = "Print the diff as JSON.")
  boolean json;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  DiffCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    JobKey jobKey = JobArgument.key(key);
    var source = JobArgument.source(session.environment(), job);
    Pipeline pipeline = session.pipeline(session.cluster(jobKey.cluster(), clusterOptions), err);
    var store = pipeline.storeProvider();
    var submitter = pipeline.submitter();
    BuiltJob built = pipeline.evaluate(source);
    Pipeline.checkKey(built, jobKey);
    pipeline.checkSystem(built);
    AuroraJobConfig config = pipeline.compile(built, store.initCommand());
    Optional<JobDiff> fromScheduler = submitter.diff(config);
    JobDiff diff;
    String origin;
    if (fromScheduler.isPresent()) {
      diff = fromScheduler.get();
      origin = "scheduler";
    } else {
      SubmittedConfigs submitted = new SubmittedConfigs(session.environment());
      String last =
          submitted
              .load(jobKey)
              .orElseThrow(
                  () ->
                      CliException.failure(
                          "no configuration of "
                              + jobKey
                              + " was submitted from here, and the "
                              + submitter.name()
                              + " submitter cannot ask the scheduler for a diff",
                          "use --submitter http to ask the scheduler"));
      String text =
          LineDiff.unified(
              last, config.json(), submitted.file(jobKey).toString(), "new configuration");
      diff =
          text.isEmpty()
              ? new JobDiff(List.of(), List.of(), List.of(), List.of(0), "")
              : new JobDiff(List.of(), List.of(), List.of(0), List.of(), text);
      origin = "last-submitted";
    }
    session.console(err).finish();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("key", jobKey.toString());
      root.put("source", origin);
      root.put("changes", !diff.isEmpty());
      diff.added().forEach(root.putArray("added")::add);
      diff.removed().forEach(root.putArray("removed")::add);
      diff.updated().forEach(root.putArray("updated")::add);
      diff.unchanged().forEach(root.putArray("unchanged")::add);
      root.put("detail", diff.detail());
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      if (!diff.detail().isEmpty()) {
        String detail = SafeText.escape(diff.detail());
        out.print(detail.endsWith("\n") ? detail : detail + "\n");
      }
      out.println(
          diff.isEmpty()
              ? "no changes"
              : "instances: "
                  + describe("added", diff.added())
                  + describe("removed", diff.removed())
                  + describe("updated", diff.updated())
                  + describe("unchanged", diff.unchanged()).trim());
    }
    out.flush();
    return 0;
  }

  private static String describe(String what, List<Integer> instances) {
    return instances.isEmpty() ? "" : what + " " + instances + " ";
  }
}
