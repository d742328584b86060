package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.nix.local.NixRunner;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Every command as most people run Nix: a user who is not root, in Debian's {@code nix-users}
 * group, whose Nix talks to a {@code nix-daemon} ({@code NIX_REMOTE=daemon}) that owns the system
 * store and builds as the {@code nixbld} users. The daemon is this machine's Nix, on a private
 * socket (its directory {@code root:nix-users 770}, as Debian makes it) with a private nix.conf, so
 * the machine's own daemon, if any, is not touched; the CLI runs in its own JVM as that user.
 *
 * <p>The store is the machine's {@code /nix} (in CI's version matrix, the chroot's own): only a
 * daemon on the real store gives the user's process the paths it built at their real place.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MultiUserIT {

  private static final String USER = "nix-aurora-mu";
  private static final String KEY = "devcluster/vagrant/devel/hello";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dir;
  private Path home;
  private Path work;
  private Path socket;
  private Path lib;
  private Path nixBin;
  private Process daemon;
  private Fixtures.FakeAurora aurora;

  /** What one command printed. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  void userAndDaemon() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("MultiUserIT needs root (to add a user and start a nix-daemon); CI runs as root");
    }
    if (sh("getent", "group", "nix-users").exit() != 0) {
      fail("no nix-users group: install Debian's nix-setup-systemd (CI's images have it)");
    }
    if (sh("id", "-u", USER).exit() != 0) {
      ok("useradd", "--system", "--no-create-home", "--shell", "/bin/sh", "-G", "nix-users", USER);
    } else {
      ok("usermod", "-a", "-G", "nix-users", USER);
    }
    nixBin = NixRunner.findBinDirectory();
    dir = Files.createTempDirectory("nix-aurora-mu");
    ok("chmod", "755", dir.toString());
    home = Files.createDirectories(dir.resolve("home"));
    work = Files.createDirectories(dir.resolve("work"));
    lib = Files.createDirectories(dir.resolve("lib"));
    copyClasspath();
    aurora = new Fixtures.FakeAurora(dir);
    ok("chown", "-R", USER, home.toString(), work.toString(), aurora.records.toString());

    // Debian: /nix/var/nix/daemon-socket is root:nix-users 770, so only that group may connect.
    Path socketDir = Files.createDirectories(dir.resolve("daemon-socket"));
    ok("chown", "root:nix-users", socketDir.toString());
    ok("chmod", "770", socketDir.toString());
    socket = socketDir.resolve("socket");
    Path conf = Files.createDirectories(dir.resolve("conf"));
    // Debian's settings (build users, no sandbox) and no default substituter: no network here.
    Files.writeString(
        conf.resolve("nix.conf"),
        "build-users-group = nixbld\nsandbox = false\nsubstituters =\n"
            + "allowed-users = root @nix-users\ntrusted-users = root\n");
    ProcessBuilder pb =
        new ProcessBuilder(nixBin.resolve("nix-daemon").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("daemon.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("NIX_CONF_DIR", conf.toString());
    pb.environment().put("NIX_DAEMON_SOCKET_PATH", socket.toString());
    daemon = pb.start();
    waitForSocket();
  }

  @AfterAll
  void stopDaemon() throws Exception {
    if (daemon != null) {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    if (dir != null) {
      sh("chmod", "-R", "u+w", dir.toString());
      sh("rm", "-rf", dir.toString());
    }
  }

  private void waitForSocket() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (Files.exists(socket)) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
          return;
        } catch (IOException e) {
          // not listening yet
        }
      }
      if (!daemon.isAlive() || System.nanoTime() > deadline) {
        fail("nix-daemon did not start: " + daemonLog());
      }
      Thread.sleep(50);
    }
  }

  /** The test classpath, copied where the user can read it (~/.m2 is root's). */
  private void copyClasspath() throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    int i = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p)) {
        Files.copy(
            p, lib.resolve((i++) + "-" + p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      } else if (Files.isDirectory(p)) {
        Path target = lib.resolve((i++) + "-classes");
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : files.toList()) {
            Path t = target.resolve(p.relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(t);
            } else {
              Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
    }
    ok("chmod", "-R", "a+rX", lib.toString());
  }

  private String classpath() throws IOException {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> s = Files.list(lib)) {
      s.sorted().forEach(p -> entries.add(p.toString()));
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Runs nix-aurora as the user, in {@code work}, with a login-like environment. */
  private Result cli(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "runuser",
                "-u",
                USER,
                "--",
                "env",
                "-i",
                "PATH=" + nixBin + ":/usr/local/bin:/usr/bin:/bin",
                "HOME=" + home,
                "USER=" + USER,
                "LANG=C.UTF-8",
                "NIX_REMOTE=daemon",
                "NIX_DAEMON_SOCKET_PATH=" + socket,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath(),
                "io.nixaurora.cli.Main"));
    command.addAll(List.of(args));
    return run(command, work);
  }

  private static Result run(List<String> command, Path cwd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (cwd != null) {
      pb.directory(cwd.toFile());
    }
    Path err = Files.createTempFile("mu", ".err");
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    String e = Files.readString(err);
    Files.delete(err);
    return new Result(p.exitValue(), out, e);
  }

  private static Result sh(String... command) throws Exception {
    return run(List.of(command), null);
  }

  private static Result ok(String... command) throws Exception {
    Result r = sh(command);
    assertEquals(0, r.exit(), () -> String.join(" ", command) + ": " + r);
    return r;
  }

  private Path job(String marker) throws Exception {
    Path job =
        Fixtures.helloJob(
                work.resolve("job-" + marker),
                "devcluster",
                "hello",
                marker + "-" + System.nanoTime())
            .getParent();
    ok("chown", "-R", USER, job.toString());
    return job;
  }

  private void config(String json) throws Exception {
    Path f = Files.writeString(work.resolve("nix-aurora.json"), json);
    ok("chown", USER, f.toString());
  }

  private String daemonLog() throws IOException {
    return Files.readString(dir.resolve("daemon.log"));
  }

  @Test
  void buildAndCreateWithTheDefaultGcRootsWhichAreTheUsersOwn() throws Exception {
    Path job = job("local");
    config("{\"defaults\": {\"aurora_binary\": \"" + aurora.executable + "\"}}");

    Result build = cli("build", job.toString());
    assertEquals(0, build.exit(), build + daemonLog());
    assertEquals("hello", JSON.readTree(build.out()).get("name").asText());

    // No gc_roots_dir: /nix/var/nix/gcroots is root's, so the roots go to the user's state dir.
    Result create = cli("create", KEY, job.toString());
    assertEquals(0, create.exit(), create + daemonLog());
    assertFalse(create.err().contains("Permission denied"), create.err());
    Path roots = home.resolve(".local/state/nix-aurora/gcroots/devcluster/vagrant/devel/hello");
    Path root = roots.resolve("hello");
    assertTrue(Files.isSymbolicLink(root), "no GC root at " + root + ": " + create);
    assertEquals(USER, Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).getName());
    String script = Files.readSymbolicLink(root).toString();
    assertTrue(script.contains("-aurora-process-devcluster-vagrant-devel-hello-hello"), script);
    // Nix knows it as a root (an indirect one, which the daemon recorded in gcroots/auto); 2.34
    // quotes the link's path.
    Result roots2 = ok(nixBin.resolve("nix-store").toString(), "--gc", "--print-roots");
    assertTrue(
        roots2.out().lines().anyMatch(l -> l.replace("\"", "").startsWith(root + " -> " + script)),
        roots2.out());
    assertEquals(List.of("job", "create", "--read-json", KEY), aurora.calls().get(0).subList(0, 4));

    Files.writeString(job.resolve("greeting.txt"), "version 2\n");
    Result update = cli("update", KEY, job.toString());
    assertEquals(0, update.exit(), update + daemonLog());
    assertTrue(update.err().contains("update started for " + KEY), update.err());
    assertFalse(script.equals(Files.readSymbolicLink(root).toString()), "the root follows");
  }

  @Test
  void theBinaryCacheCommandsPushVerifyAndDescribeTheAgents() throws Exception {
    Path job = job("cache");
    Path cache = work.resolve("cache");
    Result keygen = cli("cache", "keygen", "mu-1", "--out-dir", work.resolve("keys").toString());
    assertEquals(0, keygen.exit(), keygen.toString());
    String publicKey = keygen.out().strip();
    config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "file://%s",
          "secret_key_file": "%s", "aurora_binary": "%s", "daemon": true}}}
        """
            .formatted(cache, work.resolve("keys/mu-1.sec"), aurora.executable));

    Result create = cli("create", KEY, job.toString());
    assertEquals(0, create.exit(), create + daemonLog());
    assertTrue(create.err().contains("pushed "), create.err());
    JsonNode submitted = JSON.readTree(aurora.config(aurora.calls().size()));
    String init = submitted.get("task").get("processes").get(0).get("cmdline").asText();
    assertTrue(init.contains("NIX_REMOTE=daemon"), init);
    String script = init.substring(init.indexOf("/nix/store/")).split(" ")[0];

    Result push =
        cli(
            "cache",
            "push",
            "--to",
            "file://" + cache,
            "--secret-key-file",
            work.resolve("keys/mu-1.sec").toString(),
            script);
    assertEquals(0, push.exit(), push.toString());
    Result verify = cli("cache", "verify", "file://" + cache, "--public-key", publicKey);
    assertEquals(0, verify.exit(), verify.toString());
    Result agent = cli("agent-config", "devcluster");
    assertEquals(0, agent.exit(), agent.toString());
    assertTrue(agent.out().contains("trusted-public-keys = " + publicKey), agent.out());

    Result doctor = cli("doctor", "devcluster");
    assertTrue(doctor.out().contains("ok    Nix: nix-store (Nix)"), doctor.toString());
    assertFalse(doctor.out().contains("FAIL  Nix"), doctor.toString());
    assertFalse(doctor.out().contains("FAIL  store"), doctor.toString());
  }

  @Test
  void runRealisesThroughTheDaemonAndRunsTheTaskAsTheUser() throws Exception {
    Path job = Files.createDirectories(work.resolve("job-run"));
    String marker = "ran-" + System.nanoTime();
    Files.writeString(
        job.resolve("default.nix"),
        """
        { aurora, pkgs, ... }:
        with aurora;
        Job {
          cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "once";
          task = Task {
            processes = [ (Process { name = "once";
                                     cmdline = "${pkgs.hello}/bin/hello; echo MARKER; id -un"; }) ];
            resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
          };
        }
        """
            .replace("MARKER", marker));
    ok("chown", "-R", USER, job.toString());
    // The task's environment is cleared, as Thermos does; the init still finds the daemon (with
    // NIX_REMOTE=daemon from the user's environment, on its socket).
    config("{}");
    Result run = cli("run", job.toString());
    assertEquals(0, run.exit(), run + daemonLog());
    assertTrue(run.out().matches("(?s).*once +\\| " + marker + "\n.*"), run.toString());
    assertTrue(run.out().matches("(?s).*once +\\| " + USER + "\n.*"), run.toString());
  }
}
