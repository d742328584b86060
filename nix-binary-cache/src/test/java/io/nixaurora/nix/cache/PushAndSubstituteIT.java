package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.Event;
import io.nixaurora.api.event.ProgressEvent;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import io.nixaurora.nix.local.PathInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Nix end to end: a closure built by nix-build is pushed to file:// and to nginx over HTTP,
 * for each compression, and three fresh chroot stores substitute it with only our key trusted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushAndSubstituteIT {

  private Path dir;
  private StorePath top;
  private List<StorePath> closure;
  private SigningKey key;
  private NixStore store;
  private Nginx nginx;

  @BeforeAll
  void build() throws Exception {
    dir = Files.createTempDirectory("nbc-push");
    top = TestNix.buildClosure(dir, "push");
    closure = TestNix.requisites(top);
    key = SigningKey.generate("test-push-1");
    store = new NixStore(NixRunner.onPath());
    nginx = Nginx.start(dir.resolve("nginx"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    nginx.close();
    TestNix.deleteTree(dir);
  }

  @Test
  void narWriterIsByteIdenticalToNixStoreDump() throws Exception {
    assertEquals(4, closure.size());
    for (StorePath p : closure) {
      byte[] nix = TestNix.ok("nix-store", "--dump", p.toString()).stdout();
      ByteArrayOutputStream ours = new ByteArrayOutputStream();
      assertEquals(nix.length, NarWriter.write(Path.of(p.toString()), ours));
      assertArrayEquals(nix, ours.toByteArray(), p.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void fileCacheIsSubstitutedByAFreshStore(Compression compression) throws Exception {
    String url = "file://" + dir.resolve("file-" + compression.nixName());
    pushAndSubstitute(url, compression);
    nixStoreVerify(url);
    Path c = Path.of(url.substring(7));
    assertEquals(CacheInfo.CONTENT, Files.readString(c.resolve("nix-cache-info")));
    try (var files = Files.list(c.resolve("nar"))) {
      assertTrue(
          files.allMatch(f -> f.getFileName().toString().endsWith(".nar" + compression.suffix())));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void httpCacheIsSubstitutedByAFreshStore(Compression compression) throws Exception {
    pushAndSubstitute(nginx.url("http-" + compression.nixName()), compression);
  }

  /**
   * Small NARs are built in memory, large ones stream through a staged file: the same closure
   * pushed the second way (every NAR staged) must substitute and verify just the same.
   */
  @ParameterizedTest
  @EnumSource(Compression.class)
  void stagedFileNarsAreSubstitutedToo(Compression compression) throws Exception {
    String file = "file://" + dir.resolve("staged-" + compression.nixName());
    pushAndSubstitute(file, compression, 0);
    pushAndSubstitute(nginx.url("staged-" + compression.nixName()), compression, 0);
    nixStoreVerify(file);
  }

  /** Nix's own conformance check of the cache (spec §4.4) for the closure of {@code top}. */
  private void nixStoreVerify(String url) throws Exception {
    TestNix.ok(
        "nix",
        "--extra-experimental-features",
        "nix-command",
        "store",
        "verify",
        "--store",
        url,
        "--trusted-public-keys",
        key.publicKey().toString(),
        "-r",
        top.toString());
  }

  private void pushAndSubstitute(String url, Compression compression) throws Exception {
    pushAndSubstitute(url, compression, NarStager.IN_MEMORY_NAR);
  }

  private void pushAndSubstitute(String url, Compression compression, long inMemoryLimit)
      throws Exception {
    List<Event> events = Collections.synchronizedList(new ArrayList<>());
    try (BinaryCacheTarget target = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty())) {
      CachePusher pusher =
          CachePusher.builder()
              .store(store)
              .target(target)
              .signingKey(key)
              .compression(compression)
              .events(events::add)
              .inMemoryNarLimit(inMemoryLimit)
              .build();
      PushSummary first = pusher.push(List.of(top));
      assertEquals(closure.size(), first.pushed(), first.toString());
      assertEquals(0, first.skipped());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof ProgressEvent p
                          && p.unit() == ProgressEvent.Unit.PATHS
                          && p.done() == closure.size()));
      // Existence is asked of the cache each time: a second push skips everything.
      PushSummary again = pusher.push(List.of(top));
      assertEquals(0, again.pushed());
      assertEquals(closure.size(), again.skipped());
      assertEquals(
          List.of(), new CacheVerifier(target, List.of(key.publicKey()), 2).verify(List.of(top)));
      if (target.listNarInfos().isPresent()) {
        assertEquals(List.of(), new CacheVerifier(target, List.of(key.publicKey()), 2).verifyAll());
      }
    }
    Path fresh = dir.resolve("store-" + Math.abs(url.hashCode()));
    TestNix.Result r = TestNix.substitute(fresh, url, key.publicKey().toString(), top);
    assertEquals(0, r.exit(), r.stderr());
    for (StorePath p : closure) {
      assertTrue(Files.exists(Path.of(fresh + p.toString())), p + " substituted");
    }
    String app =
        TestNix.ok("nix-store", "--store", fresh.toString(), "--dump", top.toString()).out();
    assertTrue(app.contains("/bin/app"));
    TestNix.deleteTree(fresh);
  }

  @Test
  void aCacheThatLostFilesIsRefilledNotTrustedFromMemory() throws Exception {
    Path c = dir.resolve("lost");
    String url = "file://" + c;
    try (BinaryCacheTarget target = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty())) {
      CachePusher pusher =
          CachePusher.builder().store(store).target(target).signingKey(key).build();
      pusher.push(List.of(top));
      Files.delete(c.resolve(top.hashPart() + ".narinfo"));
      PushSummary s = pusher.push(List.of(top));
      assertEquals(1, s.pushed());
      assertEquals(closure.size() - 1, s.skipped());
    }
  }

  @Test
  void http4xxFailsWithUrlAndStatus() throws Exception {
    // The nginx location /readonly/ has no dav_methods: PUT answers 405.
    try (BinaryCacheTarget target =
        BinaryCacheTarget.open(CacheUrl.parse(nginx.url("readonly/c")), Optional.empty())) {
      CachePusher pusher =
          CachePusher.builder().store(store).target(target).signingKey(key).build();
      CacheException e = assertThrows(CacheException.class, () -> pusher.push(List.of(top)));
      assertTrue(e.getMessage().contains(nginx.url("readonly/c")), e.getMessage());
      assertTrue(e.getMessage().matches(".*status 4\\d\\d.*"), e.getMessage());
    }
  }

  @Test
  void aCorruptLocalPathIsRefused() throws Exception {
    StorePath victimTop = TestNix.buildClosure(dir, "corrupt-" + System.nanoTime());
    List<PathInfo> infos = store.closure(List.of(victimTop));
    PathInfo conf =
        infos.stream().filter(i -> i.path().name().startsWith("conf-")).findFirst().orElseThrow();
    Path file = Path.of(conf.path().toString());
    try {
      TestNix.ok("chmod", "u+w", file.toString());
      Files.writeString(file, "tampered\n", StandardCharsets.UTF_8);
      Path c = dir.resolve("corrupt-cache");
      try (BinaryCacheTarget target =
          BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty())) {
        CacheException e =
            assertThrows(
                CacheException.class,
                () ->
                    CachePusher.builder()
                        .store(store)
                        .target(target)
                        .signingKey(key)
                        .build()
                        .pushClosure(infos));
        assertTrue(e.getMessage().contains(conf.path().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        // Nothing that depends on the corrupt path was published.
        assertTrue(!Files.exists(c.resolve(conf.path().hashPart() + ".narinfo")));
        assertTrue(!Files.exists(c.resolve(victimTop.hashPart() + ".narinfo")));
        assertEquals(List.of(), new CacheVerifier(target, List.of(key.publicKey()), 1).verifyAll());
      }
    } finally {
      TestNix.run("nix-store", "--delete", victimTop.toString(), conf.path().toString());
      assertNotEquals(0, TestNix.run("nix-store", "--check-validity", victimTop.toString()).exit());
    }
  }
}
