package io.nixaurora.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Submitter} shares, run against a fake cluster. A backend's test
 * extends this class and supplies the submitter and a {@link FakeCluster} that makes its fake (a
 * fake {@code aurora} executable, a WireMock scheduler, …) answer as the real cluster does.
 *
 * <p>A plugin's submitter runs it too: depend on {@code nix-aurora-tck} in test scope and extend
 * this class. {@link #expectsSchedulerDiff()} says whether the submitter asks the scheduler for a
 * {@link Submitter#diff diff} (the http submitter does; the aurora client has no such command).
 */
public abstract class SubmitterContract {

  /** The job every contract test submits. */
  protected static final JobKey KEY = new JobKey("devcluster", "vagrant", "devel", "hello_world");

  /** The update id the fake cluster gives a started update. */
  protected static final String UPDATE_ID = "5e6e0c7b-5f2b-4b2e-9d4c-4a1c1e2f9a10";

  /** How the fake cluster can turn a request down. */
  public enum Failure {
    /** The configuration is rejected (aurora exit 3). */
    INVALID_CONFIGURATION,
    /** The command fails, e.g. the job already exists (aurora exit 4). */
    COMMAND_FAILED,
    /** The user is not authenticated or not allowed (aurora exit 30, HTTP 401/403). */
    AUTHENTICATION
  }

  /** The requests a submitter makes of the cluster, as the contract sees them. */
  public enum Operation {
    CREATE_JOB,
    SCHEDULE_CRON,
    START_UPDATE,
    UPDATE_STATUS,
    KILL_JOB,
    JOB_STATUS,
    /** The scheduler's diff of an update (read-only). */
    UPDATE_DIFF
  }

  /** One request the fake cluster received. */
  public record Call(Operation operation, JobKey key) {
    public Call {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Makes a backend's fake answer as a real cluster would. Each {@code accept}/{@code reject} call
   * replaces how every later request is answered.
   */
  public interface FakeCluster extends AutoCloseable {

    /**
     * From now on every request succeeds: jobs are created, cron jobs scheduled and jobs killed; a
     * started update gets the id {@code updateId} and is reported in state {@code updateStatus};
     * the job's status lists {@code tasks} (none: the job does not exist).
     */
    void accept(List<JobStatus.Task> tasks, String updateId, String updateStatus) throws Exception;

    /**
     * From now on every request fails as the real cluster fails for {@code failure}, with {@code
     * clusterMessage} as the cluster's own error text.
     */
    void reject(Failure failure, String clusterMessage) throws Exception;

    /**
     * The requests received so far, in order (requests the contract does not name are left out).
     */
    List<Call> calls() throws Exception;

    /**
     * From now on a diff request is answered with {@code diff}'s instance groups (its detail text
     * is not part of the answer). A fake of a submitter that does not ask the scheduler for diffs
     * ignores it.
     */
    default void answerDiff(JobDiff diff) throws Exception {}

    @Override
    default void close() throws Exception {}
  }

  /** Starts the fake cluster (called before each test). */
  protected abstract FakeCluster startCluster() throws Exception;

  /** The submitter under test, talking to {@code cluster} (called before each test). */
  protected abstract Submitter newSubmitter(FakeCluster cluster) throws Exception;

  /** The name the submitter must report, such as {@code cli}. */
  protected abstract String expectedName();

  /**
   * Whether {@link Submitter#diff} asks the scheduler (and so must answer); when not, it must
   * answer empty without a request that changes anything.
   */
  protected boolean expectsSchedulerDiff() {
    return false;
  }

  private FakeCluster cluster;
  private Submitter submitter;

  @BeforeEach
  final void startContractCluster() throws Exception {
    cluster = startCluster();
    submitter = newSubmitter(cluster);
  }

  @AfterEach
  final void stopContractCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The fake cluster of the current test. */
  protected final FakeCluster cluster() {
    return cluster;
  }

  /** The submitter of the current test. */
  protected final Submitter submitter() {
    return submitter;
  }

  // ---- configurations, as the compiler writes them ----

  /** A one-instance service with a nix_init process ordered before its process. */
  protected static AuroraJobConfig serviceConfig() {
    return new AuroraJobConfig(KEY, jobJson(true, null), true, false);
  }

  /** The same job as a batch job (not a service). */
  protected static AuroraJobConfig batchConfig() {
    return new AuroraJobConfig(KEY, jobJson(false, null), false, false);
  }

  /** The same job run by cron every five minutes. */
  protected static AuroraJobConfig cronConfig() {
    return new AuroraJobConfig(KEY, jobJson(false, "*/5 * * * *"), false, true);
  }

  private static final String SCRIPT =
      "/nix/store/0c5z4q4mwd2b6y0mybfd0cbx2mcb5rwk-aurora-process-devcluster-vagrant-devel"
          + "-hello_world-hello";

  /** The job JSON in the compiler's layout: sorted keys, snake_case, a trailing newline. */
  protected static String jobJson(boolean service, String cronSchedule) {
    String cron =
        cronSchedule == null
            ? ""
            : "\"cron_collision_policy\":\"KILL_EXISTING\",\"cron_schedule\":\""
                + cronSchedule
                + "\",";
    return "{"
        + "\"cluster\":\"devcluster\","
        + cron
        + "\"environment\":\"devel\","
        + "\"instances\":1,"
        + "\"name\":\"hello_world\","
        + "\"role\":\"vagrant\","
        + "\"service\":"
        + service
        + ","
        + "\"task\":{"
        + "\"constraints\":[{\"order\":[\"nix_init_hello\",\"hello\"]}],"
        + "\"name\":\"hello_world\","
        + "\"processes\":["
        + "{\"cmdline\":\"/usr/bin/nix-store --add-root .gc/hello -r "
        + SCRIPT
        + "\",\"name\":\"nix_init_hello\"},"
        + "{\"cmdline\":\"exec "
        + SCRIPT
        + "\",\"name\":\"hello\"}],"
        + "\"resources\":{\"cpu\":0.5,\"disk\":134217728,\"ram\":67108864}},"
        + "\"update_config\":{\"batch_size\":1,\"watch_secs\":30}"
        + "}\n";
  }

  /** Two running tasks and one pending, as a status would list them. */
  protected static List<JobStatus.Task> runningTasks() {
    return List.of(
        new JobStatus.Task(
            0,
            Optional.of("vagrant-devel-hello_world-0-8c1f9b1e-2d5f-4c84-a3f6-0e2a4b5c6d7e"),
            "RUNNING",
            Optional.of("192.168.33.7")),
        new JobStatus.Task(
            1,
            Optional.of("vagrant-devel-hello_world-1-1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081"),
            "RUNNING",
            Optional.of("192.168.33.8")),
        new JobStatus.Task(
            2,
            Optional.of("vagrant-devel-hello_world-2-9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"),
            "PENDING",
            Optional.empty()));
  }

  private List<Operation> operations() throws Exception {
    return cluster.calls().stream().map(Call::operation).toList();
  }

  private void assertAllCallsFor(JobKey key) throws Exception {
    for (Call call : cluster.calls()) {
      assertEquals(key, call.key(), "every request is for the submitted job: " + call);
    }
  }

  // ---- the contract ----

  @Test
  void hasItsName() {
    assertEquals(expectedName(), submitter.name());
  }

  @Test
  void createsAJob() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitResult result = submitter.create(serviceConfig());

    assertEquals(KEY, result.key());
    assertEquals(SubmitResult.Action.CREATE, result.action());
    assertTrue(
        result.url().orElseThrow().endsWith("/scheduler/vagrant/devel/hello_world"),
        "url is the job's page: " + result.url());
    assertTrue(operations().contains(Operation.CREATE_JOB), "calls: " + cluster.calls());
    assertFalse(operations().contains(Operation.SCHEDULE_CRON), "calls: " + cluster.calls());
    assertAllCallsFor(KEY);
  }

  @Test
  void schedulesACronJobInsteadOfCreatingIt() throws Exception {
    cluster.accept(List.of(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitResult result = submitter.create(cronConfig());

    assertEquals(KEY, result.key());
    assertEquals(SubmitResult.Action.SCHEDULE_CRON, result.action());
    assertTrue(operations().contains(Operation.SCHEDULE_CRON), "calls: " + cluster.calls());
    assertFalse(operations().contains(Operation.CREATE_JOB), "calls: " + cluster.calls());
    assertAllCallsFor(KEY);
  }

  @Test
  void updatesARunningService() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitResult result = submitter.update(serviceConfig());

    assertEquals(KEY, result.key());
    assertEquals(SubmitResult.Action.UPDATE, result.action());
    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(Optional.of("ROLLING_FORWARD"), result.updateState());
    assertTrue(operations().contains(Operation.START_UPDATE), "calls: " + cluster.calls());
    assertFalse(operations().contains(Operation.CREATE_JOB), "calls: " + cluster.calls());
    assertAllCallsFor(KEY);
  }

  @Test
  void refusesToUpdateABatchJob() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.update(batchConfig()));

    assertTrue(e.getMessage().contains("service"), "says why: " + e.getMessage());
    assertFalse(operations().contains(Operation.START_UPDATE), "calls: " + cluster.calls());
  }

  @Test
  void refusesToUpdateACronJob() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.update(cronConfig()));

    assertTrue(e.getMessage().contains("cron"), "says why: " + e.getMessage());
    assertFalse(operations().contains(Operation.START_UPDATE), "calls: " + cluster.calls());
  }

  @Test
  void refusesToCreateAJobThroughAnUpdate() throws Exception {
    cluster.accept(List.of(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitException e =
        assertThrows(SubmitException.class, () -> submitter.update(serviceConfig()));

    assertTrue(
        e.getMessage().contains(KEY.toString()) && e.getMessage().contains("create"),
        "names the job and the way out: " + e.getMessage());
    assertFalse(operations().contains(Operation.START_UPDATE), "calls: " + cluster.calls());
  }

  @Test
  void killsAJob() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");

    SubmitResult result = submitter.kill(KEY);

    assertEquals(KEY, result.key());
    assertEquals(SubmitResult.Action.KILL, result.action());
    assertTrue(operations().contains(Operation.KILL_JOB), "calls: " + cluster.calls());
    assertAllCallsFor(KEY);
  }

  @Test
  void readsTheJobsTasks() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");

    JobStatus status = submitter.status(KEY);

    assertEquals(KEY, status.key());
    List<JobStatus.Task> expected = runningTasks();
    List<JobStatus.Task> actual =
        status.tasks().stream()
            .sorted(java.util.Comparator.comparingInt(JobStatus.Task::instance))
            .toList();
    assertEquals(expected.size(), actual.size(), "tasks: " + actual);
    for (int i = 0; i < expected.size(); i++) {
      JobStatus.Task want = expected.get(i);
      JobStatus.Task got = actual.get(i);
      assertEquals(want.instance(), got.instance());
      assertEquals(want.status(), got.status());
      assertEquals(want.host(), got.host());
      // Not every backend sees task ids (the aurora client's text output has none); when it
      // reports one, it must be the right one.
      got.taskId().ifPresent(id -> assertEquals(want.taskId().orElseThrow(), id));
    }
    assertFalse(status.raw().isEmpty(), "keeps the raw answer");
    assertTrue(operations().contains(Operation.JOB_STATUS), "calls: " + cluster.calls());
  }

  @Test
  void aJobWithoutTasksHasAnEmptyStatus() throws Exception {
    cluster.accept(List.of(), UPDATE_ID, "ROLLING_FORWARD");

    JobStatus status = submitter.status(KEY);

    assertEquals(KEY, status.key());
    assertEquals(List.of(), status.tasks());
  }

  @Test
  void anInvalidConfigurationIsReportedWithTheClustersWords() throws Exception {
    String error = "MesosJob[task] failed: Task[resources] is required.";
    cluster.reject(Failure.INVALID_CONFIGURATION, error);

    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class, () -> submitter.create(serviceConfig()));

    assertTrue(e.getMessage().contains(error), "keeps the cluster's text: " + e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void aFailedCommandIsReportedWithTheClustersWords() throws Exception {
    String error = "Job vagrant/devel/hello_world already exists";
    cluster.reject(Failure.COMMAND_FAILED, error);

    SubmitException.CommandFailed e =
        assertThrows(SubmitException.CommandFailed.class, () -> submitter.create(serviceConfig()));

    assertTrue(e.getMessage().contains(error), "keeps the cluster's text: " + e.getMessage());
    assertEquals(4, e.exitCode());
  }

  @Test
  void aRejectedUserIsAnAuthenticationError() throws Exception {
    String error = "User vagrant is not permitted to perform killTasks on vagrant";
    cluster.reject(Failure.AUTHENTICATION, error);

    SubmitException.Authentication e =
        assertThrows(SubmitException.Authentication.class, () -> submitter.kill(KEY));

    assertTrue(e.getMessage().contains(error), "keeps the cluster's text: " + e.getMessage());
    assertEquals(30, e.exitCode());
  }

  @Test
  void anAuthenticationErrorOnCreateIsNotMistakenForAnotherFailure() throws Exception {
    String error = "Unauthorized: bad credentials for vagrant";
    cluster.reject(Failure.AUTHENTICATION, error);

    SubmitException.Authentication e =
        assertThrows(SubmitException.Authentication.class, () -> submitter.create(serviceConfig()));

    assertTrue(e.getMessage().contains(error), "keeps the cluster's text: " + e.getMessage());
  }

  private static final List<Operation> WRITES =
      List.of(
          Operation.CREATE_JOB,
          Operation.SCHEDULE_CRON,
          Operation.START_UPDATE,
          Operation.KILL_JOB);

  private void assertNothingChanged() throws Exception {
    for (Operation op : operations()) {
      assertFalse(WRITES.contains(op), "a diff changes nothing; calls: " + cluster.calls());
    }
  }

  @Test
  void diffsAnUpdateWithTheSchedulerAndChangesNothing() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");
    JobDiff answer = new JobDiff(List.of(2), List.of(), List.of(0, 1), List.of(), "");
    cluster.answerDiff(answer);

    Optional<JobDiff> diff = submitter.diff(serviceConfig());

    if (expectsSchedulerDiff()) {
      JobDiff got = diff.orElseThrow(() -> new AssertionError("no diff from the scheduler"));
      assertEquals(answer.added(), got.added());
      assertEquals(answer.removed(), got.removed());
      assertEquals(answer.updated(), got.updated());
      assertEquals(answer.unchanged(), got.unchanged());
      assertFalse(got.isEmpty());
      assertTrue(operations().contains(Operation.UPDATE_DIFF), "calls: " + cluster.calls());
      assertAllCallsFor(KEY);
    } else {
      assertEquals(Optional.empty(), diff, "a submitter that cannot ask answers empty");
    }
    assertNothingChanged();
  }

  @Test
  void anUnchangedJobHasAnEmptyDiff() throws Exception {
    cluster.accept(runningTasks(), UPDATE_ID, "ROLLING_FORWARD");
    cluster.answerDiff(new JobDiff(List.of(), List.of(), List.of(), List.of(0, 1, 2), ""));

    Optional<JobDiff> diff = submitter.diff(serviceConfig());

    if (expectsSchedulerDiff()) {
      JobDiff got = diff.orElseThrow(() -> new AssertionError("no diff from the scheduler"));
      assertTrue(got.isEmpty(), "nothing would change: " + got);
      assertEquals(List.of(0, 1, 2), got.unchanged());
    } else {
      assertEquals(Optional.empty(), diff);
    }
    assertNothingChanged();
  }

  @Test
  void aDiffTheClusterRefusesIsReportedWithItsWords() throws Exception {
    String error = "MesosJob[task] failed: Task[resources] is required.";
    cluster.reject(Failure.INVALID_CONFIGURATION, error);

    if (expectsSchedulerDiff()) {
      SubmitException.InvalidConfiguration e =
          assertThrows(
              SubmitException.InvalidConfiguration.class, () -> submitter.diff(serviceConfig()));
      assertTrue(e.getMessage().contains(error), "keeps the cluster's text: " + e.getMessage());
      assertEquals(3, e.exitCode());
    } else {
      assertEquals(Optional.empty(), submitter.diff(serviceConfig()));
    }
    assertNothingChanged();
  }
}
