package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.RealAurora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code create} and {@code update} of Nix jobs through both submitters, side by side: {@code
 * --submitter cli} with the real Aurora 0.22 client as {@code aurora} against one scheduler
 * stand-in, {@code --submitter http} against another; the scheduler must receive the same call
 * ({@code executorConfig.data} byte for byte). Jobs the client's {@code --read-json} cannot load
 * are refused by {@code --submitter cli} before anything is published. Needs real Nix and CPython
 * 2.7 (see {@link RealAurora}).
 */
@Timeout(600)
class RealAuroraSubmitIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "devcluster/vagrant/devel/";

  @TempDir Path tmp;
  private RealAurora aurora;
  private RealAurora.StandIn viaClient;
  private RealAurora.StandIn viaHttp;
  private Cli cli;

  @BeforeEach
  void start() throws Exception {
    aurora = RealAurora.locate();
    viaClient = aurora.standIn(tmp.resolve("client.log"));
    viaHttp = aurora.standIn(tmp.resolve("http.log"));
    Path configRoot = RealAurora.clusters(tmp.resolve("aurora-config"), viaClient);
    // The real client, with its clusters.json: what a user has on PATH as `aurora`.
    Path wrapper = tmp.resolve("aurora");
    Files.writeString(
        wrapper,
        "#!/bin/sh\nexport AURORA_CONFIG_ROOT='"
            + configRoot
            + "'\nexec '"
            + aurora.home().resolve("bin/aurora")
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    cli = new Cli(tmp);
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
            + wrapper
            + "\", \"scheduler_uri\": \""
            + viaHttp.uri()
            + "\", \"gc_roots_dir\": \""
            + tmp.resolve("gcroots")
            + "\"}}}");
  }

  @AfterEach
  void stop() {
    if (viaClient != null) {
      viaClient.close();
    }
    if (viaHttp != null) {
      viaHttp.close();
    }
  }

  private Path job(String name, String body) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("jobs").resolve(name));
    Files.writeString(dir.resolve("greeting.txt"), "hello from " + name + "\n");
    Files.writeString(
        dir.resolve("default.nix"),
        """
        { aurora, pkgs, ... }:
        with aurora;
        Service {
          cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "%s";
          instances = 2;
          %s
        }
        """
            .formatted(name, body));
    return dir;
  }

  private static final String TASK =
      """
      task = Task {
        processes = [
          (Process { name = "hello";
                     cmdline = "cat ${./greeting.txt}; echo {{role}} {{environment}} {{cluster}} {{name}} {{task.name}} {{instances}} {{thermos.ports[http]}}"; })
          (Process { name = "bye"; cmdline = "echo bye"; final = true; })
        ];
        resources = Resources { cpu = 0.5; ram = 16 * MB; disk = 16 * MB; };
      };
      announce = Announcer { portmap = { admin = "http"; }; };
      metadata = [ (Metadata { key = "built-by"; value = "{{name}}-{{instances}}"; }) ];
      """;

  private JsonNode only(RealAurora.StandIn standIn, String method) throws Exception {
    List<JsonNode> calls =
        standIn.calls().stream().filter(c -> c.get("method").asText().equals(method)).toList();
    assertEquals(1, calls.size(), method + ": " + standIn.calls());
    return calls.get(0).get("args");
  }

  @Test
  void bothSubmittersSendTheSameCreateAndUpdate() throws Exception {
    Path job = job("wire", TASK);
    Cli.Result viaCli = cli.run("create", KEY + "wire", job.toString(), "--submitter", "cli");
    assertEquals(0, viaCli.exitCode(), viaCli.toString());
    Cli.Result viaApi = cli.run("create", KEY + "wire", job.toString(), "--submitter", "http");
    assertEquals(0, viaApi.exitCode(), viaApi.toString());

    JsonNode expected = only(viaClient, "createJob").get("description");
    JsonNode actual = only(viaHttp, "createJob").get("description");
    String data = expected.at("/6/rec/25/rec/2/str").asText();
    assertEquals(data, actual.at("/6/rec/25/rec/2/str").asText(), "executorConfig.data");
    assertEquals(RealAurora.normalized(expected), RealAurora.normalized(actual));
    // the client bound the templates before sending (in a process {{name}} is the process's own,
    // and the task is named after its first process): so did nix-aurora
    assertTrue(
        data.contains("; echo vagrant devel devcluster hello hello 2 {{thermos.ports[http]}}"),
        data);
    // the announcer's alias: only the port it resolves to is requested
    String resources = expected.at("/6/rec/32").toString();
    assertTrue(resources.contains("{\"4\":{\"str\":\"http\"}}"), resources);
    assertFalse(resources.contains("admin"), resources);

    viaClient.clear();
    viaHttp.clear();
    // `aurora update start` of 0.22 asks for the update's diff first, which the stand-in does not
    // answer: the client fails after its getJobUpdateDiff, nix-aurora's http submitter after
    // startJobUpdate (getJobUpdateSummaries). The http request is checked in WireParityIT.
    Cli.Result update = cli.run("update", KEY + "wire", job.toString(), "--submitter", "http");
    assertTrue(update.err().contains("getJobUpdateSummaries"), "unexpected failure: " + update);
    JsonNode request = only(viaHttp, "startJobUpdate").get("request");
    assertEquals(
        RealAurora.normalized(expected.at("/6/rec")),
        RealAurora.normalized(request.at("/1/rec")),
        "the update's TaskConfig is the created one");
  }

  @Test
  void aDockerContainerIsRefusedByTheCliSubmitterBeforePublishing() throws Exception {
    Path job = job("docker", TASK + "container = Docker { image = \"debian:bookworm\"; };");
    Cli.Result r = cli.run("create", KEY + "docker", job.toString(), "--submitter", "cli");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("container (a Docker container)"), r.err());
    assertTrue(r.err().contains("--submitter http"), r.err());
    assertTrue(viaClient.calls().isEmpty(), "the client was run: " + viaClient.calls());
    assertFalse(Files.exists(tmp.resolve("gcroots")), "something was published");

    // `build` prints the configuration and says in one line why --read-json cannot take it
    Cli.Result build = cli.run("build", job.toString());
    assertEquals(0, build.exitCode(), build.toString());
    assertTrue(JSON.readTree(build.out()).has("container"), build.out());
    List<String> warnings = build.err().lines().filter(l -> l.contains("--read-json")).toList();
    assertEquals(1, warnings.size(), build.err());
    assertTrue(
        warnings.get(0).contains("container") && warnings.get(0).contains("--submitter http"));

    // through the http submitter it is created
    Cli.Result http = cli.run("create", KEY + "docker", job.toString(), "--submitter", "http");
    assertEquals(0, http.exitCode(), http.toString());
    assertEquals(
        "debian:bookworm",
        only(viaHttp, "createJob").at("/description/6/rec/29/rec/2/rec/1/str").asText());
  }

  @Test
  void batchStrategiesAndSlaPoliciesAreRefusedByTheCliSubmitterToo() throws Exception {
    Path job =
        job(
            "batch",
            TASK
                + "update_config = UpdateConfig { update_strategy = BatchUpdateStrategy { batch_size = 2; }; };"
                + " tier = \"preferred\"; sla_policy = CountSlaPolicy { count = 1; duration_secs = 60; };");
    Cli.Result r = cli.run("update", KEY + "batch", job.toString(), "--submitter", "cli");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("update_config.update_strategy (a BatchUpdateStrategy)"), r.err());
    assertTrue(r.err().contains("sla_policy (a CountSlaPolicy)"), r.err());
    assertTrue(viaClient.calls().isEmpty(), viaClient.calls().toString());
    assertFalse(Files.exists(tmp.resolve("gcroots")), "something was published");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hello_world", "web_service", "multi_process", "cron_job"})
  void theExamplesGoOutTheSameThroughBothSubmitters(String example) throws Exception {
    Path dir = Fixtures.repository().resolve("examples").resolve(example);
    Cli.Result built = cli.run("build", dir.toString(), "--json");
    assertEquals(0, built.exitCode(), built.toString());
    JsonNode envelope = JSON.readTree(built.out());
    String key = envelope.get("key").asText();
    String method = envelope.get("cron").asBoolean() ? "scheduleCronJob" : "createJob";

    Cli.Result viaCli = cli.run("create", key, dir.toString(), "--submitter", "cli");
    assertEquals(0, viaCli.exitCode(), viaCli.toString());
    Cli.Result viaApi = cli.run("create", key, dir.toString(), "--submitter", "http");
    assertEquals(0, viaApi.exitCode(), viaApi.toString());

    JsonNode expected = only(viaClient, method).get("description");
    JsonNode actual = only(viaHttp, method).get("description");
    assertEquals(
        expected.at("/6/rec/25/rec/2/str").asText(),
        actual.at("/6/rec/25/rec/2/str").asText(),
        "executorConfig.data");
    assertEquals(RealAurora.normalized(expected), RealAurora.normalized(actual));
  }
}
