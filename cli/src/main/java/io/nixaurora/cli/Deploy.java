package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.core.Action;
import io.nixaurora.core.Built;
import io.nixaurora.core.JobResult;
import io.nixaurora.core.NixAurora;
import io.nixaurora.core.Options;
import io.nixaurora.core.StepListener;
import io.nixaurora.core.Submitted;
import io.nixaurora.core.Target;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code create} and {@code update}, a thin layer over core's {@link NixAurora}: {@code KEY JOB}
 * (one job, which must have that key) or {@code CLUSTER JOB [JOB...]} (each job keyed by its own
 * definition, all of that cluster), with a result line per job and a summary.
 */
final class Deploy {
  private final Session session;
  private final CommandSpec spec;
  private final ClusterOptions flags;
  private final BatchOptions batch;
  private final boolean dryRun;
  private final boolean json;
  private final Action action;

  Deploy(
      Session session,
      CommandSpec spec,
      ClusterOptions flags,
      BatchOptions batch,
      boolean dryRun,
      boolean json,
      Action action) {
    this.session = session;
    this.spec = spec;
    this.flags = flags;
    this.batch = batch;
    this.dryRun = dryRun;
    this.json = json;
    this.action = action;
  }

  private String verb() {
    return action == Action.UPDATE ? "update" : "create";
  }

  /** Runs the command for its first argument (a key or a cluster) and its JOB arguments. */
  int run(String first, List<String> jobs) throws Exception {
    if (!JobArgument.isCluster(first)) {
      if (jobs.size() != 1) {
        throw new CliException(
            CliException.USAGE,
            verb() + " KEY JOB takes one job, got " + jobs.size(),
            "to "
                + verb()
                + " several jobs give the bare cluster name: nix-aurora "
                + verb()
                + " CLUSTER JOB [JOB...]");
      }
      if (!json) {
        return one(first, jobs.get(0));
      }
    }
    return many(first, jobs);
  }

  /** {@code KEY JOB}: exactly as before the many-jobs form, a failure is the command's. */
  private int one(String keyArgument, String jobArgument) throws Exception {
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    JobKey jobKey = JobArgument.key(keyArgument);
    JobSource source = JobArgument.source(session.environment(), jobArgument);
    Pipeline pipeline = session.pipeline(session.cluster(jobKey.cluster(), flags), err);
    // Both backends are made before the build, so a misconfigured one fails in a second.
    StoreProvider store = pipeline.storeProvider();
    Submitter submitter = pipeline.submitter();
    pipeline.checkSources(List.of(source));
    ConsoleListener console = session.console(err);
    NixAurora aurora =
        pipeline.facade(true, steps(store, submitter, console, jobArgument, jobKey.toString()));
    Target target = Target.of(jobKey, source);
    if (dryRun) {
      Built built = aurora.check(action, target);
      console.finish();
      out.print(built.config().json());
      out.flush();
      console.summary(
          "dry run: would publish "
              + built.job().scripts().size()
              + " process closure(s) with "
              + store.name()
              + " and "
              + dryRunVerb(built.config())
              + " "
              + jobKey
              + " with "
              + submitter.name()
              + "; nothing was pushed or submitted");
      return 0;
    }
    JobResult<Submitted> result =
        aurora.deployAll(action, List.of(target), new Options(1, false)).get(0);
    if (result instanceof JobResult.Failed<Submitted> failed) {
      throw failed.error();
    }
    Submitted submitted = ((JobResult.Done<Submitted>) result).value();
    record(submitted, console);
    console.finish();
    printAnswer(out, submitted.result());
    out.flush();
    console.summary(done(submitted.result()) + " in " + Durations.since(start));
    return 0;
  }

