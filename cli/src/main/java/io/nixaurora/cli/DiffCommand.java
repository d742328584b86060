package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.core.Diffed;
import io.nixaurora.core.JobResult;
import io.nixaurora.core.StepListener;
import io.nixaurora.core.Target;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nix-aurora diff KEY JOB} or {@code diff CLUSTER JOB [JOB...]}: what updates would change.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    header = "Show what an update would change.",
    sortOptions = false,
    description = {
      "Builds JOB (nothing is pushed) and shows what `update KEY JOB` would change: the"
          + " scheduler's own diff when the submitter can ask it (http), otherwise a diff against"
          + " the last configuration this tool submitted for KEY (kept under"
          + " ~/.local/state/nix-aurora).",
      "With a bare CLUSTER name it takes one or more JOBs (as for create), each keyed by its own"
          + " definition: a section per job, or with --json an array of the per-job objects."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora diff devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora diff prod/www/prod/web web.nix --submitter http --json",
      "  nix-aurora diff devcluster jobs/ --json"
    })
public final class DiffCommand implements Callable<Integer> {

  @Mixin JobArguments arguments;

  @Option(names = "--json", description = "Print the diff as JSON.")
  boolean json;

  @Mixin BatchOptions batch;
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
    String key = arguments.target;
    List<String> jobs = arguments.jobs;
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (!JobArgument.isCluster(key)) {
      if (jobs.size() != 1) {
        throw new CliException(
            CliException.USAGE,
            "diff KEY JOB takes one job, got " + jobs.size(),
            "to diff several jobs give the bare cluster name: nix-aurora diff CLUSTER JOB"
                + " [JOB...]");
      }
      JobKey jobKey = JobArgument.key(key);
      var source = JobArgument.source(session.environment(), jobs.get(0));
      Pipeline pipeline = session.pipeline(session.cluster(jobKey.cluster(), clusterOptions), err);
      pipeline.checkSources(List.of(source));
      Diffed diffed = pipeline.facade(true, StepListener.NONE).diff(jobKey, source);
      Shown shown = shown(diffed, pipeline.submitter().name());
      session.console(err).finish();
      print(out, shown);
      out.flush();
      return 0;
    }
    Pipeline pipeline = session.pipeline(session.cluster(key, clusterOptions), err);
    List<JobArgument.Job> all = Deploy.expand(session, pipeline, jobs);
    pipeline.checkSources(all.stream().map(JobArgument.Job::source).toList());
    List<JobResult<Diffed>> results =
        pipeline
            .facade(true, StepListener.NONE)
            .diffAll(all.stream().map(j -> Target.of(j.source())).toList(), batch.options());
    ErrorReporter reporter = new ErrorReporter(session.options());
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    // the exit codes of the failed jobs
    List<Integer> codes = new ArrayList<>();
    boolean skipped = false;
    session.console(err).finish();
    for (int i = 0; i < results.size(); i++) {
      JobResult<Diffed> r = results.get(i);
      String label = all.get(i).label();
      NixAuroraException failure = null;
      if (r instanceof JobResult.Done<Diffed> d) {
        try {
          Shown shown = shown(d.value(), pipeline.submitter().name());
          if (json) {
            ObjectNode node = toJson(mapper, shown);
            node.put("job", label);
            node.put("status", "diffed");
            array.add(node);
          } else {
            out.println("== " + shown.key() + " (" + SafeText.escape(label) + ")");
            print(out, shown);
          }
        } catch (CliException e) {
          failure = e;
        }
      } else if (r instanceof JobResult.Failed<Diffed> f) {
        failure = f.error();
      } else if (r instanceof JobResult.Skipped<Diffed> s) {
        err.println("skipped " + SafeText.escape(label) + ": " + s.reason());
        skipped = true;
        if (json) {
          ObjectNode node = array.addObject();
          node.put("job", label);
          r.key().ifPresent(k -> node.put("key", k.toString()));
          node.put("status", "skipped");
          node.put("reason", s.reason());
        }
      }
      if (failure != null) {
        String name = r.key().map(k -> k + " (" + label + ")").orElse(label);
        codes.add(reporter.report(failure, err, name));
        if (json) {
          ObjectNode node = array.addObject();
          node.put("job", label);
          r.key().ifPresent(k -> node.put("key", k.toString()));
          node.put("status", "failed");
          node.put("error", ErrorReporter.forJson(failure));
          node.put("exit_code", failure.exitCode());
        }
      }
    }
    if (json) {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    }
    out.flush();
    return JobResult.exitCode(codes, skipped);
  }

  /** A diff and where it comes from. */
  private record Shown(JobKey key, JobDiff diff, String origin) {}

  /**
   * The scheduler's diff when the submitter can ask it, else a diff against the last configuration
   * this tool submitted.
   */
  private Shown shown(Diffed diffed, String submitterName) throws CliException {
    JobKey jobKey = diffed.key();
    AuroraJobConfig config = diffed.config();
    if (diffed.fromScheduler().isPresent()) {
      return new Shown(jobKey, diffed.fromScheduler().get(), "scheduler");
    }
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
                            + submitterName
                            + " submitter cannot ask the scheduler for a diff",
                        "use --submitter http to ask the scheduler"));
    String text =
        LineDiff.unified(
            last, config.json(), submitted.file(jobKey).toString(), "new configuration");
    JobDiff diff =
        text.isEmpty()
            ? new JobDiff(List.of(), List.of(), List.of(), List.of(0), "")
            : new JobDiff(List.of(), List.of(), List.of(0), List.of(), text);
    return new Shown(jobKey, diff, "last-submitted");
  }

  private static ObjectNode toJson(ObjectMapper mapper, Shown shown) {
    JobDiff diff = shown.diff();
    ObjectNode root = mapper.createObjectNode();
    root.put("key", shown.key().toString());
    root.put("source", shown.origin());
    root.put("changes", !diff.isEmpty());
    diff.added().forEach(root.putArray("added")::add);
    diff.removed().forEach(root.putArray("removed")::add);
    diff.updated().forEach(root.putArray("updated")::add);
    diff.unchanged().forEach(root.putArray("unchanged")::add);
    root.put("detail", diff.detail());
    return root;
  }

  private void print(PrintWriter out, Shown shown) throws Exception {
    JobDiff diff = shown.diff();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      out.println(
          mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(mapper, shown)));
      return;
    }
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

  private static String describe(String what, List<Integer> instances) {
    return instances.isEmpty() ? "" : what + " " + instances + " ";
  }
}
