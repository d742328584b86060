package io.nixaurora.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobEvaluator;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The facade's order and per-job outcomes with in-memory backends (the Nix evaluator's own tests
 * and the cli's *IT tests run it with Nix): what is refused is never published or submitted, two
 * jobs with one key are both refused, fail-fast stops the rest, submissions stay within the bound.
 */
class NixAuroraTest {

  /** Builds Java jobs into a model with one made-up script per process; no Nix involved. */
  static final class ModelEvaluator implements JobEvaluator {
    final List<List<JobSource>> calls = Collections.synchronizedList(new ArrayList<>());
    final String system;

    ModelEvaluator(String system) {
      this.system = system;
    }

    @Override
    public BuiltJob evaluate(JobSource source, EventListener events) {
      Job job = ((JobSource.JavaJob) source).job();
      Map<String, ProcessScript> scripts = new LinkedHashMap<>();
      for (Process p : job.task().processes()) {
        String name =
            "aurora-process-"
                + String.join("-", job.cluster(), job.role(), job.environment(), job.name())
                + "-"
                + p.name();
        scripts.put(
            p.name(),
            new ProcessScript(
                p.name(), StorePath.of("/nix/store/" + "0".repeat(32) + "-" + name), system));
      }
      return new BuiltJob(job, scripts, system);
    }

    @Override
    public List<io.nixaurora.api.Evaluated> evaluateAll(List<JobSource> sources, EventListener e) {
      calls.add(List.copyOf(sources));
      return JobEvaluator.super.evaluateAll(sources, e);
    }
  }

  /** Records what was published, in publishAll calls, and the keys released. */
  static final class RecordingStore implements StoreProvider {
    final List<List<JobKey>> published = Collections.synchronizedList(new ArrayList<>());
    final Set<JobKey> released = Collections.synchronizedSet(new HashSet<>());
    StoreException failure;
    Set<JobKey> retained = Set.of();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public io.nixaurora.api.InitCommand initCommand() {
      return script -> "realise " + script.path();
    }

    @Override
    public Publication publish(BuiltJob job, EventListener events) {
      throw new AssertionError("the facade publishes through publishAll");
    }

    @Override
    public List<Publication> publishAll(List<BuiltJob> jobs, EventListener events)
        throws StoreException {
      if (failure != null) {
        throw failure;
      }
      published.add(jobs.stream().map(BuiltJob::key).toList());
      List<Publication> out = new ArrayList<>();
      for (BuiltJob job : jobs) {
        out.add(
            new Publication(
                initCommand(),
                job.scripts().values().stream().map(ProcessScript::path).toList(),
                "recorded"));
      }
      return out;
    }

    @Override
    public Set<JobKey> retainedJobs() {
      return retained;
    }

    @Override
    public boolean release(JobKey key, EventListener events) {
      released.add(key);
      return true;
    }
  }

  /** Submits into a list; a job named refused* is refused (exit 4), down* unreachable (exit 7). */
  static final class RecordingSubmitter implements Submitter {
    final List<JobKey> created = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final List<String> checked = Collections.synchronizedList(new ArrayList<>());
    final List<JobKey> diffed = Collections.synchronizedList(new ArrayList<>());
    SubmitException notReady;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void checkReady() throws SubmitException {
      if (notReady != null) {
        throw notReady;
      }
    }

    @Override
    public void checkSubmittable(Job job) throws InvalidJobException {
      if (job.name().startsWith("unloadable")) {
        throw new InvalidJobException("container", "this submitter's client cannot load it");
      }
    }

    @Override
    public void checkBeforePublish(Job job, EventListener events) throws InvalidJobException {
      checked.add(job.name());
      if (job.name().startsWith("untiered")) {
        throw new InvalidJobException("tier", "the cluster has no such tier");
      }
    }

