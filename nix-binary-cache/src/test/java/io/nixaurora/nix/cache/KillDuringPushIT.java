package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults: a push that dies after any of its writes (every position, deterministically: a target
 * that stops answering after its N-th write, as a killed process or a dropped connection would)
 * never leaves a narinfo whose NAR is missing or wrong or whose references are missing, and the
 * next push completes; two concurrent pushes of overlapping closures (threads, then processes)
 * leave a consistent cache.
 */
@Timeout(600)
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

  /**
   * A target that is gone after its {@code n}-th write: that write lands, no later call reaches the
   * cache (each fails as a dead connection does), like a push process killed right after it.
   */
  private static final class Dying extends ForwardingTarget {
    private final int n;
    private final AtomicInteger writes = new AtomicInteger();
    private volatile boolean dead;

    Dying(BinaryCacheTarget t, int n) {
      super(t);
      this.n = n;
    }

    private void requireAlive() throws CacheException {
      if (dead) {
        throw new CacheException(CacheException.Kind.NETWORK, "the cache died after write " + n);
      }
    }

    private void beforeWrite() throws CacheException {
      if (writes.incrementAndGet() > n) {
        dead = true;
      }
      requireAlive();
    }

    int writes() {
      return writes.get();
    }

    @Override
    public Optional<byte[]> read(String key) throws CacheException {
      requireAlive();
      return t.read(key);
    }

    @Override
    public boolean exists(String key) throws CacheException {
      requireAlive();
      return t.exists(key);
    }

    @Override
    public OptionalLong size(String key) throws CacheException {
      requireAlive();
      return t.size(key);
    }

    @Override
    public Optional<List<Entry>> listEntries() throws CacheException {
      requireAlive();
      return t.listEntries();
    }

    @Override
    public void write(String key, byte[] content, String contentType) throws CacheException {
      beforeWrite();
      t.write(key, content, contentType);
    }

    @Override
    public void writeFile(String key, Path staged, String contentType) throws CacheException {
      beforeWrite();
      t.writeFile(key, staged, contentType);
    }
  }

  private PushSummary push(BinaryCacheTarget t) throws Exception {
    return CachePusher.builder()
        .store(new NixStore(NixRunner.onPath()))
        .target(t)
        .signingKey(key)
        .jobs(2)
        .build()
        .push(List.of(rootA, rootB));
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "http"})
  void aPushThatDiesAfterAnyWriteLeavesAConsistentCacheAndTheNextPushCompletes(String kind)
      throws Exception {
    // How many writes a whole push makes (nix-cache-info, and a NAR and a narinfo per path).
    String first = kind.equals("file") ? "file://" + dir.resolve("all") : nginx.url("all");
    int total;
    try (Dying counting =
        new Dying(BinaryCacheTarget.open(CacheUrl.parse(first), Optional.empty()), 1 << 30)) {
      push(counting);
      total = counting.writes();
    }
    int paths = TestNix.requisites(rootA).size() + TestNix.requisites(rootB).size();
    assertTrue(total > paths, total + " writes for " + paths + " paths");
    for (int n = 0; n < total; n++) {
      String prefix = kind + "-dies-after-" + n;
      String url = kind.equals("file") ? "file://" + dir.resolve(prefix) : nginx.url(prefix);
      Path cacheDir = kind.equals("file") ? dir.resolve(prefix) : nginx.root.resolve(prefix);
      try (Dying dying =
          new Dying(BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty()), n)) {
        assertThrows(CacheException.class, () -> push(dying), "a push that died after " + n);
      }
      if (Files.isDirectory(cacheDir)) {
        assertEquals(List.of(), verifyDirectory(cacheDir), "after a death after write " + n);
      }
      // The next push completes and the whole closure is then sound.
      try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty())) {
        push(t);
        assertEquals(
            List.of(),
            new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(rootA, rootB)));
      }
      TestNix.deleteTree(cacheDir);
    }
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
    assertTrue(a.waitFor(2, TimeUnit.MINUTES), "push a did not end");
    assertTrue(b.waitFor(2, TimeUnit.MINUTES), "push b did not end");
    assertEquals(0, a.exitValue());
    assertEquals(0, b.exitValue());
    assertEquals(List.of(), verifyDirectory(nginx.root.resolve("concurrent-processes")));
  }
}
