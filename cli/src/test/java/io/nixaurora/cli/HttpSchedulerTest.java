package io.nixaurora.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http submitter chosen by configuration, against a WireMock scheduler speaking TJSON. */
class HttpSchedulerTest {

  @TempDir Path tmp;
  private WireMockServer scheduler;
  private static final String KEY = "devcluster/vagrant/devel/hello";
  private static final String TJSON = "application/vnd.apache.thrift.json";

  /** One RUNNING task, instance 0, on agent1. */
  private static final String TASK_LIST =
      "\"3\":{\"rec\":{\"1\":{\"lst\":[\"rec\",1,{\"1\":{\"rec\":{\"1\":{\"str\":\"task-0\"},"
          + "\"3\":{\"str\":\"agent1\"},\"6\":{\"i32\":0}}},\"2\":{\"i32\":2}}]}}}";

  @BeforeEach
  void start() {
    scheduler = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    scheduler.start();
  }

  @AfterEach
  void stop() {
    scheduler.stop();
  }

  /** A Response with code OK and, when given, one field of the result union. */
  private static String reply(String method, String resultField) {
    String response =
        "{\"1\":{\"i32\":1},\"5\":{\"rec\":{\"1\":{\"str\":\"devcluster\"},\"3\":{\"str\":\"\"}}},"
            + "\"6\":{\"lst\":[\"rec\",0]}"
            + (resultField == null ? "" : ",\"3\":{\"rec\":{" + resultField + "}}")
            + "}";
    return "[1,\"" + method + "\",2,0,{\"0\":{\"rec\":" + response + "}}]";
  }

  private static String tier(String name, boolean preemptible, boolean revocable) {
    return "{\"1\":{\"str\":\""
        + name
        + "\"},\"2\":{\"map\":[\"str\",\"str\",2,{\"preemptible\":\""
        + preemptible
        + "\",\"revocable\":\""
        + revocable
        + "\"}]}}";
  }

  private static final String TIERS =
      "\"27\":{\"rec\":{\"1\":{\"str\":\"preemptible\"},\"2\":{\"set\":[\"rec\",3,"
          + tier("preferred", false, false)
          + ","
          + tier("preemptible", true, false)
          + ","
          + tier("revocable", true, true)
          + "]}}}";

  private void answer(String method, String body) {
    scheduler.stubFor(
        post(urlEqualTo("/api"))
            .withRequestBody(containing("[1,\"" + method + "\",1,"))
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", TJSON).withBody(body)));
  }

  private List<LoggedRequest> requests(String method) {
    return scheduler.findAll(
        postRequestedFor(urlEqualTo("/api"))
            .withRequestBody(containing("[1,\"" + method + "\",1,")));
  }

  private Cli cli() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"submitter\": \"http\", \"scheduler_uri\": \"http://127.0.0.1:"
            + scheduler.port()
            + "/\", \"gc_roots_dir\": \""
            + tmp.resolve("gcroots")
            + "\"}}}");
    return cli;
  }

  @Test
  void createSendsTheCompiledJobToTheScheduler() throws Exception {
    answer("getTierConfigs", reply("getTierConfigs", TIERS));
    answer("createJob", reply("createJob", null));
    answer("getTasksWithoutConfigs", reply("getTasksWithoutConfigs", TASK_LIST));
    Path job = Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "http").getParent();
    Cli.Result r = cli().run("create", KEY, job.toString(), "--verbose");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("submitter: http"), r.err());
    List<LoggedRequest> creates = requests("createJob");
    assertEquals(1, creates.size());
    String body = creates.get(0).getBodyAsString();
    assertTrue(body.contains("nix_init_hello"), body);
    assertTrue(body.contains("-aurora-process-devcluster-vagrant-devel-hello-hello"), body);
  }

  @Test
  void diffAsksTheSchedulerAndPushesNothing() throws Exception {
    answer("getTierConfigs", reply("getTierConfigs", TIERS));
    answer("getJobUpdateDiff", reply("getJobUpdateDiff", "\"26\":{\"rec\":{}}"));
    Path job =
        Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "http-diff").getParent();
    Cli.Result r = cli().run("diff", KEY, job.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    com.fasterxml.jackson.databind.JsonNode diff =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertEquals("scheduler", diff.get("source").asText());
    assertEquals(false, diff.get("changes").asBoolean());
    assertEquals(1, requests("getJobUpdateDiff").size());
    assertEquals(0, requests("createJob").size());
    assertTrue(!java.nio.file.Files.exists(tmp.resolve("gcroots")), "diff must not publish");
  }

  @Test
  void statusListsTheTasks() throws Exception {
    answer("getTasksWithoutConfigs", reply("getTasksWithoutConfigs", TASK_LIST));
    Cli.Result r = cli().run("status", KEY);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().matches("(?s).*0\\s+RUNNING\\s+agent1\\s+task-0.*"), r.out());
  }

  @Test
  void anAuthenticationRefusalExits30() throws Exception {
    scheduler.stubFor(post(urlEqualTo("/api")).willReturn(aResponse().withStatus(401)));
    Cli.Result r = cli().run("kill", KEY);
    assertEquals(30, r.exitCode(), r.toString());
    assertTrue(r.err().lines().count() <= 3, r.err());
    assertTrue(r.err().contains("hint: check the credentials"), r.err());
  }
}