    @Override
    public SubmitResult create(AuroraJobConfig config) throws SubmitException {
      int now = running.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      try {
        if (config.key().name().startsWith("refused")) {
          throw new SubmitException.CommandFailed("job " + config.key() + " already exists");
        }
        if (config.key().name().startsWith("down")) {
          throw new SubmitException.Network("scheduler unreachable");
        }
        created.add(config.key());
        return SubmitResult.of(config.key(), SubmitResult.Action.CREATE, "created");
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public java.util.Optional<io.nixaurora.api.JobDiff> diff(AuroraJobConfig config)
        throws SubmitException {
      if (config.key().name().startsWith("down")) {
        throw new SubmitException.Network("scheduler unreachable");
      }
      diffed.add(config.key());
      return java.util.Optional.empty();
    }

    @Override
    public SubmitResult update(AuroraJobConfig config) {
      return SubmitResult.of(config.key(), SubmitResult.Action.UPDATE, "updating");
    }

    @Override
    public SubmitResult kill(JobKey key) {
      return SubmitResult.of(key, SubmitResult.Action.KILL, "killed");
    }

    @Override
    public JobStatus status(JobKey key) {
      return new JobStatus(key, List.of(), "");
    }
  }

  private final ModelEvaluator evaluator = new ModelEvaluator("x86_64-linux");
  private final RecordingStore store = new RecordingStore();
  private final RecordingSubmitter submitter = new RecordingSubmitter();

  private NixAurora aurora() {
    return NixAurora.builder(evaluator, store)
        .submitter(submitter)
        .cluster("devcluster", "x86_64-linux")
        .build();
  }

  private static Job job(String cluster, String name, boolean service, long ram) {
    return builder(cluster, name, service, ram).build();
  }

  /** A service with a cron schedule, which Aurora's rules (the compiler's validation) refuse. */
  private static Job invalid(String name) {
    return builder("devcluster", name, true, 16 * Units.MB).cronSchedule("* * * * *").build();
  }

  private static Job.Builder builder(String cluster, String name, boolean service, long ram) {
    return Job.builder()
        .cluster(cluster)
        .role("www")
        .environment("prod")
        .name(name)
        .service(service)
        .task(
            Task.builder()
                .process(Process.builder().name("main").cmdline(Cmdline.of("/bin/hello")).build())
                .resources(Resources.of(1, ram, 64 * Units.MB))
                .build());
  }

  private static Target target(String name) {
    return Target.of(JobSource.java(job("devcluster", name, true, 16 * Units.MB), Path.of("/")));
  }

  private static Target target(Job job) {
    return Target.of(JobSource.java(job, Path.of("/")));
  }

  private static JobKey key(String name) {
    return JobKey.parse("devcluster/www/prod/" + name);
  }

  @Test
  void refusedJobsArePublishedAndSubmittedNeitherAndTheOthersGoAhead() throws Exception {
    List<JobResult<Submitted>> results =
        aurora()
            .deployAll(
                Action.CREATE,
                List.of(
                    target("alpha"),
                    target(invalid("noram")),
                    target(job("othercluster", "gamma", true, 16 * Units.MB)),
                    target("untiered"),
                    target("beta")),
                Options.DEFAULT);

    assertEquals(1, evaluator.calls.size(), "one evaluation for all jobs");
    assertEquals(List.of(List.of(key("alpha"), key("beta"))), store.published);
    assertEquals(Set.of(key("alpha"), key("beta")), new HashSet<>(submitter.created));
    assertInstanceOf(JobResult.Done.class, results.get(0));
    assertInstanceOf(InvalidJobException.class, ((JobResult.Failed<?>) results.get(1)).error());
    JobResult.Failed<?> other = (JobResult.Failed<?>) results.get(2);
    assertInstanceOf(JobRefusedException.class, other.error());
    assertTrue(other.error().getMessage().contains("not of cluster devcluster"));
    assertFalse(other.published());
    assertEquals(
        "tier",
        ((InvalidJobException) ((JobResult.Failed<?>) results.get(3)).error())
            .violations()
            .get(0)
            .path());
    assertEquals(3, JobResult.exitCode(results));
    // the submitter is asked only about jobs that passed their own checks
    assertEquals(List.of("alpha", "untiered", "beta"), submitter.checked);
  }

  @Test
  void twoJobsWithOneKeyAreBothRefused() throws Exception {
    List<JobResult<Submitted>> results =
        aurora()
            .deployAll(
                Action.CREATE,
                List.of(target("twin"), target("single"), target("twin")),
                Options.DEFAULT);
    assertEquals(List.of(List.of(key("single"))), store.published);
    for (int i : List.of(0, 2)) {
      JobResult.Failed<?> f = (JobResult.Failed<?>) results.get(i);
      assertTrue(f.error().getMessage().startsWith("2 jobs define devcluster/www/prod/twin"));
      assertEquals(key("twin"), f.key().orElseThrow());
    }
  }

  @Test
  void failFastPublishesNothingOnceAJobIsRefused() throws Exception {
    List<JobResult<Submitted>> results =
        aurora()
            .deployAll(
                Action.CREATE,
                List.of(target("alpha"), target(invalid("noram"))),
                new Options(4, true));
    assertEquals(List.of(), store.published);
    assertEquals(List.of(), submitter.created);
    assertInstanceOf(JobResult.Skipped.class, results.get(0));
    assertEquals(3, JobResult.exitCode(results));
  }

  @Test
  void failFastStartsNoSubmissionOnceOneFailed() throws Exception {
    // one at a time, so the order is the targets' and the test does not depend on timing
    List<JobResult<Submitted>> results =
        aurora()
            .deployAll(
                Action.CREATE,
                List.of(target("refused"), target("alpha"), target("beta")),
                new Options(1, true));
    assertEquals(List.of(), submitter.created);
    assertInstanceOf(JobResult.Failed.class, results.get(0));
    assertInstanceOf(JobResult.Skipped.class, results.get(1));
    assertInstanceOf(JobResult.Skipped.class, results.get(2));
    assertEquals(4, JobResult.exitCode(results));
    // published for a create that never happened: their roots go, as the refused one's do
    assertEquals(Set.of(key("refused"), key("alpha"), key("beta")), store.released);
  }

  @Test
  void aSkippedCreateKeepsTheRootsOfAJobThatHadSomeBefore() throws Exception {
    store.retained = Set.of(key("alpha"));
    aurora()
        .deployAll(
            Action.CREATE,
            List.of(target("refused"), target("alpha"), target("beta")),
            new Options(1, true));
    assertEquals(Set.of(key("refused"), key("beta")), store.released);
  }

  @Test
  void failFastStopsTheDiffsOnceOneFailed() throws Exception {
    List<JobResult<Diffed>> results =
        aurora().diffAll(List.of(target("down"), target("alpha")), new Options(1, true));
    assertEquals(List.of(), submitter.diffed);
    assertEquals(7, ((JobResult.Failed<Diffed>) results.get(0)).error().exitCode());
    assertInstanceOf(JobResult.Skipped.class, results.get(1));

    List<JobResult<Diffed>> all =
        aurora().diffAll(List.of(target("down"), target("alpha")), new Options(1, false));
    assertEquals(List.of(key("alpha")), submitter.diffed, "without fail-fast the others go on");
    assertInstanceOf(JobResult.Done.class, all.get(1));
  }

  @Test
  void theExitCodeIsTheFailuresSharedCodeAndSkippedJobsCountOnlyWithoutFailures() {
    assertEquals(0, JobResult.exitCode(List.of(), false));
    assertEquals(3, JobResult.exitCode(List.of(3, 3), true));
    assertEquals(1, JobResult.exitCode(List.of(3, 4), false));
    assertEquals(1, JobResult.exitCode(List.of(), true));
  }

  @Test
  void submissionsStayWithinTheBoundAndFailuresAreTheirJobs() throws Exception {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      targets.add(target("job" + i));
    }
    targets.add(target("refused"));
    targets.add(target("down"));
    List<JobResult<Submitted>> results =
        aurora().deployAll(Action.CREATE, targets, new Options(2, false));
    assertTrue(submitter.mostAtOnce.get() <= 2, "more than 2 at once: " + submitter.mostAtOnce);
    assertEquals(8, submitter.created.size());
    assertEquals(4, ((JobResult.Failed<?>) results.get(8)).error().exitCode());
    assertTrue(((JobResult.Failed<?>) results.get(8)).published());
    assertEquals(7, ((JobResult.Failed<?>) results.get(9)).error().exitCode());
    // a refused create lets go of what was kept for it; after a network error it may exist
    assertEquals(Set.of(key("refused")), store.released);
    assertEquals(1, JobResult.exitCode(results), "4 and 7: no common code");
  }

