package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM or SIGINT to the JVM alone (not its process group) during {@code build} and {@code
 * create}: every process it started ends, no temporary file stays, and one line says what was
 * interrupted. The CLI runs in a JVM of its own with a private TMPDIR, HOME and GC roots directory;
 * the test watches only the processes that JVM started.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InterruptIT {

  @TempDir Path root;

  /** A job whose one package builds until it is killed; the marker finds its builder. */
  private static Path sleepingJob(Path dir, String marker) throws Exception {
    Files.createDirectories(dir);
    return Files.writeString(
            dir.resolve("default.nix"),
            """
            { aurora, pkgs, ... }:
            with aurora;
            let sleeper = derivation {
                  name = "sleeper"; system = builtins.currentSystem; builder = "/bin/sh";
                  args = [ "-c" "/bin/sleep 1000; : %s" ]; allowSubstitutes = false; };
            in Service {
              cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "sleepy";
              task = Task {
                processes = [ (Process { name = "p"; cmdline = "${sleeper}/bin/x"; }) ];
                resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
              };
            }
            """
                .formatted(marker))
        .getParent();
  }

  /** The private TMPDIR; Nix's build users must be able to reach their build directories in it. */
  private Path privateTmpdir() throws Exception {
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
    Path tmpdir = Files.createDirectories(root.resolve("tmp"));
    Files.setPosixFilePermissions(tmpdir, PosixFilePermissions.fromString("rwx--x--x"));
    return tmpdir;
  }

  /** The CLI in a JVM of its own, with a private TMPDIR, HOME and working directory. */
  private Process startCli(Path tmpdir, String... args) throws Exception {
    Path home = Files.createDirectories(root.resolve("home"));
    Path work = Files.createDirectories(root.resolve("work"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + tmpdir);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.put("TMPDIR", tmpdir.toString());
    env.put("HOME", home.toString());
    env.remove("NIX_REMOTE");
    env.remove("XDG_CONFIG_HOME");
    env.remove("XDG_STATE_HOME");
    env.remove("XDG_CACHE_HOME");
    pb.redirectOutput(root.resolve("stdout").toFile());
    pb.redirectError(root.resolve("stderr").toFile());
    return pb.start();
  }

  /** Polls (bounded) until a descendant of {@code jvm} has {@code marker} in its command line. */
  private List<ProcessHandle> awaitDescendant(Process jvm, String marker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!jvm.isAlive()) {
        throw new AssertionError(
            "the CLI ended (exit "
                + jvm.exitValue()
                + ") before the marker process started:\n"
                + Files.readString(root.resolve("stderr"))
                + Files.readString(root.resolve("stdout")));
      }
      List<ProcessHandle> tree = jvm.descendants().toList();
      if (tree.stream()
          .anyMatch(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))) {
        return tree;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no process with " + marker + " started within 180 s");
  }

  private void signalAndCheck(
      Process jvm, List<ProcessHandle> started, String signal, int exit, Path tmpdir)
      throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(jvm.pid())).start();
    assertEquals(0, kill.waitFor());
    assertTrue(jvm.waitFor(120, TimeUnit.SECONDS), "the CLI is still running after SIG" + signal);
    String err = Files.readString(root.resolve("stderr"));
    assertEquals(exit, jvm.exitValue(), err);
    for (ProcessHandle h : started) {
      h.onExit().get(30, TimeUnit.SECONDS);
      assertFalse(h.isAlive(), "left running: " + h.info().commandLine().orElse("?"));
    }
    try (Stream<Path> left = Files.list(tmpdir)) {
      assertEquals(List.of(), left.toList(), "temporary files left behind");
    }
    List<String> lines = err.lines().filter(l -> l.contains("interrupted")).toList();
    assertEquals(1, lines.size(), err);
    assertFalse(err.contains("error:"), "the interruption is not reported as an error:\n" + err);
    assertFalse(err.contains("Exception"), err);
  }

  @Test
  void sigtermDuringBuildStopsNixAndItsBuilder() throws Exception {
    String marker = "marker-" + UUID.randomUUID();
    Path job = sleepingJob(root.resolve("job"), marker);
    Path tmpdir = privateTmpdir();
    Process jvm = startCli(tmpdir, "build", job.toString());
    List<ProcessHandle> started = awaitDescendant(jvm, marker);
    signalAndCheck(jvm, started, "TERM", 143, tmpdir);
    String err = Files.readString(root.resolve("stderr"));
    assertTrue(err.contains("interrupted while building " + job), err);
    assertTrue(err.contains("stopped Nix and its builders"), err);
    assertTrue(err.contains("nothing was written"), err);
  }

  @Test
  void sigintDuringCreateStopsNixAndSubmitsNothing() throws Exception {
    String marker = "marker-" + UUID.randomUUID();
    Path job = sleepingJob(root.resolve("job"), marker);
    Path tmpdir = privateTmpdir();
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(root.resolve("aurora"));
    Path config = config(aurora.executable);
    Process jvm =
        startCli(
            tmpdir,
            "create",
            "devcluster/vagrant/devel/sleepy",
            job.toString(),
            "--config",
            config.toString());
    List<ProcessHandle> started = awaitDescendant(jvm, marker);
    signalAndCheck(jvm, started, "INT", 130, tmpdir);
    String err = Files.readString(root.resolve("stderr"));
    assertTrue(err.contains("nothing was published or submitted"), err);
    assertEquals(List.of(), aurora.calls(), "the aurora client was called");
    assertTrue(Fixtures.noFiles(root.resolve("gcroots")), "GC roots were registered");
  }

  @Test
  void sigtermWhileTheAuroraClientRunsStopsItAndSaysTheCreateMayHaveHappened() throws Exception {
    String marker = "marker-" + UUID.randomUUID();
    Path job =
        Fixtures.helloJob(root.resolve("job"), "devcluster", "hello", "interrupt").getParent();
    Path tmpdir = privateTmpdir();
    // The marker is in the client's path, so in its command line.
    Path client = Files.createDirectories(root.resolve(marker)).resolve("aurora");
    Files.writeString(client, "#!/bin/sh\n/bin/sleep 1000\n");
    Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process jvm =
        startCli(
            tmpdir,
            "create",
            "devcluster/vagrant/devel/hello",
            job.toString(),
            "--config",
            config(client).toString());
    List<ProcessHandle> started = awaitDescendant(jvm, marker);
    signalAndCheck(jvm, started, "TERM", 143, tmpdir);
    String err = Files.readString(root.resolve("stderr"));
    assertTrue(err.contains("interrupted while submitting devcluster/vagrant/devel/hello"), err);
    assertTrue(err.contains("stopped the aurora client"), err);
    assertTrue(err.contains("may have reached the scheduler"), err);
  }

  private Path config(Path aurora) throws Exception {
    return Files.writeString(
        root.resolve("config.json"),
        "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
            + aurora
            + "\", \"gc_roots_dir\": \""
            + root.resolve("gcroots")
            + "\"}}}");
  }
}
