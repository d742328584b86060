package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: a cache that can list its files (a directory; nginx with a JSON index; S3) is asked
 * what it holds in bulk: a re-push reads the narinfos it needs and asks for no NAR one by one, and
 * yet what the cache lost (a narinfo, or the NAR of a narinfo that remains) is pushed again: the
 * listing is read at every push, nothing is remembered between pushes (NixOS/nix#2210).
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListedPresenceIT {

  private Path dir;
  private StorePath top;
  private List<StorePath> closure;
  private SigningKey key;
  private Nginx nginx;
  private S3Proxy s3;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("nbc-listed");
    // More paths than Presence.LISTING_FROM_PATHS, so that the HTTP target lists too.
    StorePath prev = TestNix.buildClosure(dir, "listed");
    for (int i = 0; i < Presence.LISTING_FROM_PATHS; i++) {
      prev = TestNix.buildBig(dir, "listed-" + i, 0, prev);
    }
    top = prev;
    closure = TestNix.requisites(top);
    key = SigningKey.generate("test-listed-1");
    nginx = Nginx.start(dir.resolve("nginx"));
    s3 = S3Proxy.start(dir.resolve("s3proxy"));
    S3Proxy.useCredentials();
    s3.createPublicBucket("cache");
  }

  @AfterAll
  void cleanUp() throws Exception {
    nginx.close();
    s3.close();
    TestNix.deleteTree(dir);
  }

  /** Counts the per-key questions a push asks. */
  private static final class Counting extends ForwardingTarget {
    final AtomicInteger narInfoReads = new AtomicInteger();
    final AtomicInteger narSizes = new AtomicInteger();
    final AtomicInteger listings = new AtomicInteger();

    Counting(BinaryCacheTarget t) {
      super(t);
    }

    @Override
    public Optional<byte[]> read(String key) throws CacheException {
      if (key.endsWith(".narinfo")) {
        narInfoReads.incrementAndGet();
      }
      return t.read(key);
    }

    @Override
    public OptionalLong size(String key) throws CacheException {
      if (key.startsWith("nar/")) {
        narSizes.incrementAndGet();
      }
      return t.size(key);
    }

    @Override
    public Optional<List<Entry>> listEntries() throws CacheException {
      listings.incrementAndGet();
      return t.listEntries();
    }
  }

  private Counting push(String url, int expectPushed) throws Exception {
    Counting c = new Counting(BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty()));
    try (c) {
      PushSummary s =
          CachePusher.builder()
              .store(new NixStore(NixRunner.onPath()))
              .target(c)
              .signingKey(key)
              .build()
              .push(List.of(top));
      assertEquals(expectPushed, s.pushed(), s.toString());
      assertEquals(
          List.of(), new CacheVerifier(c.t, List.of(key.publicKey()), 2).verify(List.of(top)));
    }
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "http", "s3"})
  void aRePushAsksTheListingAndStillRepairsWhatTheCacheLost(String kind) throws Exception {
    String url =
        switch (kind) {
          case "file" -> "file://" + dir.resolve("c");
          case "http" -> nginx.url("listed/c");
          default -> s3.url("cache/listed");
        };
    Path root =
        switch (kind) {
          case "file" -> dir.resolve("c");
          case "http" -> nginx.root.resolve("listed/c");
          default -> s3.data.resolve("cache/listed");
        };
    push(url, closure.size());

    Counting again = push(url, 0);
    assertEquals(1, again.listings.get(), "one listing for the whole closure");
    assertEquals(0, again.narSizes.get(), "no NAR asked for one by one");
    assertEquals(closure.size(), again.narInfoReads.get(), "each narinfo read once");

    // The cache loses a narinfo: the listing says so, the path is pushed without being asked for.
    Files.delete(root.resolve(top.hashPart() + ".narinfo"));
    Counting lostInfo = push(url, 1);
    assertEquals(
        closure.size(),
        lostInfo.narInfoReads.get(),
        "each listed narinfo read once, the lost one not asked for, the written one read back");

    // The cache loses the NAR of a narinfo that remains (issue 12): repaired, still no HEADs.
    StorePath victim = closure.get(0);
    String narInfo = Files.readString(root.resolve(victim.hashPart() + ".narinfo"));
    String nar = narInfo.lines().filter(l -> l.startsWith("URL: ")).findFirst().orElseThrow();
    Files.delete(root.resolve(nar.substring(5)));
    Counting lostNar = push(url, 1);
    assertEquals(
        2,
        lostNar.narSizes.get(),
        "only the NAR the listing lacks (it may be newer than the listing) and the read-back");
    assertTrue(Files.exists(root.resolve(nar.substring(5))), "NAR uploaded again");
    try (Stream<Path> files = Files.list(root)) {
      assertEquals(closure.size(), files.filter(p -> p.toString().endsWith(".narinfo")).count());
    }
  }
}