  @Test
  void aSubmitterThatIsNotReadyFailsTheCallBeforeAnythingIsBuilt() {
    submitter.notReady = new SubmitException(3, "cannot find the client");
    SubmitException e =
        assertThrows(
            SubmitException.class, () -> aurora().create(key("alpha"), target("alpha").source()));
    assertEquals("cannot find the client", e.getMessage());
    assertEquals(List.of(), evaluator.calls);
  }

  @Test
  void oneJobsFailureIsThrownWithTheKeyCheckAndTheSystemGuard() throws Exception {
    JobRefusedException wrongKey =
        assertThrows(
            JobRefusedException.class,
            () -> aurora().create(key("other"), target("alpha").source()));
    assertTrue(
        wrongKey
            .getMessage()
            .equals(
                "the job file defines devcluster/www/prod/alpha but the command line says"
                    + " devcluster/www/prod/other"));
    NixAurora arm =
        NixAurora.builder(evaluator, store)
            .submitter(submitter)
            .cluster("devcluster", "aarch64-linux")
            .build();
    InvalidJobException system =
        assertThrows(InvalidJobException.class, () -> arm.publish(target("alpha").source()));
    assertTrue(system.getMessage().contains("was built for x86_64-linux"), system.getMessage());
    assertEquals(List.of(), store.published);

    Submitted created = aurora().create(key("alpha"), target("alpha").source());
    assertEquals("created", created.result().message());
    assertTrue(created.config().json().contains("realise /nix/store/"), created.config().json());
    JobRefusedException batch =
        assertThrows(
            JobRefusedException.class,
            () ->
                aurora()
                    .update(
                        key("batch"),
                        JobSource.java(
                            job("devcluster", "batch", false, 16 * Units.MB), Path.of("/"))));
    assertTrue(batch.getMessage().contains("is not a service"));
  }

