package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults: pushes (a separate JVM) killed with SIGKILL at random moments never leave a narinfo whose
 * NAR is missing or wrong or whose references are missing, and the next push completes; two
 * concurrent pushes of overlapping closures leave a consistent cache. Rounds: {@code
 * -Dkill.rounds=N} (default 20 kills).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillDuringPushIT {

  private Path dir;
  private StorePath rootA;
  private StorePath rootB;
  private SigningKey key;
  private Path secretKey;
  private Nginx nginx;

  @BeforeAll
  void build() throws Exception {
    dir = Files.createTempDirectory("nbc-kill");
    // 24 paths of 1 MiB random data in a chain of references, under two overlapping roots.
    Path nix = dir.resolve("chain.nix");
    Files.writeString(
        nix,
        """
        let
          mk = i: prev: derivation {
            name = "blob-${toString i}"; system = "x86_64-linux"; builder = "/bin/sh";
            args = [ "-c" ''
              /bin/mkdir $out
              /usr/bin/head -c 1048576 /dev/urandom > $out/data
              echo ${if prev == null then "none" else prev} > $out/prev
            '' ];
          };
          chain = builtins.foldl' (acc: i: acc ++ [ (mk i (if acc == [] then null else builtins.elemAt acc (builtins.length acc - 1))) ]) [] (builtins.genList (x: x) 24);
          root = name: paths: derivation {
            inherit name; system = "x86_64-linux"; builder = "/bin/sh";
            args = [ "-c" "echo ${toString paths} > $out" ];
          };
        in {
          a = root "root-a" [ (builtins.elemAt chain 23) ];
          b = root "root-b" [ (builtins.elemAt chain 15) (builtins.elemAt chain 3) ];
        }
        """);
    String[] out =
        TestNix.ok("nix-build", "--no-out-link", nix.toString(), "-A", "a", "-A", "b")
            .out()
            .split("\n");
    rootA = StorePath.of(out[0]);
    rootB = StorePath.of(out[1]);
    key = SigningKey.generate("test-kill-1");
    secretKey = dir.resolve("sk");
    key.writeFiles(secretKey, dir.resolve("pk"));
    nginx = Nginx.start(dir.resolve("nginx"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    nginx.close();
    TestNix.deleteTree(dir);
  }

  private Process startPush(String url, StorePath... roots) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add("-Dsun.jnu.encoding=UTF-8");
    // A killed push leaves its HTTP staging files behind; keep them in the test's directory.
    cmd.add("-Djava.io.tmpdir=" + dir);
    cmd.add(PushMain.class.getName());
    cmd.addAll(List.of(url, secretKey.toString(), "zstd", "2"));
    for (StorePath r : roots) {
      cmd.add(r.toString());
    }
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("push.log").toFile())
        .start();
  }

  private List<String> verifyDirectory(Path cacheDir) throws Exception {
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + cacheDir), Optional.empty())) {
      return new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll();
    }
  }

  @Test
  void killedPushesLeaveAConsistentCacheAndTheNextPushCompletes() throws Exception {
    int wanted = Integer.getInteger("kill.rounds", 20);
    Random random = new Random();
    int kills = 0;
    int rounds = 0;
    NixStore store = new NixStore(NixRunner.onPath());
    while (kills < wanted) {
      assertTrue(rounds++ < wanted * 3, "pushes finished before the kill too often");
      boolean http = rounds % 2 == 0;
      String prefix = "round-" + rounds;
      String url = http ? nginx.url(prefix) : "file://" + dir.resolve(prefix);
      Path cacheDir = http ? nginx.root.resolve(prefix) : dir.resolve(prefix);
      Process p = startPush(url, rootA, rootB);
      // JVM start-up is about 0.4 s; the push itself about as long again.
      Thread.sleep(300 + random.nextInt(900));
      boolean finished = !p.isAlive();
      p.destroyForcibly(); // SIGKILL
      p.waitFor(10, TimeUnit.SECONDS);
      if (!finished) {
        kills++;
      }
      if (Files.isDirectory(cacheDir)) {
        assertEquals(List.of(), verifyDirectory(cacheDir), "after kill in round " + rounds);
      }
      // The next push completes and the whole closure is then sound.
      try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty())) {
        CachePusher.builder()
            .store(store)
            .target(t)
            .signingKey(key)
            .build()
            .push(List.of(rootA, rootB));
        assertEquals(
            List.of(),
            new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(rootA, rootB)));
      }
      assertEquals(List.of(), verifyDirectory(cacheDir));
      TestNix.deleteTree(cacheDir);
    }
    // Tests may print; bench/kill9-push.sh shows this line.
    System.out.println(kills + " pushes killed with SIGKILL mid-push in " + rounds + " rounds");
  }

  @Test
  void concurrentPushesOfOverlappingClosuresLeaveAConsistentCache() throws Exception {
    for (String url : List.of("file://" + dir.resolve("concurrent"), nginx.url("concurrent"))) {
      NixStore store = new NixStore(NixRunner.onPath());
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try (BinaryCacheTarget t1 = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty());
          BinaryCacheTarget t2 = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty())) {
        Callable<PushSummary> a =
            () ->
                CachePusher.builder()
                    .store(store)
                    .target(t1)
                    .signingKey(key)
                    .build()
                    .push(List.of(rootA));
        Callable<PushSummary> b =
            () ->
                CachePusher.builder()
                    .store(store)
                    .target(t2)
                    .signingKey(key)
                    .build()
                    .push(List.of(rootB));
        Future<PushSummary> fa = pool.submit(a);
        Future<PushSummary> fb = pool.submit(b);
        fa.get();
        fb.get();
        assertEquals(
            List.of(),
            new CacheVerifier(t1, List.of(key.publicKey()), 2).verify(List.of(rootA, rootB)));
      } finally {
        pool.shutdownNow();
      }
    }
    // And as separate processes, the way two CI jobs would push.
    String url = nginx.url("concurrent-processes");
    Process a = startPush(url, rootA);
    Process b = startPush(url, rootB);
    assertEquals(0, a.waitFor());
    assertEquals(0, b.waitFor());
    assertEquals(List.of(), verifyDirectory(nginx.root.resolve("concurrent-processes")));
  }
}
