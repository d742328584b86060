package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.StorePath;
import io.nixaurora.api.SubmitException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store paths of every configuration the scheduler may launch, as cache gc roots: active tasks
 * (every instance), job configurations (cron templates), updates in progress. Any call that fails
 * fails the whole answer: "no answer" is never "nothing is live".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveStorePathsTest {

  private static final String OLD =
      "/nix/store/0c0b8sgzflbbn0xj3gcdf9r6h1vqhxlc-aurora-process-web";
  private static final String NEW =
      "/nix/store/1q2k3nwl8rbm4bb6c8dg4w8r7r5dsj3w-aurora-process-web";
  private static final String CRON =
      "/nix/store/2aa0kzy1hcb3c8mr7l7wxw1nqgsb0q4c-aurora-process-job";
  private static final String ROLLBACK =
      "/nix/store/3v8rq07n8mz4yd0m4qzk5v7kqx0xkj1b-aurora-process-web";

  private FakeScheduler scheduler;
  private Path home;

  @BeforeEach
  void start() throws Exception {
    scheduler = new FakeScheduler();
    home = Files.createTempDirectory("live-home");
  }

  @AfterEach
  void stop() {
    scheduler.close();
  }

  private HttpSubmitter submitter(String uri) {
    return new HttpSubmitter(
        HttpSubmitterSettings.parse(
            Map.of("scheduler_uri", uri, "owner", "vagrant", "retry_budget_seconds", "2")),
        event -> {},
        java.util.UUID::randomUUID,
        home,
        Map.of());
  }

  /** A TaskConfig whose executor data runs {@code script}, as nix-aurora's configurations do. */
  private static TJson.Struct taskConfig(String script) {
    String data =
        "{\"task\": {\"processes\": [{\"cmdline\": \"exec " + script + "\", \"name\": \"web\"}]}}";
    return new TJson.Struct()
        .set(
            AuroraApi.TaskConfig.EXECUTOR_CONFIG,
            new TJson.Struct()
                .set(AuroraApi.ExecutorConfig.NAME, TJson.str(AuroraApi.AURORA_EXECUTOR_NAME))
                .set(AuroraApi.ExecutorConfig.DATA, TJson.str(data)));
  }

  private static TJson.Struct task(String script, int instance) {
    return new TJson.Struct()
        .set(
            AuroraApi.ScheduledTask.ASSIGNED_TASK,
            new TJson.Struct()
                .set(AuroraApi.AssignedTask.TASK_ID, TJson.str("t-" + instance))
                .set(AuroraApi.AssignedTask.TASK, taskConfig(script))
                .set(AuroraApi.AssignedTask.INSTANCE_ID, TJson.i32(instance)))
        .set(AuroraApi.ScheduledTask.STATUS, TJson.i32(AuroraApi.ScheduleStatus.RUNNING.value()));
  }

  private void answerAll() {
    // A rolling update half way: instance 0 runs the old configuration, instance 1 the new one.
    scheduler.answer(
        "getTasksStatus",
        FakeScheduler.OK,
        List.of(),
        AuroraApi.Result.SCHEDULE_STATUS_RESULT,
        new TJson.Struct()
            .set(
                AuroraApi.ScheduleStatusResult.TASKS,
                TJson.list("rec", List.of(task(OLD, 0), task(NEW, 1)))));
    scheduler.answer(
        "getJobs",
        FakeScheduler.OK,
        List.of(),
        AuroraApi.Result.GET_JOBS_RESULT,
        new TJson.Struct()
            .set(
                AuroraApi.GetJobsResult.CONFIGS,
                TJson.set(
                    "rec",
                    List.of(
                        new TJson.Struct()
                            .set(AuroraApi.JobConfiguration.TASK_CONFIG, taskConfig(CRON))))));
    TJson.Struct instructions =
        new TJson.Struct()
            .set(
                AuroraApi.JobUpdateInstructions.INITIAL_STATE,
                TJson.set(
                    "rec",
                    List.of(
                        new TJson.Struct()
                            .set(AuroraApi.InstanceTaskConfig.TASK, taskConfig(ROLLBACK)))))
            .set(
                AuroraApi.JobUpdateInstructions.DESIRED_STATE,
                new TJson.Struct().set(AuroraApi.InstanceTaskConfig.TASK, taskConfig(NEW)));
    TJson.Struct details =
        new TJson.Struct()
            .set(
                AuroraApi.JobUpdateDetails.UPDATE,
                new TJson.Struct().set(AuroraApi.JobUpdate.INSTRUCTIONS, instructions));
    scheduler.answer(
        "getJobUpdateDetails",
        FakeScheduler.OK,
        List.of(),
        AuroraApi.Result.GET_JOB_UPDATE_DETAILS_RESULT,
        new TJson.Struct()
            .set(
                AuroraApi.GetJobUpdateDetailsResult.DETAILS_LIST,
                TJson.list("rec", List.of(details))));
  }

  @Test
  void everyConfigurationTheSchedulerMayLaunchIsLive() throws Exception {
    answerAll();
    Set<StorePath> live = submitter(scheduler.uri()).liveStorePaths("devcluster");
    assertEquals(
        Set.of(StorePath.of(OLD), StorePath.of(NEW), StorePath.of(CRON), StorePath.of(ROLLBACK)),
        live);
    // The task query asks for the active states of every job, with configurations.
    assertTrue(
        scheduler.server.getAllServeEvents().stream()
            .anyMatch(
                e ->
                    e.getRequest().getBodyAsString().contains("\"getTasksStatus\"")
                        && e.getRequest()
                            .getBodyAsString()
                            .contains("\"5\":{\"set\":[\"i32\",10,")));
  }

  @Test
  void aFailedCallFailsTheWholeAnswer() throws Exception {
    answerAll();
    scheduler.answer("getJobs", FakeScheduler.ERROR, "storage is unavailable");
    SubmitException e =
        assertThrows(
            SubmitException.class, () -> submitter(scheduler.uri()).liveStorePaths("devcluster"));
    assertTrue(e.getMessage().contains("getJobs"), e.getMessage());
    assertTrue(e.getMessage().contains("storage is unavailable"), e.getMessage());
  }

  @Test
  void anUnreachableSchedulerIsAnErrorNotAnEmptySet() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThrows(
        SubmitException.class,
        () -> submitter("http://127.0.0.1:" + port + "/").liveStorePaths("devcluster"));
  }
}