  @Test
  void aDryRunChecksEveryJobAndPublishesNothing() throws Exception {
    List<JobResult<Built>> results =
        aurora().checkAll(Action.CREATE, List.of(target("alpha"), target(invalid("noram"))));
    assertEquals(List.of(), store.published);
    assertEquals(List.of(), submitter.checked, "a dry run does not ask the cluster");
    Built alpha = ((JobResult.Done<Built>) results.get(0)).value();
    assertTrue(alpha.config().json().contains("realise /nix/store/"), alpha.config().json());
    assertInstanceOf(InvalidJobException.class, ((JobResult.Failed<Built>) results.get(1)).error());
  }

  @Test
  void aJobTheSubmitterCanNeverCarryIsRefusedInADryRunAndInACreate() throws Exception {
    List<JobResult<Built>> checked =
        aurora().checkAll(Action.CREATE, List.of(target("alpha"), target("unloadable")));
    assertInstanceOf(JobResult.Done.class, checked.get(0));
    assertInstanceOf(InvalidJobException.class, ((JobResult.Failed<Built>) checked.get(1)).error());
    List<JobResult<Submitted>> created =
        aurora()
            .deployAll(
                Action.CREATE, List.of(target("alpha"), target("unloadable")), Options.DEFAULT);
    assertInstanceOf(JobResult.Done.class, created.get(0));
    assertInstanceOf(
        InvalidJobException.class, ((JobResult.Failed<Submitted>) created.get(1)).error());
    assertEquals(
        List.of(List.of(key("alpha"))), store.published, "the refused job is not published");
  }

  @Test
  void aFailedPublicationFailsEveryJobOfItAndSubmitsNothing() throws Exception {
    store.failure = new StoreException("cache unreachable");
    List<JobResult<Submitted>> results =
        aurora()
            .deployAll(Action.CREATE, List.of(target("alpha"), target("beta")), Options.DEFAULT);
    for (JobResult<Submitted> r : results) {
      assertEquals("cache unreachable", ((JobResult.Failed<Submitted>) r).error().getMessage());
    }
    assertEquals(List.of(), submitter.created);
  }
}
