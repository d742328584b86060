package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Libraries' logging (ZooKeeper's, through SLF4J) stays off the console unless {@code --verbose}:
 * the CLI runs in a JVM of its own, as the launcher starts it, so SLF4J's provider lookup and its
 * "no providers" warning happen for real.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LibraryLoggingIT {

  @TempDir Path tmp;

  /** {@code status} through the http submitter, which looks for the scheduler in ZooKeeper. */
  private Process.Result status(boolean verbose) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Path etc = Files.createDirectories(tmp.resolve("etc-aurora"));
    Files.writeString(
        etc.resolve("clusters.json"),
        "[{\"name\": \"devcluster\", \"zk\": \"127.0.0.1\", \"zk_port\": "
            + closedPort
            + ", \"scheduler_zk_path\": \"/aurora/scheduler\"}]\n");
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(
        work.resolve("nix-aurora.json"),
        "{\"clusters\": {\"devcluster\": {\"submitter\": \"http\"}}}\n");
    Path home = Files.createDirectories(tmp.resolve("home"));

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("status");
    command.add("devcluster/vagrant/devel/hello_world");
    if (verbose) {
      command.add("--verbose");
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("AURORA_CONFIG_ROOT", etc.toString());
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    File err = tmp.resolve(verbose ? "err-v" : "err").toFile();
    pb.redirectError(err).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    java.lang.Process p = pb.start();
    try {
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "status did not end");
    } finally {
      p.destroyForcibly();
    }
    return new Process.Result(
        p.exitValue(), Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  /** Named so it cannot be mistaken for java.lang.Process. */
  private static final class Process {
    record Result(int exit, String stderr) {}
  }

  @Test
  void zooKeeperDiscoveryPrintsNoLibraryLinesUnlessVerbose() throws Exception {
    Process.Result quiet = status(false);

    assertEquals(7, quiet.exit(), quiet.stderr());
    assertTrue(quiet.stderr().contains("ZooKeeper"), "says what failed: " + quiet.stderr());
    for (String line : quiet.stderr().split("\n")) {
      assertFalse(line.startsWith("SLF4J"), "SLF4J's own warning: " + quiet.stderr());
      assertFalse(line.contains("org.apache.zookeeper"), "a ZooKeeper log line: " + quiet.stderr());
    }

    // The provider is real: with --verbose ZooKeeper's warnings (a refused connection) show.
    Process.Result verbose = status(true);
    assertEquals(7, verbose.exit(), verbose.stderr());
    assertTrue(
        verbose.stderr().contains("WARN org.apache.zookeeper"),
        "ZooKeeper's warning: " + verbose.stderr());
    assertFalse(verbose.stderr().contains("SLF4J("), verbose.stderr());
  }
}
