package io.nixaurora.submit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cli submitter against a fake {@code aurora} first on PATH. */
@org.junit.jupiter.api.Timeout(value = 600, unit = java.util.concurrent.TimeUnit.SECONDS)
class AuroraCliSubmitterIT {

  private static final JobKey KEY = new JobKey("devcluster", "www-data", "prod", "hello");
  private static final String UPDATE_ID = "0d7c2c8a-86e8-4c35-9a4e-27d6c1c3b1f2";

  /** A service as the compiler writes it, with a non-ASCII byte to catch re-encoding. */
  private static final String SERVICE_JSON =
      "{\"cluster\":\"devcluster\",\"environment\":\"prod\",\"instances\":2,\"name\":\"hello\","
          + "\"role\":\"www-data\",\"service\":true,\"task\":{\"constraints\":[{\"order\":"
          + "[\"nix_init_web\",\"web\"]}],\"name\":\"hello\",\"processes\":[{\"cmdline\":"
          + "\"/nix/var/nix/profiles/default/bin/nix-store --add-root .gc/web -r "
          + "/nix/store/6y1jx9hq8m3a0pyi0f3x6sbq1q3ibsc1-aurora-process-devcluster-www-data-prod"
          + "-hello-web\",\"name\":\"nix_init_web\"},{\"cmdline\":\"exec /nix/store/"
          + "6y1jx9hq8m3a0pyi0f3x6sbq1q3ibsc1-aurora-process-devcluster-www-data-prod-hello-web\","
          + "\"name\":\"web\"}],\"resources\":{\"cpu\":0.25,\"disk\":67108864,\"ram\":33554432}},"
          + "\"contact\":\"café@example.org\",\"update_config\":{\"batch_size\":1,"
          + "\"watch_secs\":20}}\n";

  private static final AuroraJobConfig SERVICE =
      new AuroraJobConfig(KEY, SERVICE_JSON, true, false);
  private static final AuroraJobConfig CRON =
      new AuroraJobConfig(
          KEY,
          SERVICE_JSON.replace("\"service\":true", "\"cron_schedule\":\"0 * * * *\""),
          false,
          true);
  private static final AuroraJobConfig BATCH =
      new AuroraJobConfig(
          KEY, SERVICE_JSON.replace("\"service\":true", "\"service\":false"), false, false);

  private static final List<JobStatus.Task> RUNNING =
      List.of(
          new JobStatus.Task(0, Optional.empty(), "RUNNING", Optional.of("agent-1.example.org")),
          new JobStatus.Task(1, Optional.empty(), "RUNNING", Optional.of("agent-2.example.org")));

  @TempDir Path dir;
  private FakeAurora aurora;

  @BeforeEach
  void setUp() throws IOException {
    aurora = new FakeAurora(dir);
  }

  @AfterEach
  void noTemporaryFileIsLeft() throws IOException {
    try (Stream<Path> left = Files.list(aurora.tempRoot())) {
      assertEquals(List.of(), left.toList(), "private temporary files are removed");
    }
  }

  private static String path(JobKey key) {
    return key.role() + "/" + key.environment() + "/" + key.name();
  }

  /** The config file a call got: in a fresh private directory, owner-only, named after the job. */
  private void assertPrivateConfig(FakeAurora.Call call, AuroraJobConfig config) {
    String file = call.argv().get(call.argv().size() - 1);
    Path p = Path.of(file);
    assertEquals(aurora.tempRoot(), p.getParent().getParent(), "in a directory of its own");
    assertEquals("hello.json", p.getFileName().toString());
    assertArrayEquals(config.bytes(), call.config().orElseThrow(), "the compiled bytes, unchanged");
    assertEquals("600", call.fileMode(), "only the user can read the config");
    assertEquals("700", call.dirMode(), "only the user can enter its directory");
  }

  // ---- create and cron ----

