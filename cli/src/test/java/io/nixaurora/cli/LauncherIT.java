package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's main command from a fresh checkout: {@code ./nix-aurora build examples/hello_world}
 * builds the CLI with Maven (output on stderr only; two launches at once build once), prints the
 * configuration; the next launch starts without building; {@code run} stops on SIGINT; a rebuild
 * leaves a running launch's build alone; Java 17+ and Maven are checked first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Timeout(value = 1800, unit = TimeUnit.SECONDS)
class LauncherIT {

  static Path checkout;

  /** The repository's tracked files, copied as a clone would lay them out. */
  @org.junit.jupiter.api.AfterAll
  static void removeTemporaryFiles() throws Exception {
    Fixtures.deleteTree(checkout);
  }

  @BeforeAll
  static void freshCheckout() throws Exception {
    Path repo = Fixtures.repository();
    checkout = Files.createTempDirectory("nix-aurora-checkout-");
    Process ls = new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "-z").start();
    String files = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, ls.waitFor());
    for (String f : files.split("\0")) {
      if (f.isEmpty() || !Files.isRegularFile(repo.resolve(f))) {
        continue;
      }
      Path target = checkout.resolve(f);
      Files.createDirectories(target.getParent());
      Files.copy(repo.resolve(f), target, StandardCopyOption.COPY_ATTRIBUTES);
    }
    assertTrue(
        Files.isExecutable(checkout.resolve("nix-aurora")),
        "the launcher is tracked and executable");
  }

  private record Run(int exit, String out, String err) {}

  private static Run launch(List<String> args, long timeoutSeconds) throws Exception {
    return launch(args, timeoutSeconds, Map.of());
  }

  private static Run launch(List<String> args, long timeoutSeconds, Map<String, String> env)
      throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("./nix-aurora"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("launcher-out", ".txt");
    Path err = Files.createTempFile("launcher-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "the launcher took over " + timeoutSeconds + " s: " + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  @Order(1)
  void theReadmeCommandBuildsTheCliOnceEvenWhenTwoLaunchesStartTogether() throws Exception {
    List<java.util.concurrent.Future<Run>> launches = new java.util.ArrayList<>();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        launches.add(pool.submit(() -> launch(List.of("build", "examples/hello_world"), 900)));
      }
      List<Run> runs = new java.util.ArrayList<>();
      for (var f : launches) {
        runs.add(f.get());
      }
      int builds = 0;
      for (Run r : runs) {
        assertEquals(0, r.exit(), r.err());
        JsonNode config = new ObjectMapper().readTree(r.out()); // stdout is only the JSON
        JsonNode processes = config.get("task").get("processes");
        assertEquals("nix_init_hello_world", processes.get(0).get("name").asText());
        assertEquals("hello_world", processes.get(1).get("name").asText());
        if (r.err().contains("building the CLI with Maven")) {
          builds++;
        }
      }
      // However the two interleave, one builds; the other waits for it (or finds it built).
      assertEquals(1, builds, runs.get(0).err() + "\n---\n" + runs.get(1).err());
      assertEquals(runs.get(0).out(), runs.get(1).out());
    } finally {
      pool.shutdownNow();
    }
    assertFalse(
        Files.exists(checkout.resolve("cli/target")), "the launcher builds in .nix-aurora/");
  }

  @Test
  @Order(2)
  void theNextLaunchDoesNotBuild() throws Exception {
    Run r = launch(List.of("--version"), 60);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("nix-aurora "), r.out());
    assertEquals("", r.err());
  }

  @Test
  @Order(3)
  void createPushesToAFileCacheAndCallsTheAuroraClientOnPath() throws Exception {
    Path work = Files.createTempDirectory("nix-aurora-launcher-create-");
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(work);
    Path cache = Files.createDirectories(work.resolve("cache"));
    Run keygen =
        launch(
            List.of("cache", "keygen", "launcher-1", "--out-dir", work.toString()), 60, Map.of());
    assertEquals(0, keygen.exit(), keygen.err());
    Path config =
        Files.writeString(
            work.resolve("config.json"),
            "{\"clusters\": {\"devcluster\": {\"cache_url\": \"file://"
                + cache
                + "\", \"secret_key_file\": \""
                + work.resolve("launcher-1.sec")
                + "\"}}}");
    Run r =
        launch(
            List.of(
                "create",
                "devcluster/vagrant/devel/hello_world",
                "examples/hello_world",
                "--store",
                "binary-cache",
                "--config",
                config.toString()),
            120,
            Map.of("PATH", aurora.executable.getParent() + ":" + System.getenv("PATH")));
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, aurora.calls().size());
    assertEquals(
        List.of("job", "create", "--read-json", "devcluster/vagrant/devel/hello_world"),
        aurora.calls().get(0).subList(0, 4));
    assertTrue(aurora.config(1).contains("nix_init_hello_world"));
    try (var narinfos = Files.list(cache)) {
      assertTrue(narinfos.anyMatch(p -> p.toString().endsWith(".narinfo")), "nothing pushed");
    }
    assertTrue(r.out().contains("Job create succeeded"), r.out());
    Fixtures.deleteTree(work);
  }

  @Test
  @Order(4)
  void runStopsEveryProcessOnSigint() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("./nix-aurora", "run", "examples/hello_world")
            .directory(checkout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.contains("Hello world!"));
      assertTrue(line != null, "hello_world printed nothing");
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      assertFalse(children.isEmpty());
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running after SIGINT");
      assertEquals(130, p.exitValue());
      for (ProcessHandle child : children) {
        assertTrue(child.onExit().get(10, TimeUnit.SECONDS) != null);
        assertFalse(child.isAlive(), "left running: " + child.info().commandLine().orElse("?"));
      }
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static Path current() throws IOException {
    return checkout.resolve(".nix-aurora/current").toRealPath();
  }

  @Test
  @Order(5)
  void aRebuildLeavesARunningLaunchAloneAndCollectsItsBuildAfterwards() throws Exception {
    Path before = current();
    // A long-running launch: hello_world's task runs until SIGINT.
    Process running =
        new ProcessBuilder("./nix-aurora", "run", "examples/hello_world")
            .directory(checkout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.contains("Hello world!"));
      assertTrue(line != null, "hello_world printed nothing");

      // The same sources rebuilt: a new directory, switched to; the running one's stays.
      Run rebuilt = launch(List.of("--version"), 900, Map.of("NIX_AURORA_REBUILD", "1"));
      assertEquals(0, rebuilt.exit(), rebuilt.err());
      assertTrue(rebuilt.err().contains("rebuilding the CLI"), rebuilt.err());
      Path after = current();
      assertFalse(after.equals(before), "a new build directory");
      assertTrue(Files.isRegularFile(before.resolve("complete")), "the running build is kept");
      assertTrue(Files.isRegularFile(before.resolve("cli/target/nix-aurora-cli.jar")));
      assertTrue(running.isAlive(), "the running launch goes on");
    } finally {
      new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).start().waitFor();
      assertTrue(running.waitFor(30, TimeUnit.SECONDS), "still running after SIGINT");
    }
    assertEquals(130, running.exitValue());

    // An edit: built under another hash; the old build, now unused and unnamed, is deleted.
    Path main = checkout.resolve("cli/src/main/java/io/nixaurora/cli/Main.java");
    String original = Files.readString(main);
    Files.writeString(main, original + "// an edit\n");
    Run edited = launch(List.of("--version"), 900);
    assertEquals(0, edited.exit(), edited.err());
    assertTrue(edited.err().contains("sources changed"), edited.err());
    assertFalse(Files.exists(before), "the unused build was collected");

    // Back to the first sources: their build is still there, nothing is built.
    Files.writeString(main, original);
    Run back = launch(List.of("--version"), 60);
    assertEquals(0, back.exit(), back.err());
    assertEquals("", back.err());
  }

  @Test
  @Order(6)
  void javaOlderThan17AndAMissingMavenAreSaidInOneLine() throws Exception {
    Path fake = Files.createTempDirectory("nix-aurora-old-jdk-");
    try {
      Path bin = Files.createDirectories(fake.resolve("jdk/bin"));
      Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 1\n");
      java.toFile().setExecutable(true);
      Files.writeString(fake.resolve("jdk/release"), "JAVA_VERSION=\"11.0.2\"\n");
      Run old =
          launch(List.of("--version"), 60, Map.of("JAVA_HOME", fake.resolve("jdk").toString()));
      assertEquals(4, old.exit(), old.err());
      assertEquals(1, old.err().strip().lines().count(), old.err());
      assertTrue(old.err().contains("Java 17 or newer is needed"), old.err());
      assertTrue(old.err().contains("11.0.2"), old.err());

      // PATH with every command of /usr/bin and /bin but mvn; a build is needed.
      Path path = Files.createDirectories(fake.resolve("path"));
      for (String dir : List.of("/usr/bin", "/bin")) {
        try (var commands = Files.list(Path.of(dir))) {
          for (Path c : (Iterable<Path>) commands::iterator) {
            Path link = path.resolve(c.getFileName().toString());
            if (!c.getFileName().toString().equals("mvn") && !Files.exists(link)) {
              Files.createSymbolicLink(link, c);
            }
          }
        }
      }
      Run noMaven =
          launch(
              List.of("--version"), 60, Map.of("PATH", path.toString(), "NIX_AURORA_REBUILD", "1"));
      assertEquals(4, noMaven.exit(), noMaven.err());
      assertEquals(1, noMaven.err().strip().lines().count(), noMaven.err());
      assertTrue(noMaven.err().contains("Maven is needed"), noMaven.err());
    } finally {
      Fixtures.deleteTree(fake);
    }
  }

  @Test
  @Order(7)
  void aSecondLaunchSaysItWaitsForARebuild() throws Exception {
    // The test holds the build lock, as a launch that is rebuilding does.
    Path lock = checkout.resolve(".nix-aurora/lock");
    Process holder =
        new ProcessBuilder("flock", "-x", lock.toString(), "cat")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Process launch = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && holder.descendants().findAny().isEmpty()) {
        Thread.sleep(50); // flock runs `cat` once it holds the lock
      }
      assertTrue(holder.descendants().findAny().isPresent(), "flock did not take the lock");
      ProcessBuilder pb =
          new ProcessBuilder("./nix-aurora", "--version")
              .directory(checkout.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("NIX_AURORA_REBUILD", "1");
      launch = pb.start();
      try (BufferedReader err =
          new BufferedReader(
              new InputStreamReader(launch.getErrorStream(), StandardCharsets.UTF_8))) {
        String line = err.readLine();
        assertTrue(line != null && line.contains("waiting"), "first line: " + line);
      }
    } finally {
      if (launch != null) {
        List<ProcessHandle> tree = launch.descendants().toList();
        launch.destroy();
        tree.forEach(ProcessHandle::destroy);
        launch.waitFor(30, TimeUnit.SECONDS);
      }
      holder.getOutputStream().close(); // cat ends, flock releases the lock
      holder.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
