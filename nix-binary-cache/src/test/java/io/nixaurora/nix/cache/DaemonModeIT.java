package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Daemon mode: an unprivileged user runs the provider's init command with {@code NIX_REMOTE=daemon}
 * against a nix-daemon (on a private chroot store and socket) whose nix.conf is {@link
 * AgentConfig}'s, and the closure is realised from the cache and rooted in the sandbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonModeIT {

  private static final String USER = "nbc-agent";

  private Path dir;
  private StorePath top;
  private Path secretKey;
  private SigningKey key;
  private String cacheUrl;

  @BeforeAll
  void pushAndCreateUser() throws Exception {
    dir = Files.createTempDirectory("nbc-daemon");
    TestNix.ok("chmod", "755", dir.toString());
    top = TestNix.buildClosure(dir, "daemon");
    key = SigningKey.generate("test-daemon-1");
    secretKey = dir.resolve("sk");
    key.writeFiles(secretKey, dir.resolve("pk"));
    cacheUrl = "file://" + dir.resolve("cache");
    try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(cacheUrl), Optional.empty())) {
      CachePusher.builder()
          .store(new NixStore(NixRunner.onPath()))
          .target(t)
          .signingKey(key)
          .build()
          .push(List.of(top));
    }
    if (TestNix.run("id", "-u", USER).exit() != 0) {
      TestNix.ok("useradd", "--system", "--no-create-home", "--shell", "/bin/bash", USER);
    }
  }

  @AfterAll
  void cleanUp() throws Exception {
    TestNix.deleteTree(dir);
  }

  @Test
  void unprivilegedUserRealisesFromTheDaemonsCache() throws Exception {
    String conf =
        new AgentConfig(CacheUrl.parse(cacheUrl), key.publicKey()).text()
            + "build-users-group =\nsandbox = false\n";
    runAgent("conf-substituters", conf, Map.of());
  }

  @Test
  void trustedSubstituterOptionNamesTheCacheInTheInitCommand() throws Exception {
    // The daemon only allows the cache (trusted-substituters), it does not use it by default;
    // the init command names it with --option extra-substituters.
    String conf =
        "substituters =\n"
            + "trusted-substituters = "
            + cacheUrl
            + "\ntrusted-public-keys = "
            + key.publicKey()
            + "\nrequire-sigs = true\nbuild-users-group =\nsandbox = false\n";
    runAgent("extra-substituters", conf, Map.of("trusted_substituter", "true"));
  }

  private void runAgent(String name, String nixConf, Map<String, String> extraSettings)
      throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Path confDir = Files.createDirectories(d.resolve("conf"));
    Files.writeString(confDir.resolve("nix.conf"), nixConf);
    Path socket = d.resolve("socket");
    Path storeRoot = d.resolve("root");
    ProcessBuilder pb =
        new ProcessBuilder("nix-daemon", "--store", storeRoot.toString())
            .redirectErrorStream(true)
            .redirectOutput(d.resolve("daemon.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("NIX_CONF_DIR", confDir.toString());
    pb.environment().put("NIX_DAEMON_SOCKET_PATH", socket.toString());
    Process daemon = pb.start();
    try {
      waitForSocket(socket, daemon, d);
      Map<String, String> settings =
          new java.util.HashMap<>(
              Map.of(
                  "cache_url",
                  cacheUrl,
                  "secret_key_file",
                  secretKey.toString(),
                  "daemon",
                  "true",
                  "agent_nix_bin_dir",
                  "/usr/bin"));
      settings.putAll(extraSettings);
      String cmdline =
          ((BinaryCacheStoreProvider) new BinaryCacheStoreProviderFactory().create(settings))
              .initCommand()
              .cmdline(new ProcessScript("hello", top, "x86_64-linux"));
      assertTrue(cmdline.contains("NIX_REMOTE=daemon"), cmdline);
      assertEquals(
          extraSettings.containsKey("trusted_substituter"),
          cmdline.contains("--option extra-substituters " + cacheUrl),
          cmdline);
      Path sandbox = Files.createDirectories(d.resolve("sandbox"));
      TestNix.ok("chown", USER, sandbox.toString());
      // As Thermos runs it: bash -c, in the sandbox, HOME = sandbox, environment cleared.
      TestNix.Result r =
          TestNix.run(
              "runuser",
              "-u",
              USER,
              "--",
              "env",
              "-i",
              "PATH=/usr/bin:/bin",
              "HOME=" + sandbox,
              "NIX_DAEMON_SOCKET_PATH=" + socket,
              "/bin/sh",
              "-c",
              "cd " + sandbox + " && exec /bin/bash -c \"$0\"",
              cmdline);
      assertEquals(
          0, r.exit(), cmdline + "\n" + r.stderr() + Files.readString(d.resolve("daemon.log")));
      Path root = sandbox.resolve(".gc/hello");
      assertEquals(top.toString(), Files.readSymbolicLink(root).toString());
      assertTrue(
          Files.exists(Path.of(storeRoot + top.toString())), "realised in the daemon's store");
      assertEquals(
          USER,
          Files.getOwner(root, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName(),
          "the init ran as the unprivileged user");
    } finally {
      daemon.destroy();
      daemon.waitFor(5, TimeUnit.SECONDS);
      daemon.destroyForcibly();
    }
  }

  private static void waitForSocket(Path socket, Process daemon, Path d)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (Files.exists(socket)) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
          return;
        } catch (IOException e) {
          // not listening yet
        }
      }
      if (!daemon.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "nix-daemon did not start: " + Files.readString(d.resolve("daemon.log")));
      }
      Thread.sleep(50);
    }
  }
}