  @Test
  void createRunsJobCreateWithTheConfigFile() throws Exception {
    aurora.answer("job", "create", 0, FakeAurora.createSucceeded(), "INFO] Creating job hello\n");

    SubmitResult result = aurora.submitter().create(SERVICE);

    List<FakeAurora.Call> calls = aurora.calls();
    assertEquals(1, calls.size());
    List<String> argv = calls.get(0).argv();
    assertEquals(List.of("job", "create", "--read-json", KEY.toString()), argv.subList(0, 4));
    assertEquals(5, argv.size(), "argv: " + argv);
    assertPrivateConfig(calls.get(0), SERVICE);
    assertEquals(SubmitResult.Action.CREATE, result.action());
    assertEquals(KEY, result.key());
    assertEquals(
        "Job create succeeded: job url=http://192.168.33.7:8081/scheduler/www-data/prod/hello",
        result.message());
    assertEquals(
        Optional.of("http://192.168.33.7:8081/scheduler/www-data/prod/hello"), result.url());
  }

  @Test
  void aCronJobIsScheduledNotCreated() throws Exception {
    aurora.answer("cron", "schedule", 0, FakeAurora.cronScheduled(), "");

    SubmitResult result = aurora.submitter().create(CRON);

    FakeAurora.Call call = aurora.calls().get(0);
    assertEquals(
        List.of("cron", "schedule", "--read-json", KEY.toString()), call.argv().subList(0, 4));
    assertEquals(5, call.argv().size());
    assertPrivateConfig(call, CRON);
    assertEquals(SubmitResult.Action.SCHEDULE_CRON, result.action());
    assertEquals(Optional.of(FakeAurora.scheduler() + "/scheduler/" + path(KEY)), result.url());
    assertEquals(1, aurora.calls().size());
  }

  @Test
  void eachRunGetsItsOwnPrivateDirectory() throws Exception {
    aurora.answer("job", "create", 0, FakeAurora.createSucceeded(), "");
    aurora.submitter().create(SERVICE);
    aurora.submitter().create(SERVICE);

    List<FakeAurora.Call> calls = aurora.calls();
    String first = calls.get(0).argv().get(4);
    String second = calls.get(1).argv().get(4);
    assertFalse(first.equals(second), "a fresh directory per run: " + first);
  }

  // ---- update ----

  @Test
  void updateChecksTheJobStartsTheUpdateAndReadsItsState() throws Exception {
    aurora.answer("job", "status", 0, FakeAurora.status(KEY, RUNNING), "");
    aurora.answer("update", "start", 0, FakeAurora.updateStarted(UPDATE_ID), "");
    aurora.answer("update", "info", 0, FakeAurora.updateInfo(UPDATE_ID, "ROLLING_FORWARD"), "");

    SubmitResult result = aurora.submitter().update(SERVICE);

    List<FakeAurora.Call> calls = aurora.calls();
    assertEquals(3, calls.size(), "calls: " + calls);
    assertEquals(List.of("job", "status", KEY.toString()), calls.get(0).argv());
    assertEquals(
        List.of("update", "start", "--read-json", KEY.toString()),
        calls.get(1).argv().subList(0, 4));
    assertEquals(5, calls.get(1).argv().size());
    assertPrivateConfig(calls.get(1), SERVICE);
    assertEquals(List.of("update", "info", KEY.toString()), calls.get(2).argv());
    assertEquals(SubmitResult.Action.UPDATE, result.action());
    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(Optional.of("ROLLING_FORWARD"), result.updateState());
    assertEquals(Optional.of(FakeAurora.scheduler() + "/scheduler/" + path(KEY)), result.url());
    assertTrue(result.message().startsWith("Job update has started."), result.message());
  }

  @Test
  void anUnchangedJobStartsNoUpdate() throws Exception {
    aurora.answer("job", "status", 0, FakeAurora.status(KEY, RUNNING), "");
    aurora.answer("update", "start", 0, "Job is unchanged by proposed update.\n", "");

    SubmitResult result = aurora.submitter().update(SERVICE);

    assertEquals("Job is unchanged by proposed update.", result.message());
    assertEquals(Optional.empty(), result.updateId());
    assertEquals(Optional.empty(), result.updateState());
    assertEquals(2, aurora.calls().size(), "no update info without an update");
  }

