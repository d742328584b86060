package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * create / update / kill / status / diff with real Nix and a fake aurora client; create to a
 * file:// binary cache whose closure a fresh store then substitutes.
 */
class SubmitCommandsIT {

  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "devcluster/vagrant/devel/hello";

  @Test
  void createBuildsPublishesAndSubmitsWithTheLocalStore() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path job =
        Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "create-local").getParent();
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
            + aurora.executable
            + "\","
            + " \"gc_roots_dir\": \""
            + tmp.resolve("gcroots")
            + "\"}}}");
    Cli.Result r = cli.run("create", KEY, job.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(1, aurora.calls().size());
    assertEquals(List.of("job", "create", "--read-json", KEY), aurora.calls().get(0).subList(0, 4));
    JsonNode submitted = JSON.readTree(aurora.config(1));
    assertEquals(
        "nix_init_hello", submitted.get("task").get("processes").get(0).get("name").asText());
    assertTrue(r.out().contains("http://aurora.local:8081/scheduler/vagrant/devel/hello"), r.out());
    assertTrue(r.err().contains("created " + KEY), r.err());
    // the local store provider rooted the script, so a GC cannot break the job
    try (var roots = Files.walk(tmp.resolve("gcroots"))) {
      assertTrue(roots.anyMatch(Files::isSymbolicLink), "no GC root registered");
    }

    // what was submitted is recorded; diff compares with it
    Cli.Result same = cli.run("diff", KEY, job.toString());
    assertEquals(0, same.exitCode(), same.toString());
    assertTrue(same.out().contains("no changes"), same.out());
    Files.writeString(job.resolve("greeting.txt"), "changed\n");
    Cli.Result changed = cli.run("diff", KEY, job.toString(), "--json");
    assertEquals(0, changed.exitCode(), changed.toString());
    JsonNode diff = JSON.readTree(changed.out());
    assertTrue(diff.get("changes").asBoolean());
    assertEquals("last-submitted", diff.get("source").asText());
    assertTrue(
        diff.get("detail")
            .asText()
            .contains("-aurora-process-devcluster-vagrant-devel-hello-hello"));
    assertEquals(1, aurora.calls().size(), "diff must not call the client");
  }

  @Test
  void updateRollsOutTheNewConfiguration() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path job = Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "update").getParent();
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
            + aurora.executable
            + "\","
            + " \"gc_roots_dir\": \""
            + tmp.resolve("gcroots")
            + "\"}}}");
    Files.writeString(job.resolve("greeting.txt"), "version 2\n");
    Cli.Result r = cli.run("update", KEY, job.toString());
    assertEquals(0, r.exitCode(), r.toString());
    List<List<String>> calls = aurora.calls();
    assertEquals(List.of("job", "status", KEY), calls.get(0));
    assertEquals(List.of("update", "start", "--read-json", KEY), calls.get(1).subList(0, 4));
    assertTrue(aurora.config(2).contains("nix_init_hello"));
    assertTrue(r.err().contains("update started for " + KEY + " (update upd-1)"), r.err());
  }

  @Test
  void dryRunSubmitsNothing() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path job = Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "dry").getParent();
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \"" + aurora.executable + "\"}}}");
    Cli.Result r = cli.run("create", KEY, job.toString(), "--dry-run");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("hello", JSON.readTree(r.out()).get("name").asText());
    assertTrue(r.err().contains("nothing was pushed or submitted"), r.err());
    assertEquals(0, aurora.calls().size());
  }

  @Test
  void killAndStatusGoThroughTheSubmitter() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    cli.config("{\"defaults\": {\"aurora_binary\": \"" + aurora.executable + "\"}}");
    Cli.Result kill = cli.run("kill", KEY);
    assertEquals(0, kill.exitCode(), kill.toString());
    assertEquals(List.of("job", "killall", KEY), aurora.calls().get(0));
    Cli.Result status = cli.run("status", KEY, "--json");
    assertEquals(0, status.exitCode(), status.toString());
    assertEquals(List.of("job", "status", KEY), aurora.calls().get(1));
    assertEquals(KEY, JSON.readTree(status.out()).get("key").asText());
  }

  @Test
  void createWithTheBinaryCachePushesASignedClosureThatAFreshStoreSubstitutes() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path job =
        Fixtures.helloJob(
                tmp.resolve("job"), "devcluster", "hello", "create-cache-" + System.nanoTime())
            .getParent();
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Cli.Result keygen =
        cli.run("cache", "keygen", "test-cache-1", "--out-dir", tmp.resolve("keys").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String publicKey = keygen.out().strip();
    cli.config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "file://%s",
          "secret_key_file": "%s", "aurora_binary": "%s"}}}
        """
            .formatted(cache, tmp.resolve("keys/test-cache-1.sec"), aurora.executable));

    Cli.Result r = cli.run("create", KEY, job.toString(), "--store", "binary-cache");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("pushed "), r.err());
    assertEquals(1, aurora.calls().size());
    JsonNode submitted = JSON.readTree(aurora.config(1));
    String init = submitted.get("task").get("processes").get(0).get("cmdline").asText();
    String script = init.substring(init.indexOf("/nix/store/")).split(" ")[0];

    // the cache is sound and signed by the key
    Cli.Result verify = cli.run("cache", "verify", "file://" + cache, "--public-key", publicKey);
    assertEquals(0, verify.exitCode(), verify.toString());

    // an empty store that trusts only this key realises the whole closure from the cache
    Path store = tmp.resolve("agent-store");
    Process p =
        new ProcessBuilder(
                "nix-store",
                "--store",
                store.toString(),
                "-r",
                script,
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
    String hello = script.replaceAll("-aurora-process-.*", "");
    try (var stream = Files.list(store.resolve("nix/store"))) {
      List<String> names = new ArrayList<>();
      stream.forEach(x -> names.add(x.getFileName().toString()));
      assertTrue(names.stream().anyMatch(n -> n.endsWith("-hello-offline-2.12")), names.toString());
      assertTrue(names.stream().anyMatch(n -> n.endsWith("-greeting.txt")), names.toString());
    }
    assertTrue(hello.startsWith("/nix/store/"));

    // agent-config prints the lines the agents need
    Cli.Result agent = cli.run("agent-config", "devcluster");
    assertEquals(0, agent.exitCode(), agent.toString());
    assertTrue(agent.out().contains("trusted-public-keys = " + publicKey), agent.out());
    assertTrue(agent.out().contains("substituters = file://" + cache), agent.out());
  }

  @Test
  void updateIsForServicesAndUsesTheUpdateCommand() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path job = tmp.resolve("batch");
    Files.createDirectories(job);
    Files.writeString(
        job.resolve("default.nix"),
        """
        { aurora, pkgs, ... }:
        with aurora;
        Job {
          cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "batch";
          task = Task {
            processes = [ (Process { name = "once"; cmdline = "${pkgs.hello}/bin/hello"; }) ];
            resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
          };
        }
        """);
    cli.config("{\"defaults\": {\"aurora_binary\": \"" + aurora.executable + "\"}}");
    Cli.Result r = cli.run("update", "devcluster/vagrant/devel/batch", job.toString());
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("is not a service"), r.err());
    assertEquals(0, aurora.calls().size());
  }
}
