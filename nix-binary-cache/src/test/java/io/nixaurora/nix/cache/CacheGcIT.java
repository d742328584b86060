package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Real Nix, real caches (file:// and S3Proxy): live closures of several "jobs" share a library,
 * dead ones do not; after {@code gc} every live closure substitutes into an empty store with
 * signatures required, every dead path and its NAR is gone and the cache verifies. Kills at every
 * deletion leave a sound cache; a push running beside a gc loses nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CacheGcIT {

  private static final long FOUR_DAYS = Duration.ofDays(4).toSeconds();

  private Path dir;
  private SigningKey key;
  private NixStore store;
  private StorePath jobA;
  private StorePath jobC;
  private List<StorePath> live;
  private List<StorePath> dead;
  private List<StorePath> deadTops;
  private StorePath deadLibTop;

  @BeforeAll
  void build() throws Exception {
    dir = Files.createTempDirectory("nbc-gc");
    key = SigningKey.generate("test-gc-1");
    store = new NixStore(NixRunner.onPath());
    StorePath shared = TestNix.buildClosure(dir, "gc-shared");
    jobA = TestNix.buildBig(dir, "gc-a", 1, shared);
    jobC = TestNix.buildBig(dir, "gc-c", 1, shared);
    deadLibTop = TestNix.buildClosure(dir, "gc-deadlib");
    StorePath jobB = TestNix.buildBig(dir, "gc-b", 1, deadLibTop);
    StorePath jobE = TestNix.buildClosure(dir, "gc-e");
    StorePath jobF = TestNix.buildBig(dir, "gc-f", 1, null);
    deadTops = List.of(jobB, jobE, jobF);
    Set<StorePath> l = new HashSet<>(TestNix.requisites(jobA));
    l.addAll(TestNix.requisites(jobC));
    live = List.copyOf(l);
    Set<StorePath> d = new HashSet<>();
    for (StorePath t : deadTops) {
      d.addAll(TestNix.requisites(t));
    }
    d.removeAll(l);
    dead = List.copyOf(d);
    assertEquals(10, dead.size(), dead.toString());
  }

  @AfterAll
  void cleanUp() throws Exception {
    TestNix.deleteTree(dir);
  }

  private void pushAll(BinaryCacheTarget t) throws Exception {
    List<StorePath> all = new ArrayList<>(List.of(jobA, jobC));
    all.addAll(deadTops);
    CachePusher.builder().store(store).target(t).signingKey(key).build().push(all);
  }

  private static final String ORPHAN =
      "nar/0000000000000000000000000000000000000000000000000000.nar.zst";

  private CacheGc.Report gc(BinaryCacheTarget t, boolean delete, long shiftSeconds)
      throws Exception {
    return CacheGc.builder()
        .target(t)
        .roots(List.of(jobA, jobC))
        .delete(delete)
        .clock(() -> Instant.now().plusSeconds(shiftSeconds))
        .build()
        .run();
  }

  @Test
  void fileCacheKeepsLiveClosuresAndDeletesDeadOnes() throws Exception {
    Path c = dir.resolve("file-cache");
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty())) {
      pushAll(t);
      t.write(ORPHAN, new byte[100], "application/x-nix-nar");
      int files = countFiles(c);
      // Within the grace period everything is live.
      CacheGc.Report young = gc(t, true, 0);
      assertEquals(List.of(), young.deadPaths());
      assertEquals(files, countFiles(c));
      // Dry run (the default): reports, deletes nothing.
      CacheGc.Report dry = gc(t, false, FOUR_DAYS);
      assertTrue(dry.dryRun());
      assertEquals(sorted(dead), dry.deadPaths());
      assertEquals(11, dry.nars().size(), dry.nars().toString());
      assertTrue(dry.bytes() > 2 << 20, dry.summary());
      assertEquals(files, countFiles(c));
      CacheGc.Report done = gc(t, true, FOUR_DAYS);
      assertEquals(sorted(dead), done.deadPaths());
      assertEquals(files - 21, countFiles(c));
      assertFalse(t.exists(ORPHAN));
      assertLiveAndDeadGone(t, "file://" + c);
    }
  }

  @Test
  void s3CacheKeepsLiveClosuresAndDeletesDeadOnes() throws Exception {
    try (S3Proxy s3 = S3Proxy.start(dir.resolve("s3proxy"))) {
      S3Proxy.useCredentials();
      s3.createPublicBucket("gc-test");
      try (BinaryCacheTarget t =
          BinaryCacheTarget.open(CacheUrl.parse(s3.url("gc-test/cache")), Optional.empty())) {
        pushAll(t);
        t.write(ORPHAN, new byte[100], "application/x-nix-nar");
        CacheGc.Report dry = gc(t, false, FOUR_DAYS);
        assertEquals(sorted(dead), dry.deadPaths());
        assertTrue(t.exists(NarInfo.key(dead.get(0))));
        CacheGc.Report done = gc(t, true, FOUR_DAYS);
        assertEquals(sorted(dead), done.deadPaths());
        assertEquals(11, done.nars().size());
        assertFalse(t.exists(ORPHAN));
        assertLiveAndDeadGone(t, s3.httpUrl("gc-test/cache"));
      }
    }
  }

  @Test
  void httpCacheWithAJsonIndexIsCollectedWithWebDavDeletes() throws Exception {
    try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
      String url = nginx.url("listed/cache");
      try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(url), Optional.empty())) {
        pushAll(t);
        t.write(ORPHAN, new byte[100], "application/x-nix-nar");
        assertEquals(16, t.listNarInfos().orElseThrow().size());
        CacheGc.Report dry = gc(t, false, FOUR_DAYS);
        assertEquals(sorted(dead), dry.deadPaths());
        assertTrue(t.exists(NarInfo.key(dead.get(0))));
        CacheGc.Report done = gc(t, true, FOUR_DAYS);
        assertEquals(sorted(dead), done.deadPaths());
        assertEquals(11, done.nars().size());
        assertFalse(t.exists(ORPHAN));
        assertLiveAndDeadGone(t, url);
      }
      // A server without an index: gc refuses, naming what it needs.
      try (BinaryCacheTarget t =
          BinaryCacheTarget.open(CacheUrl.parse(nginx.url("plain")), Optional.empty())) {
        pushAll(t);
        io.nixaurora.api.CacheException e =
            org.junit.jupiter.api.Assertions.assertThrows(
                io.nixaurora.api.CacheException.class, () -> gc(t, true, FOUR_DAYS));
        assertTrue(e.getMessage().contains("autoindex_format json"), e.getMessage());
        assertTrue(t.exists(NarInfo.key(dead.get(0))));
      }
    }
  }

  /**
   * The gc in its own JVM halts (as SIGKILL: no cleanup) right after its N-th deletion, for every
   * N: the cache verifies and every live closure substitutes each time; a gc run afterwards
   * finishes the job.
   */
  @Test
  void aGcKilledAfterAnyDeletionLeavesASoundCache() throws Exception {
    Path template = dir.resolve("kill-template");
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + template), Optional.empty())) {
      pushAll(t);
      t.write(ORPHAN, new byte[100], "application/x-nix-nar");
    }
    int deletions = 21;
    for (int n = 1; n <= deletions + 1; n++) {
      Path c = dir.resolve("kill-" + n);
      TestNix.ok("cp", "-a", template.toString(), c.toString());
      Process p = gcProcess("file://" + c, n);
      assertTrue(p.waitFor(2, TimeUnit.MINUTES));
      assertEquals(n <= deletions ? 137 : 0, p.exitValue(), "round " + n + ": " + log());
      try (BinaryCacheTarget t =
          BinaryCacheTarget.openExisting(CacheUrl.parse("file://" + c), Optional.empty())) {
        assertEquals(
            List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll(), "round " + n);
        substitutes("file://" + c, jobA);
        substitutes("file://" + c, jobC);
        if (n == 7) {
          // A later, complete run finishes what the killed one started.
          Process again = gcProcess("file://" + c, 0);
          assertTrue(again.waitFor(2, TimeUnit.MINUTES));
          assertEquals(0, again.exitValue(), log());
          assertLiveAndDeadGone(t, "file://" + c);
        }
      }
      TestNix.deleteTree(c);
    }
  }

  /**
   * A push of a new closure that refers to an old, dead path runs beside a gc that deletes dead
   * paths, repeatedly: whatever the interleaving, the pushed closure is complete afterwards.
   */
  @Test
  void aPushBesideAGcLosesNothing() throws Exception {
    for (int round = 0; round < 6; round++) {
      Path c = dir.resolve("race-" + round);
      StorePath fresh = TestNix.buildBig(dir, "gc-race-" + round, 1, deadLibTop);
      try (BinaryCacheTarget t =
          BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty())) {
        CachePusher pusher = CachePusher.builder().store(store).target(t).signingKey(key).build();
        pusher.push(deadTops);
        backdate(c, Duration.ofDays(10));
        CompletableFuture<CacheGc.Report> gc =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return CacheGc.builder()
                        .target(t)
                        .grace(Duration.ofHours(1))
                        .delete(true)
                        .build()
                        .run();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        pusher.push(List.of(fresh));
        CacheGc.Report r = gc.join();
        assertEquals(
            List.of(),
            new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(fresh)),
            "round " + round + ": " + r.summary());
        assertEquals(List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll());
      }
      substitutes("file://" + c, fresh);
      TestNix.deleteTree(c);
    }
  }

  /**
   * Deterministic interleaving 1: the push finds an old dead path present, then (before it writes
   * its first narinfo) a whole gc runs and deletes that path. The push's final check finds it gone
   * and pushes it again: the new closure is complete.
   */
  @Test
  void aPathDeletedAfterThePushSawItIsPushedAgain() throws Exception {
    Path c = dir.resolve("race-push-side");
    StorePath fresh = TestNix.buildBig(dir, "gc-race-push", 1, deadLibTop);
    List<io.nixaurora.api.event.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (BinaryCacheTarget plain =
            BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty());
        Targets.Hooked hooked =
            new Targets.Hooked(
                BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty()))) {
      CachePusher.builder().store(store).target(plain).signingKey(key).build().push(deadTops);
      backdate(c, Duration.ofDays(10));
      List<CacheGc.Report> gcs = new ArrayList<>();
      hooked.beforeFirstNarInfoWrite =
          () ->
              gcs.add(
                  CacheGc.builder()
                      .target(plain)
                      .grace(Duration.ofHours(1))
                      .delete(true)
                      .build()
                      .run());
      PushSummary s =
          CachePusher.builder()
              .store(store)
              .target(hooked)
              .signingKey(key)
              .events(events::add)
              .build()
              .push(List.of(fresh));
      assertEquals(1, gcs.size());
      assertTrue(gcs.get(0).deadPaths().contains(deadLibTop), "the gc deleted what the push saw");
      assertTrue(
          events.stream().anyMatch(e -> e.toString().contains("deleted during the push")),
          events.toString());
      assertTrue(s.pushed() > 1, s.toString());
      assertEquals(
          List.of(), new CacheVerifier(plain, List.of(key.publicKey()), 2).verify(List.of(fresh)));
      assertEquals(List.of(), new CacheVerifier(plain, List.of(key.publicKey()), 2).verifyAll());
    }
    substitutes("file://" + c, fresh);
  }

  /**
   * Deterministic interleaving 2: the gc has listed the cache; a whole push then runs (it finds the
   * old dead path present, writes a new narinfo referring to it, checks, and finishes) just before
   * the gc deletes that path. The gc's listing after its deletions sees the new narinfo and writes
   * the path's narinfo back: the push's closure is complete.
   */
  @Test
  void aPathAPushReferredToJustBeforeTheGcDeletedItIsRestored() throws Exception {
    Path c = dir.resolve("race-gc-side");
    StorePath fresh = TestNix.buildBig(dir, "gc-race-gc", 1, deadLibTop);
    try (BinaryCacheTarget plain =
            BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty());
        Targets.Hooked hooked =
            new Targets.Hooked(
                BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty()))) {
      CachePusher pusher = CachePusher.builder().store(store).target(plain).signingKey(key).build();
      pusher.push(deadTops);
      backdate(c, Duration.ofDays(10));
      List<PushSummary> pushes = new ArrayList<>();
      hooked.beforeFirstDelete = () -> pushes.add(pusher.push(List.of(fresh)));
      CacheGc.Report r =
          CacheGc.builder().target(hooked).grace(Duration.ofHours(1)).delete(true).build().run();
      assertEquals(1, pushes.size());
      assertTrue(r.restored() > 0, r.summary());
      assertFalse(r.deadPaths().contains(deadLibTop), r.summary());
      assertTrue(plain.exists(NarInfo.key(deadLibTop)));
      assertEquals(
          List.of(), new CacheVerifier(plain, List.of(key.publicKey()), 2).verify(List.of(fresh)));
      assertEquals(List.of(), new CacheVerifier(plain, List.of(key.publicKey()), 2).verifyAll());
    }
    substitutes("file://" + c, fresh);
  }

  /**
   * A rollback, gc side: the job is re-created with an old configuration (its push finds every path
   * present and writes nothing) while a gc that read the roots before is deleting. The gc reads its
   * roots again after the narinfos and writes back what the new job reaches.
   */
  @Test
  void aJobSubmittedDuringTheGcKeepsItsOldPaths() throws Exception {
    Path c = dir.resolve("rollback-gc-side");
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty())) {
      CachePusher.builder().store(store).target(t).signingKey(key).build().push(deadTops);
      backdate(c, Duration.ofDays(10));
      java.util.concurrent.atomic.AtomicInteger reads =
          new java.util.concurrent.atomic.AtomicInteger();
      CacheGc.Report r =
          CacheGc.builder()
              .target(t)
              .grace(Duration.ofHours(1))
              .rootsSource(
                  () -> {
                    reads.incrementAndGet();
                    return java.util.Set.of(deadLibTop);
                  },
                  Duration.ZERO)
              .delete(true)
              .build()
              .run();
      assertEquals(1, reads.get());
      assertEquals(TestNix.requisites(deadLibTop).size(), r.restored(), r.summary());
      assertEquals(List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll());
      assertEquals(
          List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(deadLibTop)));
      assertFalse(t.exists(NarInfo.key(deadTops.get(1))), "the other dead paths are gone");
    }
    substitutes("file://" + c, deadLibTop);
  }

  /**
   * A rollback, push side: the push finds the whole closure present and writes nothing; a gc
   * deletes it before the push's last check of its tops. The push pushes it again.
   */
  @Test
  void aPushThatWroteNothingPushesAgainWhatAGcDeletedUnderIt() throws Exception {
    Path c = dir.resolve("rollback-push-side");
    try (BinaryCacheTarget plain =
            BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty());
        Targets.Hooked hooked =
            new Targets.Hooked(
                BinaryCacheTarget.open(CacheUrl.parse("file://" + c), Optional.empty()))) {
      CachePusher.builder().store(store).target(plain).signingKey(key).build().push(deadTops);
      backdate(c, Duration.ofDays(10));
      hooked.beforeFirstExists =
          () ->
              CacheGc.builder().target(plain).grace(Duration.ofHours(1)).delete(true).build().run();
      PushSummary s =
          CachePusher.builder()
              .store(store)
              .target(hooked)
              .signingKey(key)
              .build()
              .push(List.of(deadLibTop));
      assertEquals(TestNix.requisites(deadLibTop).size(), s.pushed(), s.toString());
      assertEquals(
          List.of(),
          new CacheVerifier(plain, List.of(key.publicKey()), 2).verify(List.of(deadLibTop)));
      assertEquals(List.of(), new CacheVerifier(plain, List.of(key.publicKey()), 2).verifyAll());
    }
    substitutes("file://" + c, deadLibTop);
  }

  private Process gcProcess(String url, int dieAfter) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(GcMain.class.getName());
    cmd.addAll(List.of(url, Integer.toString(dieAfter), Long.toString(FOUR_DAYS), jobA.toString()));
    cmd.add(jobC.toString());
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("gc.log").toFile())
        .start();
  }

  private String log() throws Exception {
    return Files.readString(dir.resolve("gc.log"));
  }

  private void assertLiveAndDeadGone(BinaryCacheTarget t, String substituter) throws Exception {
    assertEquals(List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll());
    for (StorePath p : dead) {
      assertFalse(t.exists(NarInfo.key(p)), p + " should be gone");
    }
    for (StorePath p : live) {
      assertTrue(t.exists(NarInfo.key(p)), p + " should be kept");
    }
    Set<String> names = new HashSet<>();
    for (BinaryCacheTarget.Entry e : t.listEntries().orElseThrow()) {
      names.add(e.key());
    }
    assertEquals(live.size() * 2, names.size(), "one narinfo and one NAR per live path: " + names);
    substitutes(substituter, jobA);
    substitutes(substituter, jobC);
  }

  private void substitutes(String url, StorePath root) throws Exception {
    Path fresh = dir.resolve("store-" + System.nanoTime());
    TestNix.Result r = TestNix.substitute(fresh, url, key.publicKey().toString(), root);
    assertEquals(0, r.exit(), r.stderr());
    for (StorePath p : TestNix.requisites(root)) {
      assertTrue(Files.exists(Path.of(fresh + p.toString())), p + " substituted");
    }
    TestNix.deleteTree(fresh);
  }

  private static void backdate(Path c, Duration by) throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(by));
    try (Stream<Path> s = Files.walk(c)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
  }

  private static int countFiles(Path c) throws Exception {
    try (Stream<Path> s = Files.walk(c)) {
      return (int)
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().equals("nix-cache-info"))
              .count();
    }
  }

  private static List<StorePath> sorted(List<StorePath> paths) {
    List<StorePath> s = new ArrayList<>(paths);
    s.sort(null);
    return s;
  }
}