  @Test
  void withoutAnUpdatePageTheIdComesFromUpdateInfo() throws Exception {
    // synthesize_url gives None when the client cannot find the scheduler's web UI.
    aurora.answer("job", "status", 0, FakeAurora.status(KEY, RUNNING), "");
    aurora.answer(
        "update",
        "start",
        0,
        "Job update has started. View your update progress at None\n",
        "Unable to find scheduler web UI!\n");
    aurora.answer("update", "info", 0, FakeAurora.updateInfo(UPDATE_ID, "ROLLING_FORWARD"), "");

    SubmitResult result = aurora.submitter().update(SERVICE);

    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(Optional.of("ROLLING_FORWARD"), result.updateState());
    assertEquals(Optional.empty(), result.url());
    assertEquals(3, aurora.calls().size());
  }

  @Test
  void anUpdateWhoseStateCannotBeReadIsStillStarted() throws Exception {
    aurora.answer("job", "status", 0, FakeAurora.status(KEY, RUNNING), "");
    aurora.answer("update", "start", 0, FakeAurora.updateStarted(UPDATE_ID), "");
    aurora.answer("update", "info", 6, "", "No updates found for job " + KEY + "\n");

    SubmitResult result = aurora.submitter().update(SERVICE);

    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(Optional.empty(), result.updateState());
    assertTrue(result.message().contains("No updates found for job " + KEY), "says why: " + result);
  }

  @Test
  void aHungUpdateInfoDoesNotTurnAStartedUpdateIntoAFailure() throws Exception {
    aurora.answer("job", "status", 0, FakeAurora.status(KEY, RUNNING), "");
    aurora.answer("update", "start", 0, FakeAurora.updateStarted(UPDATE_ID), "");
    aurora.hang("update", "info");

    SubmitResult result = aurora.submitter(Duration.ofSeconds(1)).update(SERVICE);

    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(Optional.empty(), result.updateState());
    assertTrue(result.message().contains("did not finish within 1 s"), result.message());
    assertStopped(aurora.childPid());
  }

  @Test
  void theStateOfAnotherUpdateIsNotReportedAsOurs() throws Exception {
    aurora.answer("job", "status", 0, FakeAurora.status(KEY, RUNNING), "");
    aurora.answer("update", "start", 0, FakeAurora.updateStarted(UPDATE_ID), "");
    aurora.answer("update", "info", 0, FakeAurora.updateInfo("other-update", "ROLLED_BACK"), "");

    SubmitResult result = aurora.submitter().update(SERVICE);

    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(Optional.empty(), result.updateState());
  }

  @Test
  void updateOfAMissingJobIsRefusedBeforeAnythingIsSent() throws Exception {
    aurora.answer("job", "status", 6, "", FakeAurora.noJobsFound(KEY));

    SubmitException e =
        assertThrows(SubmitException.CommandFailed.class, () -> aurora.submitter().update(SERVICE));

    assertTrue(e.getMessage().contains(KEY + ": the job has no active tasks"), e.getMessage());
    assertEquals(1, aurora.calls().size(), "only the status was asked");
  }

  @Test
  void updateOfAJobWithOnlyFinishedTasksIsRefused() throws Exception {
    aurora.answer(
        "job",
        "status",
        0,
        FakeAurora.status(
            KEY, List.of(new JobStatus.Task(0, Optional.empty(), "KILLED", Optional.of("a1")))),
        "");

    assertThrows(SubmitException.CommandFailed.class, () -> aurora.submitter().update(SERVICE));
    assertEquals(1, aurora.calls().size());
  }

  @Test
  void aStatusOutputItCannotReadDoesNotBlockTheUpdate() throws Exception {
    // A client whose status output looks different (a newer table, say): no evidence the job is
    // missing, so the update goes ahead and the scheduler decides.
    aurora.answer("job", "status", 0, "JOB  INSTANCE  STATUS\nhello  0  RUNNING\n", "");
    aurora.answer("update", "start", 0, FakeAurora.updateStarted(UPDATE_ID), "");
    aurora.answer("update", "info", 0, FakeAurora.updateInfo(UPDATE_ID, "ROLLING_FORWARD"), "");

    SubmitResult result = aurora.submitter().update(SERVICE);

    assertEquals(Optional.of(UPDATE_ID), result.updateId());
    assertEquals(3, aurora.calls().size());
  }

