package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Mixed Nix versions, as real clusters have them: nix-aurora pushes a closure from a machine with
 * one Nix (which reads the closure's metadata, in its own {@code path-info} format) and agents with
 * every other Nix run the init command on it, substituting into an empty store with signatures
 * required. Every ordered pair of this machine's Nix and the Nix of each Debian chroot {@code
 * .ci/nix-matrix mixed} unpacks ({@code NIX_AURORA_MATRIX_CHROOTS=name=dir,…}), with an exchange
 * directory mounted at the same path everywhere ({@code NIX_AURORA_MATRIX_EXCHANGE}).
 *
 * <p>Tagged {@code nix-matrix}: {@code mvn verify} leaves it out (it needs the chroots); {@code
 * .ci/run} runs it through {@code .ci/nix-matrix mixed}.
 */
@Tag("nix-matrix")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MixedVersionIT {

  /** One Nix: this machine's ({@code root} null) or a chroot's. */
  record Nix(String name, Path root, String version) {
    List<String> command(String... args) {
      List<String> c = new ArrayList<>();
      if (root != null) {
        // Its own PID namespace and /proc, as the matrix runs the tests.
        c.addAll(
            List.of(
                "unshare",
                "--pid",
                "--fork",
                "--kill-child",
                "--mount",
                "--mount-proc=" + root.resolve("proc"),
                "chroot",
                root.toString()));
      }
      c.addAll(List.of(args));
      return c;
    }
  }

  private final List<Nix> versions = new ArrayList<>();
  private final Map<String, StorePath> pushed = new LinkedHashMap<>();
  private final Map<String, String> greeting = new LinkedHashMap<>();
  private Path exchange;
  private SigningKey key;

  private static TestNix.Result run(Map<String, String> env, List<String> command)
      throws Exception {
    return TestNix.run(env, command.toArray(String[]::new));
  }

  private static TestNix.Result ok(Map<String, String> env, List<String> command) throws Exception {
    TestNix.Result r = run(env, command);
    assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.stderr());
    return r;
  }

  @BeforeAll
  void pushFromEveryVersion() throws Exception {
    String chroots = System.getenv("NIX_AURORA_MATRIX_CHROOTS");
    String shared = System.getenv("NIX_AURORA_MATRIX_EXCHANGE");
    if (chroots == null || shared == null) {
      fail(
          "MixedVersionIT needs the Debian chroots of other Nix versions: run it with"
              + " `.ci/nix-matrix mixed` (.ci/run does)");
    }
    exchange = Files.createTempDirectory(Path.of(shared), "mixed");
    versions.add(
        new Nix(
            "host", null, TestNix.ok("nix-store", "--version").out().replace("nix-store ", "")));
    for (String entry : chroots.split(",")) {
      String[] nameDir = entry.split("=", 2);
      Nix nix = new Nix(nameDir[0], Path.of(nameDir[1]), null);
      String v = ok(Map.of(), nix.command("nix-store", "--version")).out();
      versions.add(new Nix(nameDir[0], Path.of(nameDir[1]), v.replace("nix-store ", "")));
    }
    assertTrue(versions.size() >= 3, versions.toString());
    assertEquals(
        versions.size(),
        versions.stream().map(Nix::version).distinct().count(),
        "each Nix a different version: " + versions);

    key = SigningKey.generate("mixed-versions-1");
    key.writeFiles(exchange.resolve("key.sec"), exchange.resolve("key.pub"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (Nix nix : versions) {
      // A closure built by this Nix: a derivation output with files, a symlink and a reference,
      // a text file (content-addressed, so `ca` is read: an object in 2.34's format 2), and the
      // "process script" referring to both.
      String salt = nix.name() + "-" + System.nanoTime();
      greeting.put(nix.name(), "hello from " + salt);
      Path expr = exchange.resolve("closure-" + nix.name() + ".nix");
      Files.writeString(
          expr,
          """
          let
            sh = name: script: derivation {
              inherit name; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" script ];
            };
            lib = sh "lib-SALT" ''
              /bin/mkdir -p $out/bin $out/share
              echo "GREETING" > $out/share/greeting
              printf '#!/bin/sh\\necho hi\\n' > $out/bin/hi; /bin/chmod +x $out/bin/hi
              /bin/ln -s ../share/greeting $out/greeting
            '';
            note = builtins.toFile "note-SALT" "a text path, content-addressed";
          in sh "aurora-process-SALT" ''echo "${lib}/bin/hi ${note}" > $out''
          """
              .replace("SALT", salt)
              .replace("GREETING", greeting.get(nix.name())));
      StorePath top =
          StorePath.of(
              ok(Map.of(), nix.command("nix-build", "--no-out-link", expr.toString())).out());
      // nix-aurora's push, run where that Nix is (the pusher reads the store and asks its Nix).
      ok(
          Map.of(),
          nix.command(
              java,
              "-cp",
              classpath,
              PushMain.class.getName(),
              "file://" + exchange.resolve("cache-" + nix.name()),
              exchange.resolve("key.sec").toString(),
              "zstd",
              "2",
              top.toString()));
      pushed.put(nix.name(), top);
    }
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (exchange != null) {
      TestNix.deleteTree(exchange);
    }
  }

  @Test
  void everyVersionsAgentRunsTheInitOnEveryVersionsPush() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Nix from : versions) {
      String url = "file://" + exchange.resolve("cache-" + from.name());
      // The cache is sound whoever pushed it.
      TestNix.Result verify =
          TestNix.run(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
              PushMain.class.getName(),
              "--verify",
              url,
              key.publicKey().toString());
      assertEquals(0, verify.exit(), from + ": " + verify.out() + verify.stderr());
      // The text path's content address, as each Nix printed it (2.34: an object in format 2),
      // reaches the narinfo in the form every Nix reads.
      try (var files = Files.list(exchange.resolve("cache-" + from.name()))) {
        List<String> cas = new ArrayList<>();
        for (Path f : files.filter(f -> f.toString().endsWith(".narinfo")).toList()) {
          Files.readAllLines(f).stream().filter(l -> l.startsWith("CA: ")).forEach(cas::add);
        }
        assertEquals(1, cas.size(), from + ": " + cas);
        assertTrue(cas.get(0).matches("CA: text:sha256:[0-9a-df-np-sv-z]{52}"), from + ": " + cas);
      }
      for (Nix to : versions) {
        String problem = initOn(from, to, url);
        if (problem != null) {
          failures.add(from.version() + " -> " + to.version() + ": " + problem);
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /** Runs the init command, as Thermos would, on {@code to}'s Nix; null when it worked. */
  private String initOn(Nix from, Nix to, String url) throws Exception {
    StorePath script = pushed.get(from.name());
    Path agent = exchange.resolve("agent-" + from.name() + "-" + to.name());
    Path store = agent.resolve("store");
    Path sandbox = Files.createDirectories(agent.resolve("sandbox"));
    String cmdline =
        new BinaryCacheStoreProviderFactory()
            .create(
                Map.of(
                    "cache_url",
                    url,
                    "secret_key_file",
                    exchange.resolve("key.sec").toString(),
                    "agent_nix_bin_dir",
                    "/usr/bin"))
            .initCommand()
            .cmdline(new ProcessScript("hello", script, "x86_64-linux"));
    // The agent's nix.conf as `nix-aurora agent-config` prints it (signatures required), and an
    // empty store of its own.
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "NIX_CONFIG",
        String.join("\n", new AgentConfig(CacheUrl.parse(url), key.publicKey()).lines()));
    env.put("NIX_REMOTE", "local?root=" + store);
    List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin"));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(
        List.of("HOME=" + sandbox, "/bin/bash", "-c", "cd " + sandbox + " && " + cmdline));
    TestNix.Result r = run(Map.of(), to.command(command.toArray(String[]::new)));
    if (r.exit() != 0) {
      return "init exited " + r.exit() + ": " + r.stderr().strip();
    }
    Path root = sandbox.resolve(".gc/hello");
    if (!Files.isSymbolicLink(root)
        || !Files.readSymbolicLink(root).toString().equals(script.toString())) {
      return "no GC root " + root;
    }
    String line = Files.readString(Path.of(store + script.toString())).strip();
    String lib = line.substring(0, line.indexOf("/bin/hi"));
    String got = Files.readString(Path.of(store + lib + "/share/greeting")).strip();
    if (!got.equals(greeting.get(from.name()))) {
      return "substituted content differs: " + got;
    }
    // The substituting Nix checks every path's contents against its hash once more.
    TestNix.Result check =
        run(
            Map.of(),
            to.command(
                "/bin/sh",
                "-c",
                "nix-store --store "
                    + store
                    + " -qR "
                    + script
                    + " | xargs nix-store --store "
                    + store
                    + " --verify-path"));
    if (check.exit() != 0) {
      return "nix-store --verify-path: " + check.stderr().strip();
    }
    return null;
  }

  @Override
  public String toString() {
    return versions.toString();
  }
}
