package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: {@code publishAll} pushes the union of the jobs' closures once, each path once, and
 * gives each job the paths of its own closure; a job refused for its system stops the whole call
 * before anything is pushed.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishAllIT {

  private Path dir;
  private StorePath shared;
  private StorePath scriptA;
  private StorePath scriptB;
  private Path secretKey;
  private Nginx nginx;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("nbc-publish-all");
    shared = TestNix.buildClosure(dir, "publish-all");
    scriptA = TestNix.buildBig(dir, "publish-all-a", 0, shared);
    scriptB = TestNix.buildBig(dir, "publish-all-b", 0, shared);
    SigningKey key = SigningKey.generate("test-publish-all-1");
    secretKey = dir.resolve("sk");
    key.writeFiles(secretKey, dir.resolve("pk"));
    nginx = Nginx.start(dir.resolve("nginx"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    nginx.close();
    TestNix.deleteTree(dir);
  }

  private static BuiltJob job(String name, StorePath script, String system) {
    Job job =
        Job.builder()
            .cluster("devcluster")
            .role("www-data")
            .environment("prod")
            .name(name)
            .task(
                Task.builder()
                    .name(name)
                    .process(Process.builder().name(name).cmdline(script + "").build())
                    .resources(Resources.of(0.1, 16 * 1024 * 1024, 16 * 1024 * 1024))
                    .build())
            .build();
    return new BuiltJob(job, Map.of(name, new ProcessScript(name, script, system)), system);
  }

  private BinaryCacheStoreProvider provider(String prefix) throws Exception {
    BinaryCacheConfig config =
        BinaryCacheConfig.fromSettings(
            Map.of(
                "cache_url", nginx.url(prefix),
                "secret_key_file", secretKey.toString(),
                "agent_nix_bin_dir", "/usr/bin"));
    return new BinaryCacheStoreProvider(config, new NixStore(NixRunner.onPath()));
  }

  @Test
  void theUnionOfTheClosuresIsPushedOnceAndEachJobGetsItsOwnClosure() throws Exception {
    List<StorePath> closureA = TestNix.requisites(scriptA);
    List<StorePath> closureB = TestNix.requisites(scriptB);
    Set<StorePath> union = new HashSet<>(closureA);
    union.addAll(closureB);
    assertTrue(union.size() < closureA.size() + closureB.size(), "the closures share paths");

    List<Publication> pubs =
        provider("union")
            .publishAll(
                List.of(job("a", scriptA, "x86_64-linux"), job("b", scriptB, "x86_64-linux")),
                EventListener.NONE);

    assertEquals(2, pubs.size());
    assertEquals(Set.copyOf(closureA), Set.copyOf(pubs.get(0).paths()));
    assertEquals(Set.copyOf(closureB), Set.copyOf(pubs.get(1).paths()));
    // One push wrote every path of the union once: one after the other, job b's push would have
    // found the shared paths present and said so.
    assertTrue(
        pubs.get(0).summary().startsWith("pushed " + union.size() + " paths"),
        pubs.get(0).summary());
    assertTrue(pubs.get(0).summary().contains(", 0 already present"), pubs.get(0).summary());
    try (Stream<Path> files = Files.list(nginx.root.resolve("union"))) {
      assertEquals(union.size(), files.filter(p -> p.toString().endsWith(".narinfo")).count());
    }
    // Each job's paths in the order publishing it alone gives (NixStoreTest shows a union whose
    // own order differs).
    assertEquals(
        provider("union").publish(job("a", scriptA, "x86_64-linux"), EventListener.NONE).paths(),
        pubs.get(0).paths());
    assertEquals(
        provider("union").publish(job("b", scriptB, "x86_64-linux"), EventListener.NONE).paths(),
        pubs.get(1).paths());
  }

  @Test
  void aJobForAnotherSystemStopsTheCallBeforeAnythingIsPushed() throws Exception {
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                provider("refused")
                    .publishAll(
                        List.of(
                            job("a", scriptA, "x86_64-linux"), job("b", scriptB, "aarch64-linux")),
                        EventListener.NONE));
    assertTrue(e.getMessage().contains("nothing was pushed"), e.getMessage());
    assertTrue(!Files.exists(nginx.root.resolve("refused")), "the cache was not written to");
  }
}