  @Test
  void updateOfABatchOrCronJobIsRefusedWithoutRunningTheClient() throws Exception {
    SubmitException batch =
        assertThrows(SubmitException.CommandFailed.class, () -> aurora.submitter().update(BATCH));
    assertTrue(batch.getMessage().contains("only a service"), batch.getMessage());
    SubmitException cron =
        assertThrows(SubmitException.CommandFailed.class, () -> aurora.submitter().update(CRON));
    assertTrue(cron.getMessage().contains("cron job"), cron.getMessage());
    assertEquals(List.of(), aurora.calls());
  }

  // ---- kill and status ----

  @Test
  void killRunsKillallWithoutAConfig() throws Exception {
    aurora.answer("job", "killall", 0, FakeAurora.killallSucceeded(), "");

    SubmitResult result = aurora.submitter().kill(KEY);

    FakeAurora.Call call = aurora.calls().get(0);
    assertEquals(List.of("job", "killall", KEY.toString()), call.argv());
    assertEquals(Optional.empty(), call.config());
    assertEquals(SubmitResult.Action.KILL, result.action());
    assertEquals("Job killall succeeded", result.message());
  }

  @Test
  void statusParsesTheClientsTaskLines() throws Exception {
    List<JobStatus.Task> tasks =
        List.of(
            new JobStatus.Task(0, Optional.empty(), "RUNNING", Optional.of("agent-1.example.org")),
            new JobStatus.Task(1, Optional.empty(), "PENDING", Optional.empty()),
            new JobStatus.Task(0, Optional.empty(), "FAILED", Optional.of("agent-3.example.org")));
    String output = FakeAurora.status(KEY, tasks);
    aurora.answer("job", "status", 0, output, "");

    JobStatus status = aurora.submitter().status(KEY);

    assertEquals(List.of("job", "status", KEY.toString()), aurora.calls().get(0).argv());
    assertEquals(KEY, status.key());
    assertEquals(tasks, status.tasks());
    assertEquals(output, status.raw(), "the client's output is kept as it was");
  }

  @Test
  void statusOutputItCannotReadIsAnErrorNotNoTasks() throws Exception {
    for (String output :
        List.of(
            "JOB  INSTANCE  STATUS\nhello  0  RUNNING\n",
            "",
            FakeAurora.status(
                    KEY,
                    List.of(new JobStatus.Task(0, Optional.empty(), "RUNNING", Optional.empty())))
                .replace("Active tasks (1)", "Active tasks (2)"))) {
      aurora.answer("job", "status", 0, output, "");
      SubmitException e =
          assertThrows(SubmitException.class, () -> aurora.submitter().status(KEY), output);
      assertEquals(4, e.exitCode(), e.getMessage());
      assertTrue(e.getMessage().contains("cannot read what `aurora job status"), e.getMessage());
    }
  }

  @Test
  void aKeyStartingWithADashNeverReachesTheClient() throws Exception {
    JobKey dash = new JobKey("-h", "vagrant", "devel", "hello");
    aurora.answer("job", "killall", 0, FakeAurora.killallSucceeded(), "");
    aurora.answer("job", "status", 0, FakeAurora.status(dash, List.of()), "");
    assertThrows(SubmitException.InvalidConfiguration.class, () -> aurora.submitter().kill(dash));
    assertThrows(SubmitException.InvalidConfiguration.class, () -> aurora.submitter().status(dash));
    assertEquals(List.of(), aurora.calls(), "the client was run");
  }

  @Test
  void statusOfAnUnknownJobHasNoTasks() throws Exception {
    aurora.answer("job", "status", 6, "", FakeAurora.noJobsFound(KEY));

    JobStatus status = aurora.submitter().status(KEY);

    assertEquals(List.of(), status.tasks());
    assertEquals("Found no jobs matching " + KEY, status.raw());
  }

  @Test
  void anotherInvalidParameterOnStatusIsAnError() throws Exception {
    aurora.answer("job", "status", 6, "", "Error executing command: bad jobspec\n");

    SubmitException e = assertThrows(SubmitException.class, () -> aurora.submitter().status(KEY));
    assertEquals(6, e.exitCode());
    assertTrue(e.getMessage().contains("bad jobspec"), e.getMessage());
  }

  // ---- failures ----