  /** {@code CLUSTER JOB [JOB...]} (or {@code KEY JOB --json}): a result per job and a summary. */
  private int many(String first, List<String> jobArguments) throws Exception {
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Options options = batch.options();
    boolean keyed = !JobArgument.isCluster(first);
    JobKey expected = keyed ? JobArgument.key(first) : null;
    String cluster = keyed ? expected.cluster() : first;
    Pipeline pipeline = session.pipeline(session.cluster(cluster, flags), err);
    StoreProvider store = pipeline.storeProvider();
    Submitter submitter = pipeline.submitter();
    List<JobArgument.Job> jobs =
        keyed
            ? List.of(
                new JobArgument.Job(
                    jobArguments.get(0),
                    JobArgument.source(session.environment(), jobArguments.get(0))))
            : expand(session, pipeline, jobArguments);
    pipeline.checkSources(jobs.stream().map(JobArgument.Job::source).toList());
    ConsoleListener console = session.console(err);
    String what = jobs.size() == 1 ? jobs.get(0).label() : jobs.size() + " jobs";
    NixAurora aurora =
        pipeline.facade(
            true,
            steps(
                store,
                submitter,
                console,
                what,
                keyed ? expected.toString() : "cluster " + cluster));
    List<Target> targets =
        jobs.stream()
            .map(j -> keyed ? Target.of(expected, j.source()) : Target.of(j.source()))
            .toList();
    List<? extends JobResult<?>> results =
        dryRun ? aurora.checkAll(action, targets) : aurora.deployAll(action, targets, options);
    ErrorReporter reporter = new ErrorReporter(session.options());
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    int succeeded = 0;
    int failed = 0;
    int skipped = 0;
    for (int i = 0; i < results.size(); i++) {
      JobResult<?> r = results.get(i);
      String label = jobs.get(i).label();
      ObjectNode node = array.addObject();
      node.put("job", label);
      r.key().ifPresent(k -> node.put("key", k.toString()));
      if (r instanceof JobResult.Done<?> d) {
        succeeded++;
        if (d.value() instanceof Submitted s) {
          record(s, console);
          SubmitResult answer = s.result();
          node.put("status", status(answer.action()));
          node.put("message", answer.message());
          answer.url().ifPresent(u -> node.put("url", u));
          answer.updateId().ifPresent(u -> node.put("update_id", u));
          console.finish();
          if (!json) {
            printAnswer(out, answer);
          }
          console.summary(done(answer));
        } else if (d.value() instanceof Built b) {
          node.put("status", "checked");
          node.set("config", mapper.readTree(b.config().json()));
          console.finish();
          if (!json) {
            out.print(b.config().json());
          }
          console.summary(
              "dry run: would "
                  + dryRunVerb(b.config())
                  + " "
                  + b.key()
                  + " with "
                  + submitter.name());
        }
      } else if (r instanceof JobResult.Failed<?> f) {
        failed++;
        node.put("status", "failed");
        node.put("error", ErrorReporter.forJson(f.error()));
        node.put("exit_code", f.error().exitCode());
        node.put("published", f.published());
        console.finish();
        reporter.report(f.error(), err, r.key().map(k -> k + " (" + label + ")").orElse(label));
      } else if (r instanceof JobResult.Skipped<?> s) {
        skipped++;
        node.put("status", "skipped");
        node.put("reason", s.reason());
        console.finish();
        console.summary(
            "skipped " + r.key().map(JobKey::toString).orElse(label) + ": " + s.reason());
      }
    }
    if (json) {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    }
    out.flush();
    console.summary(
        (dryRun ? "dry run: checked " : action == Action.UPDATE ? "updated " : "created ")
            + succeeded
            + " of "
            + results.size()
            + " job"
            + (results.size() == 1 ? "" : "s")
            + " in cluster "
            + cluster
            + (failed > 0 ? ", " + failed + " failed" : "")
            + (skipped > 0 ? ", " + skipped + " skipped" : "")
            + (dryRun ? "; nothing was pushed or submitted" : "")
            + " ("
            + Durations.since(start)
            + ")");
    return JobResult.exitCode(results);
  }

  /** Every job the JOB arguments name, in order. */
  static List<JobArgument.Job> expand(Session session, Pipeline pipeline, List<String> arguments)
      throws Exception {
    List<JobArgument.Job> jobs = new ArrayList<>();
    for (String argument : arguments) {
      jobs.addAll(
          JobArgument.sources(
              session.environment(),
              argument,
              ref -> Evaluation.flakeJobNames(pipeline.localNixBinDirectory(), ref)));
    }
    return jobs;
  }

  /**
   * Says what the pipeline is doing, for the line a SIGINT/SIGTERM ends with, and stops it between
   * steps once the JVM is shutting down.
   */
  private StepListener steps(
      StoreProvider store,
      Submitter submitter,
      ConsoleListener console,
      String jobArgument,
      String target) {
    Interruption interruption = session.interruption();
    String verb = verb();
    return (step, keys) -> {
      String jobs = keys.size() == 1 ? keys.get(0).toString() : keys.size() + " jobs";
      switch (step) {
        case EVALUATE -> {
          console.on(
              LogEvent.info(
                  (dryRun ? "dry run: " : "")
                      + target
                      + ": store "
                      + store.name()
                      + ", submitter "
                      + submitter.name()));
          interruption.doing(
              "building " + jobArgument + " with Nix to " + verb + " " + target,
              "Nix and its builders",
              "nothing was published or submitted");
        }
        case PUBLISH -> {
          interruption.checkpoint();
          interruption.doing(
              "publishing the closures of "
                  + jobs
                  + " with the "
                  + store.name()
                  + " store provider",
              "Nix",
              store.interruptedPublishLeaves() + "; nothing was submitted");
        }
        case SUBMIT -> {
          interruption.checkpoint();
          interruption.doing(
              "submitting " + jobs + " with the " + submitter.name() + " submitter",
              submitter.programs().orElse(null),
              "the "
                  + verb
                  + " may have reached the scheduler: check with `nix-aurora status "
                  + (keys.size() == 1 ? keys.get(0).toString() : "KEY")
                  + "` before running "
                  + verb
                  + " again");
        }
      }
    };
  }

  /** Keeps what was submitted, for {@code diff}. */
  private void record(Submitted submitted, ConsoleListener console) throws CliException {
    JobKey key = submitted.key();
    session
        .interruption()
        .doing(
            "recording the submitted configuration of " + key,
            null,
            "the " + verb() + " of " + key + " was accepted by the scheduler");
    new SubmittedConfigs(session.environment())
        .save(submitted.config())
        .ifPresent(w -> console.on(LogEvent.warn(w)));
  }

  private String dryRunVerb(AuroraJobConfig config) {
    return action == Action.UPDATE ? "update" : config.cron() ? "schedule" : "create";
  }

  /** The aurora client's or scheduler's words: escaped, never raw terminal control. */
  private static void printAnswer(PrintWriter out, SubmitResult result) {
    out.println(SafeText.escape(result.message()));
    result.url().map(SafeText::escape).ifPresent(out::println);
  }

  private static String done(SubmitResult result) {
    return switch (result.action()) {
          case CREATE -> "created ";
          case SCHEDULE_CRON -> "scheduled cron job ";
          case UPDATE -> "update started for ";
          case KILL -> "killed ";
        }
        + result.key()
        + result.updateId().map(id -> " (update " + id + ")").orElse("");
  }

  private static String status(SubmitResult.Action action) {
    return switch (action) {
      case CREATE -> "created";
      case SCHEDULE_CRON -> "scheduled";
      case UPDATE -> "update-started";
      case KILL -> "killed";
    };
  }
}
