package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
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
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 items 6, 7 and 11 on real file:// caches and real Nix: a correctly signed narinfo whose
 * NAR is missing, truncated or outside the cache is repaired by the next push, not counted as
 * present; verify reports hostile narinfos one line each and goes on; a mistyped cache directory is
 * an error and is not created.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokenEntriesIT {
  private Path dir;
  private StorePath top;
  private List<StorePath> closure;
  private SigningKey key;

  @BeforeAll
  void build() throws Exception {
    dir = Files.createTempDirectory("nbc-broken");
    top = TestNix.buildClosure(dir, "broken");
    closure = TestNix.requisites(top);
    key = SigningKey.generate("test-broken-1");
  }

  @AfterAll
  void clean() throws Exception {
    TestNix.deleteTree(dir);
  }

  private Path freshCache(String name) throws Exception {
    Path cache = dir.resolve(name);
    push(cache, new ArrayList<>());
    return cache;
  }

  private PushSummary push(Path cache, List<String> warnings) throws Exception {
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + cache), Optional.empty())) {
      return CachePusher.builder()
          .store(new NixStore(NixRunner.onPath()))
          .target(t)
          .signingKey(key)
          .events(
              e -> {
                if (e instanceof LogEvent l && l.level() == LogEvent.Level.WARN) {
                  warnings.add(l.message());
                }
              })
          .build()
          .push(List.of(top));
    }
  }

  private List<String> verifyAll(Path cache) throws Exception {
    try (BinaryCacheTarget t =
        BinaryCacheTarget.openExisting(CacheUrl.parse("file://" + cache), Optional.empty())) {
      return new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll();
    }
  }

  private static Path narinfo(Path cache, StorePath p) {
    return cache.resolve(NarInfo.key(p));
  }

  private static String urlOf(Path cache, StorePath p) throws Exception {
    return NarInfo.parse(Files.readString(narinfo(cache, p)), "test").url();
  }

  /**
   * Rewrites the URL line of {@code p}'s narinfo; the signature does not cover URL, so stays valid.
   */
  private static void setUrl(Path cache, StorePath p, String url) throws Exception {
    String text = Files.readString(narinfo(cache, p));
    Files.writeString(narinfo(cache, p), text.replaceFirst("(?m)^URL: .*$", "URL: " + url));
  }

  @Test
  void aMissingNarIsPushedAgain() throws Exception {
    Path cache = freshCache("missing");
    Files.delete(cache.resolve(urlOf(cache, top)));
    List<String> warnings = new ArrayList<>();

    PushSummary s = push(cache, warnings);

    assertEquals(1, s.pushed(), "the broken entry is repaired, the others are present");
    assertTrue(warnings.get(0).contains("is missing"), warnings.toString());
    assertEquals(List.of(), verifyAll(cache));
  }

  @Test
  void aTruncatedNarIsPushedAgain() throws Exception {
    Path cache = freshCache("truncated");
    StorePath lib = closure.get(0);
    Path nar = cache.resolve(urlOf(cache, lib));
    byte[] bytes = Files.readAllBytes(nar);
    Files.write(nar, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    List<String> warnings = new ArrayList<>();

    PushSummary s = push(cache, warnings);

    assertEquals(1, s.pushed());
    assertTrue(warnings.get(0).contains("bytes, FileSize says"), warnings.toString());
    assertEquals(List.of(), verifyAll(cache));
  }

  @Test
  void aNarUrlOutsideTheCacheIsReportedByVerifyAndRepairedByPush() throws Exception {
    Path cache = freshCache("outside");
    setUrl(cache, top, "../../etc/passwd");
    Files.delete(cache.resolve(urlOf(cache, closure.get(0))));

    List<String> problems = verifyAll(cache);

    // Both reported: the hostile URL does not abort verify.
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(top + ": URL ../../etc/passwd")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("is missing")), problems.toString());

    List<String> warnings = new ArrayList<>();
    assertEquals(2, push(cache, warnings).pushed());
    assertEquals(List.of(), verifyAll(cache));
  }

  @Test
  void aNarinfoUnderAnotherPathsNameOrAForeignStoreDirIsUnsound() throws Exception {
    Path cache = freshCache("hostile-info");
    StorePath a = closure.get(0);
    StorePath b = closure.get(1);
    Files.copy(
        narinfo(cache, a), narinfo(cache, b), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(cache.resolve("nix-cache-info"), "StoreDir: /gnu/store\n");

    List<String> problems = verifyAll(cache);

    assertTrue(
        problems.contains(NarInfo.key(b) + ": describes " + a + ", whose narinfo has another name"),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("StoreDir is /gnu/store")), problems.toString());
    try (BinaryCacheTarget t =
        BinaryCacheTarget.openExisting(CacheUrl.parse("file://" + cache), Optional.empty())) {
      List<String> ofRoots = new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(b));
      assertTrue(
          ofRoots.contains(b + ": its narinfo " + NarInfo.key(b) + " describes " + a),
          ofRoots.toString());
    }
  }

  @Test
  void aMistypedCacheDirectoryIsAnErrorAndIsNotCreated() {
    Path missing = dir.resolve("no-such-cache");

    CacheException e = assertThrows(CacheException.class, () -> verifyAll(missing));

    assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    assertFalse(Files.exists(missing));
  }

  @Test
  void anUnbrokenCacheIsLeftAlone() throws Exception {
    Path cache = freshCache("sound");
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    PushSummary s = push(cache, warnings);

    assertEquals(0, s.pushed());
    assertEquals(List.of(), warnings);
    assertEquals(
        "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n",
        Files.readString(cache.resolve("nix-cache-info"), StandardCharsets.UTF_8));
  }
}