  @ParameterizedTest(name = "exit {0} -> {1}")
  @CsvSource({
    "1, SubmitException",
    "2, SubmitException",
    "3, InvalidConfiguration",
    "4, CommandFailed",
    "5, SubmitException",
    "6, SubmitException",
    "7, Network",
    "8, Authentication",
    "9, Timeout",
    "10, ApiError",
    "20, SubmitException",
    "30, Authentication",
    "130, SubmitException"
  })
  void eachExitCodeBecomesItsExceptionWithTheClientsStderr(int exit, String type) throws Exception {
    String stderr =
        "Error executing command: Error loading configuration: MesosJob[task] failed:"
            + " Task[resources] is required. (code "
            + exit
            + ")";
    aurora.answer("job", "create", exit, "some progress on stdout\n", stderr + "\n");

    SubmitException e =
        assertThrows(SubmitException.class, () -> aurora.submitter().create(SERVICE));

    assertEquals(type, e.getClass().getSimpleName());
    int expectedCode =
        switch (type) {
          case "Authentication" -> 30;
          default -> exit;
        };
    assertEquals(expectedCode, e.exitCode());
    assertTrue(e.getMessage().contains(stderr), "keeps the client's stderr: " + e.getMessage());
    assertTrue(
        e.getMessage().contains("aurora job create --read-json " + KEY),
        "names the command: " + e.getMessage());
    assertTrue(e.getMessage().contains("exit code " + exit), e.getMessage());
  }

  @Test
  void theClientsMessagesForCommonFailuresAreKept() throws Exception {
    aurora.answer(
        "job",
        "create",
        4,
        "",
        "Job creation failed due to error:\n\tJob www-data/prod/hello already exists\n"
            + "Error executing command: Job creation failed due to error:\n");
    SubmitException.CommandFailed exists =
        assertThrows(SubmitException.CommandFailed.class, () -> aurora.submitter().create(SERVICE));
    assertTrue(exists.getMessage().contains("Job www-data/prod/hello already exists"));

    aurora.answer("job", "create", 3, "", "Unknown cluster: devcluster\n");
    SubmitException.InvalidConfiguration cluster =
        assertThrows(
            SubmitException.InvalidConfiguration.class, () -> aurora.submitter().create(SERVICE));
    assertTrue(cluster.getMessage().contains("Unknown cluster: devcluster"));
  }

