package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Evaluated;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalStoreProvider#publishAll}: several jobs' roots and closures with a fixed number of
 * Nix commands, with real Nix; the roots are the ones {@link LocalStoreProvider#publish} makes and
 * Nix honours them, inside Nix's gcroots (links made directly, held by one nix-store meanwhile) and
 * outside it (indirect roots).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PublishAllIT {

  @TempDir static Path shared;
  static BuiltJob one;
  static BuiltJob two;
  static BuiltJob oneWithoutSecond;

  /** A directory of this test's own inside Nix's gcroots, removed afterwards. */
  static final Path IN_GCROOTS =
      Path.of("/nix/var/nix/gcroots/nix-aurora-test-publish-all-" + UUID.randomUUID());

  @TempDir Path tmp;

  @BeforeAll
  static void build() throws Exception {
    Path a =
        Jobs.jobDir(
            shared.resolve("one"),
            Jobs.HELLO_WORLD
                .replace("name = \"hello_world\";\n", "name = \"one\";\n")
                .replace(
                    "processes = [",
                    "processes = [ (Process { name = \"second\"; cmdline ="
                        + " \"${pkgs.hello}/bin/hello\"; })"));
    Path b =
        Jobs.jobDir(
            shared.resolve("two"),
            Jobs.HELLO_WORLD.replace("name = \"hello_world\";\n", "name = \"two\";\n"));
    Path c =
        Jobs.jobDir(
            shared.resolve("one-again"),
            Jobs.HELLO_WORLD.replace("name = \"hello_world\";\n", "name = \"one\";\n"));
    List<Evaluated> built =
        Jobs.evaluator(shared.resolve("cache"))
            .evaluateAll(
                List.of(JobSource.file(a), JobSource.file(b), JobSource.file(c)),
                EventListener.NONE);
    one = ((Evaluated.Built) built.get(0)).job();
    two = ((Evaluated.Built) built.get(1)).job();
    oneWithoutSecond = ((Evaluated.Built) built.get(2)).job();
  }

  @AfterAll
  static void removeRoots() throws Exception {
    if (Files.exists(IN_GCROOTS)) {
      try (Stream<Path> all = Files.walk(IN_GCROOTS)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static LocalStoreProvider provider(Path roots) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("gc_roots_dir", roots.toString());
    return new LocalStoreProviderFactory().create(s);
  }

  /** Nix refuses to delete a path that is rooted: the roots are real. */
  private static void assertAlive(StorePath path) throws Exception {
    Jobs.Run run =
        Jobs.run(
            List.of(
                NixRunner.findBinDirectory().resolve("nix-store").toString(),
                "--delete",
                path.toString()),
            Map.of("PATH", System.getenv("PATH")),
            null);
    assertNotEquals(0, run.exit(), run.stdout() + run.stderr());
    assertTrue(run.stderr().contains("alive"), run.stderr());
    assertTrue(Files.exists(Path.of(path.toString())));
  }

  private void publishesBothJobsAsPublishDoesOneByOne(Path roots) throws Exception {
    LocalStoreProvider provider = provider(roots);
    Jobs.Recorder events = new Jobs.Recorder();
    List<Publication> all = provider.publishAll(List.of(one, two), events);

    assertEquals(2, all.size());
    for (BuiltJob job : List.of(one, two)) {
      Path dir = provider.gcRootsOf(job.key());
      assertTrue(dir.startsWith(roots), dir.toString());
      try (Stream<Path> entries = Files.list(dir)) {
        assertEquals(job.scripts().size(), entries.count(), "one link per process, nothing else");
      }
      for (ProcessScript s : job.scripts().values()) {
        Path root = dir.resolve(s.process());
        assertEquals(s.path().toString(), Files.readSymbolicLink(root).toString());
        assertAlive(s.path());
      }
    }
    assertTrue(all.get(0).paths().contains(one.script("second").path()));
    assertFalse(all.get(1).paths().contains(one.script("second").path()));
    // The same publications as publishing each job alone.
    Publication aloneOne = provider(tmp.resolve("alone")).publish(one, EventListener.NONE);
    Publication aloneTwo = provider(tmp.resolve("alone")).publish(two, EventListener.NONE);
    assertEquals(aloneOne.paths(), all.get(0).paths());
    assertEquals(aloneTwo.paths(), all.get(1).paths());
    assertEquals(
        aloneOne.summary().replace(tmp.resolve("alone").toString(), roots.toString()),
        all.get(0).summary());
    assertEquals(
        List.of(one.key(), two.key()),
        provider.retainedJobs().stream()
            .sorted(java.util.Comparator.comparing(Object::toString))
            .toList());

    // Published again with one process fewer: its root goes, the others are replaced.
    provider.publishAll(List.of(oneWithoutSecond, two), EventListener.NONE);
    Path dir = provider.gcRootsOf(one.key());
    assertFalse(Files.exists(dir.resolve("second"), LinkOption.NOFOLLOW_LINKS));
    assertNotEquals(one.script("one").path(), oneWithoutSecond.script("one").path());
    assertEquals(
        oneWithoutSecond.script("one").path().toString(),
        Files.readSymbolicLink(dir.resolve("one")).toString());
  }

  @Test
  void insideNixsGcRootsTheLinksAreRootsByThemselves() throws Exception {
    publishesBothJobsAsPublishDoesOneByOne(IN_GCROOTS.resolve("roots"));
  }

  @Test
  void elsewhereNixRecordsEachLinkAsAnIndirectRoot() throws Exception {
    publishesBothJobsAsPublishDoesOneByOne(tmp.resolve("roots"));
  }

  @Test
  void oneMissingScriptRefusesEveryJobAndWritesNothing() throws Exception {
    StorePath missing =
        StorePath.of("/nix/store/00000000000000000000000000000000-aurora-process-x");
    BuiltJob bogus =
        new BuiltJob(
            two.job(),
            Map.of("two", new ProcessScript("two", missing, two.system())),
            two.system());
    for (Path roots : List.of(tmp.resolve("roots"), IN_GCROOTS.resolve("refused"))) {
      StoreException e =
          assertThrows(
              StoreException.class,
              () -> provider(roots).publishAll(List.of(one, bogus), EventListener.NONE));
      assertEquals(
          "process 'two' of devcluster/vagrant/devel/two: "
              + missing
              + " is not valid in the local store (was it garbage-collected since the build?"
              + " build the job again)",
          e.getMessage());
      assertFalse(Files.exists(roots), roots + " written");
    }
  }
}
