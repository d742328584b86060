package io.nixaurora.submit.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSubmitterTest {
  static final JobKey KEY = new JobKey("devcluster", "vagrant", "devel", "hello_world");
  static final UUID UPDATE_UUID = UUID.fromString("0b7f3c2e-9d1a-4c55-8e2f-3a6b1c9d0e4f");
  static final List<JobStatus.Task> ONE_RUNNING =
      List.of(
          new JobStatus.Task(
              0,
              Optional.of("vagrant-devel-hello_world-0-6e1f"),
              "RUNNING",
              Optional.of("aurora.local")));

  @TempDir Path home;
  FakeScheduler scheduler;

  @BeforeEach
  void start() {
    scheduler = new FakeScheduler();
  }

  @AfterEach
  void stop() {
    scheduler.close();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = HttpSubmitterTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static AuroraJobConfig helloWorld() throws IOException {
    return new AuroraJobConfig(KEY, resource("hello_world.json"), true, false);
  }

  HttpSubmitter submitter(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("scheduler_uri", scheduler.uri());
    settings.put("owner", "vagrant");
    settings.put("retry_budget_seconds", "10");
    settings.putAll(extra);
    return new HttpSubmitter(
        HttpSubmitterSettings.parse(settings), event -> {}, () -> UPDATE_UUID, home, Map.of());
  }

  HttpSubmitter submitter() {
    return submitter(Map.of());
  }

  // ---- the wire format ----

  @Test
  void createJobRequestIsTheSpecsBytesForHelloWorld() throws Exception {
    scheduler.tiers();
    scheduler.answer("createJob", FakeScheduler.OK);
    scheduler.tasks(ONE_RUNNING);

    SubmitResult result = submitter().create(helloWorld());

    assertEquals(SubmitResult.Action.CREATE, result.action());
    assertEquals(
        Optional.of(scheduler.uri() + "scheduler/vagrant/devel/hello_world"), result.url());
    // docs/aurora-spec.md §5.4's createJob message with <DATA> filled in from the compiled
    // hello_world
    // (see pystachio_reference.py); owner "vagrant" is configured, as the spec's OS user is.
    String golden = resource("createJob_hello_world.tjson");
    List<String> bodies = scheduler.bodies("createJob");
    assertEquals(1, bodies.size());
    assertEquals(golden, bodies.get(0));
    // The other read-only calls are the spec's exact bytes too.
    assertEquals(List.of("[1,\"getTierConfigs\",1,0,{}]"), scheduler.bodies("getTierConfigs"));
    assertEquals(
        List.of(
            "[1,\"getTasksWithoutConfigs\",1,0,{\"1\":{\"rec\":{\"11\":{\"set\":[\"rec\",1,{\"1\":{\"str\":\"vagrant\"},\"2\":{\"str\":\"devel\"},\"3\":{\"str\":\"hello_world\"}}]}}}}]"),
        scheduler.bodies("getTasksWithoutConfigs"));
    assertEquals(
        List.of("getTierConfigs", "createJob", "getTasksWithoutConfigs"), scheduler.methods());
  }

  @Test
  void sendsTheExactContentTypeWithoutACharset() throws Exception {
    scheduler.tiers();
    scheduler.answer("createJob", FakeScheduler.OK);
    scheduler.tasks(ONE_RUNNING);

    submitter().create(helloWorld());

    for (LoggedRequest request : scheduler.server.findAll(postRequestedFor(urlEqualTo("/api")))) {
      assertEquals(
          List.of(FakeScheduler.TJSON), request.getHeaders().getHeader("Content-Type").values());
      assertEquals(List.of(FakeScheduler.TJSON), request.getHeaders().getHeader("Accept").values());
      assertFalse(request.containsHeader("Authorization"), "no credentials configured");
    }
  }

  @Test
  void theSameJobGivesByteIdenticalBodies() throws Exception {
    scheduler.tiers();
    scheduler.answer("createJob", FakeScheduler.OK);
    scheduler.tasks(ONE_RUNNING);
    scheduler.answer(
        "getJobUpdateDiff",
        FakeScheduler.OK,
        List.of(),
        AuroraApi.Result.GET_JOB_UPDATE_DIFF_RESULT,
        new TJson.Struct());

    submitter().create(helloWorld());
    submitter().create(helloWorld());
    submitter().diff(helloWorld());
    submitter().diff(helloWorld());

    List<String> creates = scheduler.bodies("createJob");
    assertEquals(2, creates.size());
    assertEquals(creates.get(0), creates.get(1));
    List<String> diffs = scheduler.bodies("getJobUpdateDiff");
    assertEquals(diffs.get(0), diffs.get(1));
  }

  @Test
  void startJobUpdateCarriesTheDefaultSettingsOfTheSpec() throws Exception {
    scheduler.tiers();
    scheduler.tasks(ONE_RUNNING);
    scheduler.updates(KEY, "upd-1", 0);

    SubmitResult result = submitter().update(helloWorld());

    assertEquals(Optional.of("upd-1"), result.updateId());
    assertEquals(Optional.of("ROLLING_FORWARD"), result.updateState());
    String golden = resource("createJob_hello_world.tjson");
    String taskConfig =
        golden.substring(
            golden.indexOf("\"6\":{\"rec\":") + 11, golden.indexOf(",\"7\":{\"rec\":{\"2\"") - 1);
    String expected =
        "[1,\"startJobUpdate\",1,0,{\"1\":{\"rec\":{\"1\":{\"rec\":"
            + taskConfig
            + "},\"2\":{\"i32\":1},\"3\":{\"rec\":{\"1\":{\"i32\":1},\"2\":{\"i32\":0},\"3\":{\"i32\":0},\"5\":{\"i32\":45000},\"6\":{\"tf\":1},\"8\":{\"tf\":0},\"10\":{\"tf\":0},\"11\":{\"rec\":{\"1\":{\"rec\":{\"1\":{\"i32\":1}}}}}}},\"4\":{\"set\":[\"rec\",1,{\"1\":{\"str\":\"org.apache.aurora.client.update_id\"},\"2\":{\"str\":\""
            + UPDATE_UUID
            + "\"}}]}}}}]";
    assertEquals(List.of(expected), scheduler.bodies("startJobUpdate"));
    assertEquals(
        List.of(
            "[1,\"getJobUpdateSummaries\",1,0,{\"1\":{\"rec\":{\"8\":{\"rec\":{\"1\":{\"rec\":{\"1\":{\"str\":\"vagrant\"},\"2\":{\"str\":\"devel\"},\"3\":{\"str\":\"hello_world\"}}},\"2\":{\"str\":\"upd-1\"}}}}}}]"),
        scheduler.bodies("getJobUpdateSummaries"));
  }

  @Test
  void killSendsKillTasksForTheWholeJob() throws Exception {
    scheduler.answer("killTasks", FakeScheduler.OK, "Tasks killed.");

    SubmitResult result = submitter().kill(KEY);

    assertEquals(SubmitResult.Action.KILL, result.action());
    assertEquals("Tasks killed.", result.message());
    assertEquals(
        List.of(
            "[1,\"killTasks\",1,0,{\"4\":{\"rec\":{\"1\":{\"str\":\"vagrant\"},\"2\":{\"str\":\"devel\"},\"3\":{\"str\":\"hello_world\"}}}}]"),
        scheduler.bodies("killTasks"));
  }

  @Test
  void statusDecodesTheTasks() throws Exception {
    scheduler.tasks(
        List.of(
            new JobStatus.Task(1, Optional.of("t-1"), "PENDING", Optional.empty()),
            new JobStatus.Task(0, Optional.of("t-0"), "RUNNING", Optional.of("aurora.local"))));

    JobStatus status = submitter().status(KEY);

    assertEquals(
        List.of(
            new JobStatus.Task(0, Optional.of("t-0"), "RUNNING", Optional.of("aurora.local")),
            new JobStatus.Task(1, Optional.of("t-1"), "PENDING", Optional.empty())),
        status.tasks());
  }

  @Test
  void statusOfAJobWithoutTasksAsksForTheJobSummary() throws Exception {
    scheduler.tasks(List.of());
    scheduler.jobSummary();

    JobStatus status = submitter().status(KEY);

    assertEquals(List.of(), status.tasks());
    assertEquals(
        List.of("[1,\"getJobSummary\",1,0,{\"1\":{\"str\":\"vagrant\"}}]"),
        scheduler.bodies("getJobSummary"));
  }

  @Test
  void diffReportsTheSchedulersInstanceGroups() throws Exception {
    scheduler.tiers();
    TJson.Struct group = FakeScheduler.configGroup(List.of(FakeScheduler.range(0, 1)));
    TJson.Struct added = FakeScheduler.configGroup(List.of(FakeScheduler.range(2, 2)));
    scheduler.answer(
        "getJobUpdateDiff",
        FakeScheduler.OK,
        List.of(),
        AuroraApi.Result.GET_JOB_UPDATE_DIFF_RESULT,
        new TJson.Struct()
            .set(AuroraApi.GetJobUpdateDiffResult.ADD, TJson.set("rec", List.of(added)))
            .set(AuroraApi.GetJobUpdateDiffResult.UPDATE, TJson.set("rec", List.of(group))));

    JobDiff diff = submitter().diff(helloWorld()).orElseThrow();

    assertEquals(List.of(2), diff.added());
    assertEquals(List.of(0, 1), diff.updated());
    assertEquals(List.of(), diff.removed());
    assertFalse(diff.isEmpty());
    assertFalse(scheduler.bodies("getJobUpdateDiff").get(0).contains("update_id"));
  }

  // ---- response codes ----

  @Test
  void invalidRequestIsAnInvalidConfigurationWithTheDetails() throws Exception {
    scheduler.tiers();
    scheduler.answer(
        "createJob", FakeScheduler.INVALID_REQUEST, "num_cpus must be greater than 0.0", "second");

    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class, () -> submitter().create(helloWorld()));

    assertTrue(e.getMessage().contains("num_cpus must be greater than 0.0"), e.getMessage());
    assertTrue(e.getMessage().contains("second"), e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void alreadyExistsIsACommandFailure() throws Exception {
    scheduler.tiers();
    scheduler.answer(
        "createJob", FakeScheduler.INVALID_REQUEST, "Job vagrant/devel/hello_world already exists");

    SubmitException.CommandFailed e =
        assertThrows(SubmitException.CommandFailed.class, () -> submitter().create(helloWorld()));
    assertEquals(4, e.exitCode());
  }

  @Test
  void authFailedIsAnAuthenticationError() throws Exception {
    scheduler.answer("killTasks", FakeScheduler.AUTH_FAILED, "User bob is not permitted");

    SubmitException.Authentication e =
        assertThrows(SubmitException.Authentication.class, () -> submitter().kill(KEY));

    assertTrue(e.getMessage().contains("User bob is not permitted"), e.getMessage());
    assertEquals(30, e.exitCode());
  }

  @Test
  void http401IsAnAuthenticationErrorAndNotRetried() throws Exception {
    scheduler.tiers();
    scheduler.stub(FakeScheduler.call("createJob").willReturn(aResponse().withStatus(401)));

    SubmitException.Authentication e =
        assertThrows(SubmitException.Authentication.class, () -> submitter().create(helloWorld()));

    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertEquals(1, scheduler.bodies("createJob").size());
  }

  @Test
  void credentialsComeFromTheSettingsAndAreNeverShown() throws Exception {
    scheduler.stub(FakeScheduler.call("killTasks").willReturn(aResponse().withStatus(403)));
    HttpSubmitter submitter = submitter(Map.of("username", "aurora", "password", "s3cret-pw"));

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.kill(KEY));

    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("aurora:s3cret-pw".getBytes(StandardCharsets.UTF_8));
    scheduler.server.verify(
        postRequestedFor(urlEqualTo("/api")).withHeader("Authorization", equalTo(expected)));
    assertFalse(e.getMessage().contains("s3cret-pw"));
    assertFalse(submitter.toString().contains("s3cret-pw"), submitter.toString());
  }

  @Test
  void credentialsComeFromNetrcForTheSchedulersHost() throws Exception {
    scheduler.answer("killTasks", FakeScheduler.OK);
    Path netrc = home.resolve(".netrc");
    Files.writeString(
        netrc,
        "machine other.example login x password y\nmachine 127.0.0.1\n  login aurora\n  password secret\n");

    submitter().kill(KEY);

    scheduler.server.verify(
        postRequestedFor(urlEqualTo("/api"))
            .withHeader("Authorization", equalTo("Basic YXVyb3JhOnNlY3JldA==")));
  }

  // ---- transport ----

  @Test
  void http503IsRetriedUntilThereIsALeader() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .inScenario("election")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503).withBody("<html>no leader</html>"))
            .willSetStateTo("elected"));
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .inScenario("election")
            .whenScenarioStateIs("elected")
            .willReturn(
                FakeScheduler.reply(
                    "getTasksWithoutConfigs",
                    FakeScheduler.OK,
                    List.of(),
                    AuroraApi.Result.SCHEDULE_STATUS_RESULT,
                    FakeScheduler.tasksResult(ONE_RUNNING))));

    JobStatus status = submitter().status(KEY);

    assertEquals(ONE_RUNNING, status.tasks());
    assertEquals(2, scheduler.bodies("getTasksWithoutConfigs").size());
  }

  @Test
  void http503ForeverEndsWithATimeoutWithinTheBudget() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs").willReturn(aResponse().withStatus(503)));

    SubmitException.Timeout e =
        assertThrows(
            SubmitException.Timeout.class,
            () -> submitter(Map.of("retry_budget_seconds", "1")).status(KEY));

    assertTrue(e.getMessage().contains("503"), e.getMessage());
    assertTrue(scheduler.bodies("getTasksWithoutConfigs").size() >= 2);
  }

  @Test
  void errorTransientIsRetried() throws Exception {
    scheduler.stub(
        FakeScheduler.call("createJob")
            .inScenario("storage")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                FakeScheduler.reply(
                    "createJob",
                    FakeScheduler.ERROR_TRANSIENT,
                    List.of("Storage is not READY"),
                    0,
                    null))
            .willSetStateTo("ready"));
    scheduler.stub(
        FakeScheduler.call("createJob")
            .inScenario("storage")
            .whenScenarioStateIs("ready")
            .willReturn(FakeScheduler.reply("createJob", FakeScheduler.OK, List.of(), 0, null)));
    scheduler.tiers();
    scheduler.tasks(ONE_RUNNING);

    SubmitResult result = submitter().create(helloWorld());

    assertEquals(SubmitResult.Action.CREATE, result.action());
    List<String> bodies = scheduler.bodies("createJob");
    assertEquals(2, bodies.size());
    assertEquals(bodies.get(0), bodies.get(1));
  }

  /**
   * The executorConfig.data of the spec's createJob request for hello_world (which {@link
   * #createJobRequestIsTheSpecsBytesForHelloWorld} checks is what is sent).
   */
  static String helloWorldExecutorData() throws IOException {
    JsonNode jobConfiguration =
        new ObjectMapper()
            .readTree(resource("createJob_hello_world.tjson"))
            .get(4)
            .get(String.valueOf(AuroraApi.CreateJobArgs.DESCRIPTION))
            .get("rec");
    return jobConfiguration
        .get(String.valueOf(AuroraApi.JobConfiguration.TASK_CONFIG))
        .get("rec")
        .get(String.valueOf(AuroraApi.TaskConfig.EXECUTOR_CONFIG))
        .get("rec")
        .get(String.valueOf(AuroraApi.ExecutorConfig.DATA))
        .get("str")
        .textValue();
  }

  @Test
  void aConnectionResetOnCreateIsNotRetriedAndTheOutcomeIsReportedUnknown() throws Exception {
    scheduler.tiers();
    scheduler.stub(
        FakeScheduler.call("createJob")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    scheduler.tasksWithConfigs(List.of(), helloWorldExecutorData());

    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> submitter().create(helloWorld()));

    assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    assertEquals(7, e.exitCode());
    assertEquals(1, scheduler.bodies("createJob").size(), "createJob is never repeated blindly");
    assertEquals(List.of("getTierConfigs", "createJob", "getTasksStatus"), scheduler.methods());
  }

  @Test
  void aConnectionResetOnCreateIsConfirmedWhenTheActiveTasksRunTheConfigurationSent()
      throws Exception {
    scheduler.tiers();
    scheduler.stub(
        FakeScheduler.call("createJob")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    scheduler.tasksWithConfigs(ONE_RUNNING, helloWorldExecutorData());

    SubmitResult result = submitter().create(helloWorld());

    assertEquals(SubmitResult.Action.CREATE, result.action());
    assertTrue(result.message().contains("confirmed"), result.message());
    assertEquals(1, scheduler.bodies("createJob").size());
    assertTrue(
        scheduler.bodies("getTasksStatus").get(0).contains("\"hello_world\""),
        "the task list is read for the job: " + scheduler.bodies("getTasksStatus"));
  }

  @Test
  void aConnectionResetOnCreateOfAJobRunningAnotherConfigurationIsReportedUnknown()
      throws Exception {
    scheduler.tiers();
    scheduler.stub(
        FakeScheduler.call("createJob")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    // The job existed before with another configuration: the scheduler refused the create.
    String other =
        helloWorldExecutorData().replace("\"max_task_failures\": 1", "\"max_task_failures\": 2");
    assertFalse(other.equals(helloWorldExecutorData()), "the fixture's data has max_task_failures");
    scheduler.tasksWithConfigs(ONE_RUNNING, other);

    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> submitter().create(helloWorld()));

    assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    assertEquals(7, e.exitCode());
    assertEquals(1, scheduler.bodies("createJob").size(), "createJob is never repeated blindly");
  }

  @Test
  void aConnectionResetOnKillIsNotRetried() throws Exception {
    scheduler.stub(
        FakeScheduler.call("killTasks")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    scheduler.tasks(ONE_RUNNING);

    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> submitter().kill(KEY));

    assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    assertEquals(1, scheduler.bodies("killTasks").size());
  }

  @Test
  void aConnectionResetOnKillIsConfirmedWhenEveryActiveTaskIsKilling() throws Exception {
    scheduler.stub(
        FakeScheduler.call("killTasks")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    scheduler.tasks(
        List.of(
            new JobStatus.Task(0, Optional.of("t-0"), "KILLING", Optional.empty()),
            new JobStatus.Task(1, Optional.of("t-1"), "FINISHED", Optional.empty())));

    SubmitResult result = submitter().kill(KEY);

    assertEquals(SubmitResult.Action.KILL, result.action());
    assertTrue(result.message().contains("confirmed"), result.message());
    assertEquals(1, scheduler.bodies("killTasks").size());
  }

  @Test
  void aResponseSlowerThanTheTimeoutIsNotWaitedFor() throws Exception {
    scheduler.tiers();
    scheduler.stub(
        FakeScheduler.call("createJob")
            .willReturn(
                FakeScheduler.reply("createJob", FakeScheduler.OK, List.of(), 0, null)
                    .withFixedDelay(5000)));
    scheduler.tasks(List.of());

    SubmitException.Network e =
        assertThrows(
            SubmitException.Network.class,
            () -> submitter(Map.of("request_timeout_seconds", "0.5")).create(helloWorld()));

    assertTrue(e.getMessage().contains("request timeout"), e.getMessage());
    assertEquals(1, scheduler.bodies("createJob").size());
  }

  @Test
  void aSlowReadOnlyCallIsRetriedWithinTheBudget() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .willReturn(
                FakeScheduler.reply(
                        "getTasksWithoutConfigs",
                        FakeScheduler.OK,
                        List.of(),
                        AuroraApi.Result.SCHEDULE_STATUS_RESULT,
                        FakeScheduler.tasksResult(List.of()))
                    .withFixedDelay(3000)));

    assertThrows(
        SubmitException.Timeout.class,
        () ->
            submitter(Map.of("request_timeout_seconds", "0.3", "retry_budget_seconds", "1"))
                .status(KEY));
    assertTrue(scheduler.bodies("getTasksWithoutConfigs").size() >= 2);
  }

  @Test
  void anUnreachableSchedulerIsANetworkOrTimeoutError() throws Exception {
    int port = scheduler.server.port();
    scheduler.close();
    HttpSubmitter submitter =
        new HttpSubmitter(
            HttpSubmitterSettings.parse(
                Map.of(
                    "scheduler_uri",
                    "http://127.0.0.1:" + port + "/",
                    "retry_budget_seconds",
                    "0.5")),
            event -> {},
            UUID::randomUUID,
            home,
            Map.of());

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.status(KEY));
    assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    scheduler = new FakeScheduler(); // for @AfterEach
  }

  @Test
  void anUpdateInProgressIsACommandFailureNamingIt() throws Exception {
    scheduler.tiers();
    scheduler.tasks(ONE_RUNNING);
    scheduler.answer(
        "startJobUpdate",
        FakeScheduler.INVALID_REQUEST,
        List.of(
            "An active update already exists for this job, please terminate it before starting another."),
        AuroraApi.Result.START_JOB_UPDATE_RESULT,
        new TJson.Struct()
            .set(AuroraApi.StartJobUpdateResult.KEY, FakeScheduler.updateKey(KEY, "other-update")));

    SubmitException.CommandFailed e =
        assertThrows(SubmitException.CommandFailed.class, () -> submitter().update(helloWorld()));
    assertTrue(e.getMessage().contains("other-update"), e.getMessage());
  }

  @Test
  void aRefusedConnectionIsRetriedBrieflyThenFailsSayingSo() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    HttpSubmitter submitter =
        new HttpSubmitter(
            HttpSubmitterSettings.parse(
                Map.of(
                    "scheduler_uri",
                    "http://127.0.0.1:" + port + "/",
                    "retry_budget_seconds",
                    "0.6")),
            event -> {},
            UUID::randomUUID,
            home,
            Map.of());

    // Issue 12: a refused connection fails in a few tries, named as such (not a timeout).
    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> submitter.kill(KEY));
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    assertTrue(e.getMessage().contains("times in"), e.getMessage());
  }

  @Test
  void tlsIsVerified() throws Exception {
    try (FakeScheduler tls = new FakeScheduler(true)) {
      tls.answer("killTasks", FakeScheduler.OK);
      HttpSubmitter submitter =
          new HttpSubmitter(
              HttpSubmitterSettings.parse(
                  Map.of("scheduler_uri", "https://localhost:" + tls.server.httpsPort() + "/")),
              event -> {},
              UUID::randomUUID,
              home,
              Map.of());

      SubmitException.Network e =
          assertThrows(SubmitException.Network.class, () -> submitter.kill(KEY));
      assertTrue(e.getMessage().contains("TLS"), e.getMessage());
      assertEquals(List.of(), tls.bodies("killTasks"), "nothing is sent to an unverified server");
    }
  }

  // ---- client-side checks ----

  @Test
  void tierIsBackfilledAsTheClientDoes() throws Exception {
    scheduler.tiers();
    scheduler.answer("createJob", FakeScheduler.OK);
    scheduler.tasks(ONE_RUNNING);
    String production =
        helloWorld()
            .json()
            .replace("\"service\": true,", "\"service\": true, \"production\": true,");

    submitter().create(new AuroraJobConfig(KEY, production, true, false));

    String body = scheduler.bodies("createJob").get(0);
    assertTrue(body.contains("\"30\":{\"str\":\"preferred\"}"), body);
    assertTrue(body.contains("\"18\":{\"tf\":1}"), body);
  }

  @Test
  void anUnknownTierIsAnInvalidConfiguration() throws Exception {
    scheduler.tiers();
    String json =
        helloWorld().json().replace("\"service\": true,", "\"service\": true, \"tier\": \"gold\",");

    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class,
            () -> submitter().create(new AuroraJobConfig(KEY, json, true, false)));
    assertTrue(e.getMessage().contains("gold"), e.getMessage());
    assertEquals(List.of(), scheduler.bodies("createJob"));
  }

  @Test
  void aCronJobIsScheduledNotCreated() throws Exception {
    scheduler.tiers();
    scheduler.answer("scheduleCronJob", FakeScheduler.OK);
    String json =
        helloWorld()
            .json()
            .replace(
                "\"service\": true,", "\"service\": false, \"cron_schedule\": \"*/5 * * * *\",");

    SubmitResult result = submitter().create(new AuroraJobConfig(KEY, json, false, true));

    assertEquals(SubmitResult.Action.SCHEDULE_CRON, result.action());
    String body = scheduler.bodies("scheduleCronJob").get(0);
    assertTrue(body.contains("\"4\":{\"str\":\"*/5 * * * *\"}"), body);
    assertEquals(List.of(), scheduler.bodies("createJob"));
  }

  @Test
  void tooLittleRamIsRefusedBeforeAnythingIsSent() throws Exception {
    scheduler.tiers();
    String json = helloWorld().json().replace("\"ram\": 1048576", "\"ram\": 1048575");

    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class,
            () -> submitter().create(new AuroraJobConfig(KEY, json, true, false)));
    assertTrue(e.getMessage().contains("ramMb"), e.getMessage());
    assertEquals(List.of(), scheduler.bodies("createJob"));
  }

  @Test
  void aJobJsonForAnotherKeyIsRefused() throws Exception {
    JobKey other = new JobKey("devcluster", "vagrant", "devel", "other");

    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class,
            () -> submitter().create(new AuroraJobConfig(other, helloWorld().json(), true, false)));
    assertTrue(e.getMessage().contains("Could not find job"), e.getMessage());
  }

  @Test
  void anInvalidSettingNamesItsKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HttpSubmitterSettings.parse(Map.of("request_timeout_seconds", "soon")));
    assertTrue(e.getMessage().contains("request_timeout_seconds"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HttpSubmitterSettings.parse(Map.of("scheduler_uri", "ftp://x/")));
    assertTrue(e.getMessage().contains("scheduler_uri"), e.getMessage());
  }
}