  @Test
  void stdoutIsUsedWhenStderrIsEmpty() throws Exception {
    aurora.answer("job", "killall", 7, "Error executing command: Connection refused\n", "");

    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> aurora.submitter().kill(KEY));

    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
  }

  @Test
  void aSilentFailureSaysSo() throws Exception {
    aurora.answer("job", "killall", 20, "", "");

    SubmitException e = assertThrows(SubmitException.class, () -> aurora.submitter().kill(KEY));

    assertEquals(20, e.exitCode());
    assertTrue(e.getMessage().contains("printed nothing"), e.getMessage());
  }

  @Test
  void theConfigFileIsRemovedAfterAFailure() throws Exception {
    aurora.answer("job", "create", 3, "", "Error loading configuration: nope\n");

    assertThrows(
        SubmitException.InvalidConfiguration.class, () -> aurora.submitter().create(SERVICE));

    Path file = Path.of(aurora.calls().get(0).argv().get(4));
    assertFalse(Files.exists(file), "config file gone");
    assertFalse(Files.exists(file.getParent()), "private directory gone");
  }

  // ---- finding the client ----

  @Test
  void aMissingClientOnPathNamesThePath() {
    String searched = dir.resolve("empty-bin") + ":/nonexistent/bin";
    AuroraCliSubmitter submitter =
        new AuroraCliSubmitter(
            "aurora", Duration.ofSeconds(5), Map.of("PATH", searched), aurora.tempRoot());

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.create(SERVICE));

    assertEquals(127, e.exitCode());
    assertTrue(
        e.getMessage().contains("no executable 'aurora' on PATH=" + searched), e.getMessage());
    assertTrue(e.getMessage().contains("aurora_binary"), "says how to fix it: " + e.getMessage());
  }

  @Test
  void aMissingClientPathIsNamed() {
    Path missing = dir.resolve("opt/aurora/bin/aurora");
    AuroraCliSubmitter submitter =
        new AuroraCliSubmitter(missing.toString(), Duration.ofSeconds(5));

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.kill(KEY));

    assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
  }

  @Test
  void aNonExecutableClientIsNamed() throws IOException {
    Path plain = Files.writeString(dir.resolve("aurora"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
    AuroraCliSubmitter submitter = new AuroraCliSubmitter(plain.toString(), Duration.ofSeconds(5));

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.status(KEY));

    assertTrue(e.getMessage().contains(plain + " is not an executable file"), e.getMessage());
  }

  @Test
  void aNonExecutableFileOnPathIsSkipped() throws Exception {
    Path shadow = Files.createDirectories(dir.resolve("shadow"));
    Files.writeString(shadow.resolve("aurora"), "not a program");
    Map<String, String> env = new java.util.HashMap<>(aurora.environment());
    env.put("PATH", shadow + ":" + env.get("PATH"));
    aurora.answer("job", "killall", 0, FakeAurora.killallSucceeded(), "");

    new AuroraCliSubmitter("aurora", Duration.ofSeconds(30), env, aurora.tempRoot()).kill(KEY);

    assertEquals(1, aurora.calls().size(), "the executable one further down PATH ran");
  }

  @Test
  void anExplicitClientPathIsRun() throws Exception {
    aurora.answer("job", "killall", 0, FakeAurora.killallSucceeded(), "");
    AuroraCliSubmitter submitter =
        new AuroraCliSubmitter(
            aurora.executable().toString(),
            Duration.ofSeconds(30),
            Map.of("FAKE_AURORA_DIR", aurora.environment().get("FAKE_AURORA_DIR")),
            aurora.tempRoot());

    submitter.kill(KEY);

    assertEquals(1, aurora.calls().size());
  }

  // ---- a hung client ----

  @Test
  void aHungClientIsStoppedWithItsChildrenAfterTheTimeout() throws Exception {
    aurora.hang("job", "create");

    SubmitException.Timeout e =
        assertThrows(
            SubmitException.Timeout.class,
            () -> aurora.submitter(Duration.ofSeconds(1)).create(SERVICE));

    assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
    assertTrue(e.getMessage().contains("timeout_seconds"), e.getMessage());
    assertStopped(aurora.clientPid());
    assertStopped(aurora.childPid());
  }

  @Test
  void anInterruptedSubmissionStopsTheClientAndCleansUp() throws Exception {
    aurora.hang("job", "killall");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> interruptKept = new AtomicReference<>();
    Thread submitting =
        new Thread(
            () -> {
              try {
                aurora.submitter(Duration.ofMinutes(5)).kill(KEY);
              } catch (Throwable t) {
                thrown.set(t);
              }
              interruptKept.set(Thread.currentThread().isInterrupted());
            });
    submitting.start();
    Path pid = dir.resolve("records/child.pid");
    // Waits bounded by the test's timeout, not by a guess at how fast a loaded machine starts it.
    while (!Files.exists(pid) && submitting.isAlive()) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(pid), "the client started: " + thrown.get());
    submitting.interrupt();
    submitting.join();

    SubmitException e = assertInstanceOf(SubmitException.class, thrown.get());
    assertEquals(130, e.exitCode());
    assertEquals(Boolean.TRUE, interruptKept.get(), "the interrupt is kept");
    assertStopped(aurora.clientPid());
    assertStopped(aurora.childPid());
  }

  private static void assertStopped(long pid) throws InterruptedException {
    // A killed process may take a moment to be reaped.
    for (int i = 0; i < 100 && FakeAurora.isRunning(pid); i++) {
      Thread.sleep(50);
    }
    assertFalse(FakeAurora.isRunning(pid), "process " + pid + " was stopped");
  }

  @Test
  void outputThatIsNotUtf8DoesNotBreakTheError() throws Exception {
    Path err = dir.resolve("records/answer.job-create.err");
    aurora.answer("job", "create", 4, "", "");
    Files.write(err, "Job creation failed: caf\u00e9 \u00ff".getBytes(StandardCharsets.ISO_8859_1));

    SubmitException e =
        assertThrows(SubmitException.CommandFailed.class, () -> aurora.submitter().create(SERVICE));
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().contains("Job creation failed: caf"), e.getMessage());
  }
}
