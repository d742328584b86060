package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The production shape of a multi-node agent, with Aurora 0.22's real Thermos runner: the task runs
 * as an unprivileged role user the test creates, its init uses {@code NIX_REMOTE=daemon} against a
 * running nix-daemon whose nix.conf is what {@code nix-aurora agent-config} prints, the daemon's
 * store starts empty of the job's closure, and the binary-cache provider's init substitutes the
 * closure from the file:// cache {@code create} pushed to.
 *
 * <p>How it stays private beside other tests: the daemon serves a chroot store (its own {@code
 * nix/store} under the test's directory) on a private socket, and the runner is started in a mount
 * namespace where that directory is bind-mounted on {@code /nix/store}, so the task sees an agent's
 * store that holds nothing of the job. Thermos clears every variable but PATH, HOME, USER and
 * LOGNAME, so {@code NIX_DAEMON_SOCKET_PATH} cannot come from the runner's environment: the
 * cluster's {@code profile_script}, which the init sources first, exports it. On a real agent the
 * daemon listens on Nix's default socket and no profile script is needed.
 */
class MultiNodeAgentIT {

  private static final String ROLE_USER = "na-thermos-role";
  private static final ObjectMapper JSON = new ObjectMapper();
  private Path dir;
  private Process daemon;

  @AfterEach
  void stop() throws Exception {
    if (daemon != null) {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    if (dir != null) {
      run(List.of("chmod", "-R", "u+w", dir.toString()), 60);
      run(List.of("rm", "-rf", dir.toString()), 120);
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void helloWorldRunsAsARoleUserWithItsClosureSubstitutedFromTheCache() throws Exception {
    dir = Files.createTempDirectory("na-agent-");
    // the role user must reach the sandbox, the socket and the profile script
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (run(List.of("id", "-u", ROLE_USER), 30).exit != 0) {
      Result added =
          run(
              List.of("useradd", "--system", "--no-create-home", "--shell", "/bin/bash", ROLE_USER),
              60);
      assertEquals(0, added.exit, "cannot create the role user: " + added.output);
    }
    Path socket = dir.resolve("daemon/socket");
    Files.createDirectories(socket.getParent());
    Path profile = dir.resolve("agent-profile.sh");
    Files.writeString(profile, "export NIX_DAEMON_SOCKET_PATH='" + socket + "'\n");
    Files.setPosixFilePermissions(profile, PosixFilePermissions.fromString("rw-r--r--"));

    try (RealAurora.Standin standin = new RealAurora.Standin(dir.resolve("standin"))) {
      Cli cli = new Cli(dir.resolve("cli"));
      Cli.Result keygen =
          cli.run("cache", "keygen", "agent-test-1", "--out-dir", dir.resolve("keys").toString());
      assertEquals(0, keygen.exitCode(), keygen.toString());
      cli.config(
          """
          {"clusters": {"devcluster": {
            "store": "binary-cache", "cache_url": "file://%s",
            "secret_key_file": "%s", "daemon": true, "agent_nix_bin_dir": "/usr/bin",
            "profile_script": "%s",
            "submitter": "http", "scheduler_uri": "%s"}}}
          """
              .formatted(
                  dir.resolve("cache"),
                  dir.resolve("keys/agent-test-1.sec"),
                  profile,
                  standin.uri()));
      Path job = Fixtures.repository().resolve("examples/hello_world");

      // publish and submit as an operator would; the agent takes the configuration from here
      Cli.Result created =
          cli.run("create", "devcluster/vagrant/devel/hello_world", job.toString());
      assertEquals(0, created.exitCode(), created.toString());
      assertTrue(standin.methods().contains("createJob"), standin.methods().toString());
      Path config = dir.resolve("hello_world.json");
      Cli.Result built = cli.run("build", job.toString(), "--out", config.toString());
      assertEquals(0, built.exitCode(), built.toString());
      JsonNode init = JSON.readTree(config.toFile()).get("task").get("processes").get(0);
      assertEquals("nix_init_hello_world", init.get("name").asText());
      String initCmdline = init.get("cmdline").asText();
      assertTrue(initCmdline.contains("NIX_REMOTE=daemon"), initCmdline);
      String script = initCmdline.substring(initCmdline.lastIndexOf(' ') + 1);

      // the agent's nix.conf is agent-config's output
      Cli.Result agentConfig = cli.run("agent-config", "devcluster");
      assertEquals(0, agentConfig.exitCode(), agentConfig.toString());
      assertTrue(agentConfig.out().contains("nix-daemon"), agentConfig.out());
      Path confDir = Files.createDirectories(dir.resolve("agent-nix-conf"));
      Files.writeString(confDir.resolve("nix.conf"), agentConfig.out());
      Path storeRoot = dir.resolve("agent-root");
      Files.createDirectories(storeRoot.resolve("nix/store"));
      daemon = startDaemon(storeRoot, confDir, socket);
      assertFalse(
          Files.exists(Path.of(storeRoot + script)), "the agent's store already holds the job");

      // the runner in a mount namespace whose /nix/store is the agent's (empty) store
      Path sandbox = dir.resolve("task");
      List<String> thermos =
          List.of(
              RealAurora.home().resolve("bin/thermos-run").toString(),
              config.toString(),
              sandbox.toString(),
              "--user",
              ROLE_USER,
              "--seconds",
              "20");
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              "unshare",
              "-m",
              "--propagation",
              "private",
              "/bin/sh",
              "-c",
              "mount --bind \"$0\" /nix/store && exec \"$@\"",
              storeRoot.resolve("nix/store").toString()));
      command.addAll(thermos);
      Result ran = run(command, Map.of("AURORA_PYTHON2", RealAurora.python2().toString()), 180);
      String daemonLog = Files.readString(dir.resolve("daemon.log"));
      assertEquals(0, ran.exit, ran.output + "\n" + daemonLog);

      JsonNode initState = null;
      JsonNode helloState = null;
      for (String line : ran.output.lines().filter(l -> l.startsWith("{")).toList()) {
        JsonNode node = JSON.readTree(line);
        if (node.path("process").asText().equals("nix_init_hello_world")) {
          initState = node;
        } else if (node.path("process").asText().equals("hello_world")) {
          helloState = node;
        }
      }
      String logs = logs(sandbox.resolve("sandbox/.logs"));
      assertTrue(initState != null && helloState != null, ran.output);
      assertEquals("SUCCESS", initState.get("state").asText(), ran.output + logs + daemonLog);
      // RUNNING until the executor's kill after 20 s
      assertEquals("KILLED", helloState.get("state").asText(), ran.output + logs);
      assertTrue(
          initState.get("stop_time").asDouble() <= helloState.get("start_time").asDouble(),
          ran.output);
      String stdout = Files.readString(sandbox.resolve("sandbox/.logs/hello_world/0/stdout"));
      assertTrue(stdout.contains("Hello world! The time is now"), stdout + logs);

      // substituted into the agent's store from the cache, rooted in the sandbox by the role user
      assertTrue(Files.exists(Path.of(storeRoot + script)), "not substituted: " + script);
      Path root = sandbox.resolve("sandbox/.gc/hello_world");
      assertEquals(script, Files.readSymbolicLink(root).toString());
      assertEquals(
          ROLE_USER, Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).getName(), "init's user");
      Result roots =
          run(
              List.of("nix-store", "--store", storeRoot.toString(), "-q", "--roots", script),
              Map.of(),
              60);
      assertTrue(roots.output.contains(root + " -> " + script), roots.output);
    }
  }

  private Process startDaemon(Path storeRoot, Path confDir, Path socket)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("nix-daemon", "--store", storeRoot.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("daemon.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("NIX_CONF_DIR", confDir.toString());
    pb.environment().put("NIX_DAEMON_SOCKET_PATH", socket.toString());
    pb.environment().remove("NIX_REMOTE");
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (Files.exists(socket)) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
          return p;
        } catch (IOException notYet) {
          // not listening yet
        }
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException(
            "nix-daemon did not start: " + Files.readString(dir.resolve("daemon.log")));
      }
      Thread.sleep(50);
    }
  }

  private static String logs(Path logs) throws IOException {
    if (!Files.isDirectory(logs)) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    try (var files = Files.walk(logs)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        b.append("\n--- ").append(f).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  record Result(int exit, String output) {}

  private static Result run(List<String> command, long seconds)
      throws IOException, InterruptedException {
    return run(command, Map.of(), seconds);
  }

  private static Result run(List<String> command, Map<String, String> env, long seconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    File out = File.createTempFile("na-agent-run", ".out");
    try {
      pb.redirectOutput(out);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "did not finish: " + command + "\n" + Files.readString(out.toPath()));
      }
      return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
    }
  }
}
