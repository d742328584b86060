package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code build} with real Nix. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BuildCommandIT {

  @TempDir static Path tmp;
  static Path job;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void writeJob() throws Exception {
    job = Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "build-test").getParent();
  }

  private static void assertValidPath(String path) throws Exception {
    Process p = new ProcessBuilder("nix-store", "--check-validity", path).start();
    assertEquals(0, p.waitFor(), path + " is not valid");
  }

  @Test
  void printsTheConfigurationWithAnInitProcessBeforeEachProcess() throws Exception {
    Cli cli = new Cli(tmp.resolve("a"));
    Cli.Result r = cli.run("build", job.toString());
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode config = JSON.readTree(r.out());
    assertEquals("devcluster", config.get("cluster").asText());
    JsonNode processes = config.get("task").get("processes");
    assertEquals("nix_init_hello", processes.get(0).get("name").asText());
    assertEquals("hello", processes.get(1).get("name").asText());
    assertEquals(
        List.of("nix_init_hello", "hello"),
        JSON.convertValue(config.get("task").get("constraints").get(0).get("order"), List.class));
    String init = processes.get(0).get("cmdline").asText();
    String script = init.substring(init.indexOf("/nix/store/")).split(" ")[0];
    assertTrue(script.endsWith("-aurora-process-devcluster-vagrant-devel-hello-hello"), init);
    assertValidPath(script);
    // stderr has the summary, stdout nothing but the JSON
    assertTrue(r.err().contains("built devcluster/vagrant/devel/hello: 1 process"), r.err());
  }

  @Test
  void outWritesTheFileAndNothingToStdout() throws Exception {
    Cli cli = new Cli(tmp.resolve("b"));
    Cli.Result r = cli.run("build", job.toString(), "--out", "job.json", "--quiet");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("", r.out());
    assertEquals("", r.err());
    Path written = cli.workingDirectory.resolve("job.json");
    JsonNode config = JSON.readTree(written.toFile());
    assertEquals("hello", config.get("name").asText());
    try (var files = Files.list(cli.workingDirectory)) {
      assertEquals(List.of(written), files.toList(), "no temporary file may be left");
    }
  }

  @Test
  void outDashIsStdout() throws Exception {
    Cli cli = new Cli(tmp.resolve("out-dash"));
    Cli.Result r = cli.run("build", job.toString(), "--out", "-", "--quiet");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("hello", JSON.readTree(r.out()).get("name").asText());
    assertFalse(Files.exists(cli.workingDirectory.resolve("-")), "a file named '-' was made");
  }

  @Test
  void outThroughASymlinkWritesItsTargetAndKeepsTheLinkAndTheMode() throws Exception {
    Cli cli = new Cli(tmp.resolve("out-link"));
    Path target = Files.writeString(cli.workingDirectory.resolve("real.json"), "old\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createSymbolicLink(cli.workingDirectory.resolve("job.json"), target);
    Path dangling =
        Files.createSymbolicLink(
            cli.workingDirectory.resolve("new.json"), Path.of("made-by-build.json"));
    assertEquals(0, cli.run("build", job.toString(), "--out", "job.json").exitCode());
    assertEquals(0, cli.run("build", job.toString(), "--out", "new.json").exitCode());
    assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
    assertEquals("hello", JSON.readTree(target.toFile()).get("name").asText());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertTrue(Files.isSymbolicLink(dangling));
    Path made = cli.workingDirectory.resolve("made-by-build.json");
    assertEquals("hello", JSON.readTree(made.toFile()).get("name").asText());
    try (var files = Files.list(cli.workingDirectory)) {
      assertEquals(4, files.count(), "no temporary file may be left");
    }
  }

  @Test
  void outToAFifoWritesThroughToItsReader() throws Exception {
    Cli cli = new Cli(tmp.resolve("out-fifo"));
    Path fifo = cli.workingDirectory.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo is needed for this test");
    CompletableFuture<byte[]> read =
        CompletableFuture.supplyAsync(
            () -> {
              try (var in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Cli.Result r = cli.run("build", job.toString(), "--out", fifo.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("hello", JSON.readTree(read.get(60, TimeUnit.SECONDS)).get("name").asText());
    assertTrue(
        Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther(),
        "the FIFO was replaced");
    try (var files = Files.list(cli.workingDirectory)) {
      assertEquals(List.of(fifo), files.toList(), "no temporary file may be left");
    }
  }

  @Test
  void outToACharacterDeviceWritesThroughAndLeavesItADevice() throws Exception {
    Cli cli = new Cli(tmp.resolve("out-device"));
    // A private node of /dev/null's device (1,3): if the fix broke, only this copy is replaced.
    Path device = cli.workingDirectory.resolve("null");
    Process mknod =
        new ProcessBuilder("mknod", device.toString(), "c", "1", "3").inheritIO().start();
    assertEquals(0, mknod.waitFor(), "this test makes a device node: it needs root (CI has it)");
    Cli.Result r = cli.run("build", job.toString(), "--out", device.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertFalse(Files.isRegularFile(device), "the device was replaced by a regular file");
    assertEquals(0, Files.readAllBytes(device).length, "still a null device");
    try (var files = Files.list(cli.workingDirectory)) {
      assertEquals(List.of(device), files.toList(), "no temporary file may be left");
    }
  }

  @Test
  void jsonGivesTheScriptsAndTheConfiguration() throws Exception {
    Cli.Result r = new Cli(tmp.resolve("c")).run("build", job.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode root = JSON.readTree(r.out());
    assertEquals("devcluster/vagrant/devel/hello", root.get("key").asText());
    assertEquals("local", root.get("store").asText());
    assertEquals("x86_64-linux", root.get("system").asText());
    assertTrue(root.get("service").asBoolean());
    assertValidPath(root.get("scripts").get("hello").asText());
    assertEquals("hello", root.get("config").get("name").asText());
  }

  @Test
  void theInitCommandIsTheClustersStoreProvidersAndAPluginCanProvideIt() throws Exception {
    Cli cli = new Cli(tmp.resolve("d"));
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"store\": \"echo\", \"settings\": {\"echo_word\": \"fetch\"}}}}");
    Cli.Result r = cli.run("build", job.toString(), "--verbose");
    assertEquals(0, r.exitCode(), r.toString());
    String init =
        JSON.readTree(r.out()).get("task").get("processes").get(0).get("cmdline").asText();
    assertTrue(init.startsWith("echo fetch /nix/store/"), init);
    assertTrue(
        r.err().contains("store provider: echo (" + EchoStoreProviderFactory.class.getName()),
        r.err());
  }

  @Test
  void agentSettingsShapeTheInitCommand() throws Exception {
    Cli cli = new Cli(tmp.resolve("e"));
    cli.config(
        """
        {"clusters": {"devcluster": {"agent_nix_bin_dir": "/opt/nix/bin", "daemon": true,
          "profile_script": "/etc/profile.d/nix.sh"}}}
        """);
    Cli.Result r = cli.run("build", job.toString());
    assertEquals(0, r.exitCode(), r.toString());
    String init =
        JSON.readTree(r.out()).get("task").get("processes").get(0).get("cmdline").asText();
    assertTrue(init.contains("/opt/nix/bin/nix-store"), init);
    assertTrue(init.contains("NIX_REMOTE=daemon"), init);
    assertTrue(init.contains("/etc/profile.d/nix.sh"), init);
  }

  @Test
  void aClusterOfAnotherSystemIsRefusedBeforeAnythingIsWritten() throws Exception {
    Cli cli = new Cli(tmp.resolve("f"));
    cli.config("{\"clusters\": {\"devcluster\": {\"system\": \"aarch64-linux\"}}}");
    Cli.Result r = cli.run("build", job.toString(), "--out", "job.json");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("aarch64-linux"), r.err());
    assertFalse(Files.exists(cli.workingDirectory.resolve("job.json")));
    assertEquals("", r.out());
  }

  @Test
  void theReadmeExampleBuilds() throws Exception {
    Path hello = Fixtures.repository().resolve("examples/hello_world");
    Cli.Result r = new Cli(tmp.resolve("g")).run("build", hello.toString());
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode processes = JSON.readTree(r.out()).get("task").get("processes");
    assertEquals("nix_init_hello_world", processes.get(0).get("name").asText());
    assertTrue(
        processes
            .get(0)
            .get("cmdline")
            .asText()
            .contains("-aurora-process-devcluster-vagrant-devel-hello_world-hello_world"));
  }
}
