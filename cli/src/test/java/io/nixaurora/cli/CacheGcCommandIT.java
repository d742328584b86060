package io.nixaurora.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cache gc} end to end: two jobs created with the binary-cache store (real Nix, file://
 * cache), a scheduler (WireMock: the stand-in answers neither getJobs nor task configurations)
 * whose only live task runs job A; the gc keeps A's closure and deletes B's, refuses without an
 * answer from the scheduler, and refuses for the cli submitter.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CacheGcCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TJSON = "application/vnd.apache.thrift.json";

  @TempDir Path tmp;
  private WireMockServer scheduler;

  @BeforeEach
  void start() {
    scheduler = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    scheduler.start();
  }

  @AfterEach
  void stop() {
    scheduler.stop();
  }

  private static String reply(String method, String resultField) {
    String response =
        "{\"1\":{\"i32\":1},\"5\":{\"rec\":{\"1\":{\"str\":\"devcluster\"},\"3\":{\"str\":\"\"}}},"
            + "\"6\":{\"lst\":[\"rec\",0]},\"3\":{\"rec\":{"
            + resultField
            + "}}}";
    return "[1,\"" + method + "\",2,0,{\"0\":{\"rec\":" + response + "}}]";
  }

  private void answer(String method, String body) {
    scheduler.stubFor(
        post(urlEqualTo("/api"))
            .withRequestBody(containing("[1,\"" + method + "\",1,"))
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", TJSON).withBody(body)));
  }

  /** The scheduler runs one task whose executor data names {@code script}. */
  private void liveTask(String script) {
    String data = "{\\\"processes\\\": [{\\\"cmdline\\\": \\\"" + script + "\\\"}]}";
    String task =
        "{\"1\":{\"rec\":{\"1\":{\"str\":\"t-0\"},\"4\":{\"rec\":{\"25\":{\"rec\":{\"1\":{\"str\":"
            + "\"AuroraExecutor\"},\"2\":{\"str\":\""
            + data
            + "\"}}}}},\"6\":{\"i32\":0}}},\"2\":{\"i32\":2}}";
    answer(
        "getTasksStatus",
        reply("getTasksStatus", "\"3\":{\"rec\":{\"1\":{\"lst\":[\"rec\",1," + task + "]}}}"));
    answer("getJobs", reply("getJobs", "\"4\":{\"rec\":{\"1\":{\"set\":[\"rec\",0]}}}"));
    answer(
        "getJobUpdateDetails",
        reply("getJobUpdateDetails", "\"24\":{\"rec\":{\"2\":{\"lst\":[\"rec\",0]}}}"));
  }

  @Test
  void gcKeepsWhatTheSchedulerRunsAndDeletesTheRest() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Cli.Result keygen =
        cli.run("cache", "keygen", "test-gc-1", "--out-dir", tmp.resolve("keys").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String publicKey = keygen.out().strip();
    cli.config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "file://%s",
          "secret_key_file": "%s", "aurora_binary": "%s"}}}
        """
            .formatted(cache, tmp.resolve("keys/test-gc-1.sec"), aurora.executable));
    String marker = "gc-" + System.nanoTime();
    String scriptA = create(cli, aurora, "alpha", marker, 1);
    String scriptB = create(cli, aurora, "beta", marker, 2);
    String hashA = scriptA.substring(11, 43);
    String hashB = scriptB.substring(11, 43);
    assertTrue(Files.exists(cache.resolve(hashB + ".narinfo")));

    String schedulerUri = "http://127.0.0.1:" + scheduler.port() + "/";
    liveTask(scriptA);
    String[] viaScheduler = {
      "cache",
      "gc",
      "--cluster",
      "devcluster",
      "--submitter",
      "http",
      "-S",
      "scheduler_uri=" + schedulerUri,
      "--grace",
      "0s",
      "--settle",
      "1s"
    };

    // Dry run (the default): B's script would go, A's stays, nothing is deleted.
    Cli.Result dry = cli.run(viaScheduler);
    assertEquals(0, dry.exitCode(), dry.toString());
    assertTrue(dry.out().contains(scriptB), dry.toString());
    assertFalse(dry.out().contains(scriptA), dry.toString());
    assertTrue(dry.err().contains("would delete"), dry.err());
    assertTrue(Files.exists(cache.resolve(hashB + ".narinfo")));

    // The cli submitter cannot list configurations: refused, nothing deleted.
    Cli.Result cliSubmitter = cli.run("cache", "gc", "--cluster", "devcluster", "--delete");
    assertEquals(CliException.COMMAND_FAILURE, cliSubmitter.exitCode(), cliSubmitter.toString());
    assertTrue(cliSubmitter.err().contains("nothing was deleted"), cliSubmitter.err());
    assertTrue(Files.exists(cache.resolve(hashB + ".narinfo")));

    // An unreachable scheduler: refused, never "nothing is live".
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Cli.Result unreachable =
        cli.run(
            "cache",
            "gc",
            "--cluster",
            "devcluster",
            "--submitter",
            "http",
            "-S",
            "scheduler_uri=http://127.0.0.1:" + closed + "/",
            "-S",
            "retry_budget_seconds=1",
            "--grace",
            "0s",
            "--delete");
    assertEquals(CliException.COMMAND_FAILURE, unreachable.exitCode(), unreachable.toString());
    assertTrue(unreachable.err().contains("cannot read which configurations"), unreachable.err());
    assertTrue(Files.exists(cache.resolve(hashB + ".narinfo")));

    // --delete --json: B's paths go, A's closure stays sound and substitutes.
    String[] deleting = new String[viaScheduler.length + 2];
    System.arraycopy(viaScheduler, 0, deleting, 0, viaScheduler.length);
    deleting[viaScheduler.length] = "--delete";
    deleting[viaScheduler.length + 1] = "--json";
    int before = getJobsCalls();
    Cli.Result done = cli.run(deleting);
    assertEquals(0, done.exitCode(), done.toString());
    // The roots are read again after the narinfos are deleted (a job submitted meanwhile).
    assertEquals(before + 2, getJobsCalls());
    JsonNode report = JSON.readTree(done.out());
    assertFalse(report.get("dry_run").asBoolean());
    assertTrue(report.get("dead_paths").toString().contains(scriptB), report.toString());
    assertTrue(report.get("bytes").asLong() > 0);
    assertFalse(Files.exists(cache.resolve(hashB + ".narinfo")));
    assertTrue(Files.exists(cache.resolve(hashA + ".narinfo")));
    Cli.Result verify = cli.run("cache", "verify", "file://" + cache, "--public-key", publicKey);
    assertEquals(0, verify.exitCode(), verify.toString());
    Process p =
        new ProcessBuilder(
                "nix-store",
                "--store",
                tmp.resolve("agent").toString(),
                "-r",
                scriptA,
                "--option",
                "substituters",
                "file://" + cache,
                "--option",
                "trusted-public-keys",
                publicKey,
                "--option",
                "require-sigs",
                "true")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
  }

  private int getJobsCalls() {
    return scheduler
        .findAll(
            com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/api"))
                .withRequestBody(containing("[1,\"getJobs\",1,")))
        .size();
  }

  private static String create(
      Cli cli, Fixtures.FakeAurora aurora, String name, String marker, int call) throws Exception {
    Path job =
        Fixtures.helloJob(tmp(cli).resolve("job-" + name), "devcluster", name, marker).getParent();
    Cli.Result r =
        cli.run(
            "create",
            "devcluster/vagrant/devel/" + name,
            job.toString(),
            "--store",
            "binary-cache");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode submitted = JSON.readTree(aurora.config(call));
    String cmdline = submitted.get("task").get("processes").get(0).get("cmdline").asText();
    return cmdline.substring(cmdline.indexOf("/nix/store/")).split(" ")[0];
  }

  private static Path tmp(Cli cli) {
    return cli.workingDirectory.getParent();
  }
}
