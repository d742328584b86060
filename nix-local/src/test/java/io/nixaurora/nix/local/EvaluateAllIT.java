package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Evaluated;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NixJobEvaluator#evaluateAll}: several jobs in one evaluation and one nix-build, with real
 * Nix; a bad job among good ones is its own outcome, carrying the message building it alone gives.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class EvaluateAllIT {

  /** The example flake (nix-local's tests run in nix-local/). */
  private static final Path EXAMPLE = Path.of("").toAbsolutePath().resolveSibling("examples/flake");

  @TempDir Path tmp;

  private NixJobEvaluator evaluator() {
    return Jobs.evaluator(tmp.resolve("cache"));
  }

  /** The hello_world job named {@code name}, in its own directory. */
  private Path job(String name) throws Exception {
    return Jobs.jobDir(
        tmp.resolve(name),
        Jobs.HELLO_WORLD.replace("name = \"hello_world\";\n", "name = \"" + name + "\";\n"));
  }

  private Path job(String name, String from, String to) throws Exception {
    String nix =
        Jobs.HELLO_WORLD.replace("name = \"hello_world\";\n", "name = \"" + name + "\";\n");
    assertTrue(nix.contains(from), from);
    return Jobs.jobDir(tmp.resolve(name), nix.replace(from, to));
  }

  /** The debug events saying a nix-build starts: one per build. */
  private static List<String> builds(Jobs.Recorder events) {
    return events.all().stream()
        .filter(LogEvent.class::isInstance)
        .map(e -> ((LogEvent) e).message())
        .filter(m -> m.startsWith("building "))
        .filter(m -> !m.contains("failed"))
        .toList();
  }

  private static BuiltJob built(Evaluated outcome) {
    Evaluated.Built b = assertInstanceOf(Evaluated.Built.class, outcome, () -> outcome.toString());
    return b.job();
  }

  private static void assertScriptsInStore(BuiltJob job) {
    for (ProcessScript s : job.scripts().values()) {
      assertTrue(Files.isRegularFile(Path.of(s.path().toString())), s.path().toString());
    }
  }

  @Test
  void goodJobsAreOneEvaluationAndOneBuild() throws Exception {
    List<JobSource> sources =
        List.of(
            JobSource.file(job("one")),
            JobSource.file(job("two").resolve("default.nix")),
            JobSource.file(job("three")));
    Jobs.Recorder events = new Jobs.Recorder();

    List<Evaluated> outcomes = evaluator().evaluateAll(sources, events);

    assertEquals(3, outcomes.size());
    List<String> names = List.of("one", "two", "three");
    for (int i = 0; i < 3; i++) {
      assertEquals(sources.get(i), outcomes.get(i).source());
      BuiltJob job = built(outcomes.get(i));
      assertEquals("devcluster/vagrant/devel/" + names.get(i), job.key().toString());
      assertScriptsInStore(job);
    }
    assertEquals(
        List.of("building 3 jobs together with " + NixRunner.findBinDirectory()), builds(events));
    // the offline stand-in is announced once, not once per job
    assertEquals(
        1,
        events.all().stream()
            .filter(e -> e instanceof LogEvent l && l.message().contains("offline stand-in"))
            .count());
  }

  @Test
  void theSameJobsBuiltTogetherOrAloneAreTheSame() throws Exception {
    Path one = job("one");
    Path two = job("two");
    NixJobEvaluator evaluator = evaluator();
    List<Evaluated> together =
        evaluator.evaluateAll(
            List.of(JobSource.file(one), JobSource.file(two)), EventListener.NONE);
    assertEquals(
        evaluator.evaluate(JobSource.file(one), EventListener.NONE), built(together.get(0)));
    assertEquals(
        evaluator.evaluate(JobSource.file(two), EventListener.NONE), built(together.get(1)));
  }

  @Test
  void badJobsAmongGoodOnesFailWithTheMessageOfTheirOwnBuild() throws Exception {
    Path syntax = job("syntax", "role = \"vagrant\";", "role = \"vagrant\"");
    Path attribute = job("attribute", "cmdline =", "cmdlin =");
    Path broken =
        job(
            "broken",
            "cmdline = \"${pkgs.python3}",
            "cmdline = \"${derivation { name = \"broken-"
                + System.nanoTime()
                + "\"; system"
                + " = builtins.currentSystem; builder = \"/bin/sh\"; args = [ \"-c\" \"echo"
                + " the package failed >&2; exit 1\" ]; }} ${pkgs.python3}");
    Path invalid = job("invalid", "cpu = 1;", "cpu = 0;");
    Path missing = tmp.resolve("no-such-job");
    List<JobSource> sources =
        List.of(
            JobSource.file(job("good_a")),
            JobSource.file(syntax),
            JobSource.file(job("good_b")),
            JobSource.file(attribute),
            JobSource.file(broken),
            JobSource.file(job("good_c")),
            JobSource.file(invalid),
            JobSource.file(missing),
            JobSource.flake(EXAMPLE.toString(), "hello"));
    NixJobEvaluator evaluator = evaluator();

    List<Evaluated> outcomes = evaluator.evaluateAll(sources, EventListener.NONE);

    assertEquals(sources.size(), outcomes.size());
    for (int i : new int[] {0, 2, 5}) {
      assertScriptsInStore(built(outcomes.get(i)));
    }
    assertEquals("devcluster/vagrant/devel/hello_flake", built(outcomes.get(8)).key().toString());
    for (int i : new int[] {1, 3, 4, 6, 7}) {
      Evaluated.Failed failed =
          assertInstanceOf(Evaluated.Failed.class, outcomes.get(i), () -> outcomes.toString());
      assertEquals(sources.get(i), failed.source());
      NixAuroraException alone =
          assertThrows(
              NixAuroraException.class,
              () -> evaluator.evaluate(sources.get(i), EventListener.NONE));
      assertEquals(alone.getClass(), failed.error().getClass());
      assertEquals(alone.getMessage(), failed.error().getMessage());
    }
    assertTrue(
        failedMessage(outcomes.get(1)).startsWith(syntax.resolve("default.nix") + ":"),
        failedMessage(outcomes.get(1)));
    assertTrue(failedMessage(outcomes.get(3)).contains("unknown attribute 'cmdlin'"));
    assertTrue(failedMessage(outcomes.get(4)).contains("the package failed"));
    assertInstanceOf(InvalidJobException.class, ((Evaluated.Failed) outcomes.get(6)).error());
    assertTrue(failedMessage(outcomes.get(7)).contains("no such job file"));
  }

  @Test
  void aFlakeJobAmongFileJobsIsBuiltInTheSameBuild() throws Exception {
    List<JobSource> sources =
        List.of(
            JobSource.file(job("one")),
            JobSource.flake(EXAMPLE.toString(), "hello"),
            JobSource.file(job("two")));
    Jobs.Recorder events = new Jobs.Recorder();

    List<Evaluated> outcomes = evaluator().evaluateAll(sources, events);

    assertEquals("devcluster/vagrant/devel/one", built(outcomes.get(0)).key().toString());
    BuiltJob flake = built(outcomes.get(1));
    assertEquals("devcluster/vagrant/devel/hello_flake", flake.key().toString());
    assertTrue(
        flake.job().task().processes().get(0).cmdline().text().contains("-hello-offline-2.12"));
    assertScriptsInStore(flake);
    assertEquals("devcluster/vagrant/devel/two", built(outcomes.get(2)).key().toString());
    assertEquals(1, builds(events).size(), builds(events).toString());
  }

  @Test
  void aJavaJobAmongFileJobsIsBuiltInTheSameBuildAsItIsAlone() throws Exception {
    Job java =
        Job.builder()
            .cluster("devcluster")
            .role("vagrant")
            .environment("devel")
            .name("java_job")
            .task(
                Task.builder()
                    .resources(Resources.of(1, 16 * Units.MB, 16 * Units.MB))
                    .process(
                        Process.builder()
                            .name("p")
                            .cmdline(Cmdline.builder().text("echo from java").build())
                            .build())
                    .build())
            .build();
    List<JobSource> sources = List.of(JobSource.file(job("one")), JobSource.java(java, tmp));
    NixJobEvaluator evaluator = evaluator();
    Jobs.Recorder events = new Jobs.Recorder();

    List<Evaluated> outcomes = evaluator.evaluateAll(sources, events);

    assertEquals(1, builds(events).size(), builds(events).toString());
    assertEquals(evaluator.evaluate(sources.get(1), EventListener.NONE), built(outcomes.get(1)));
    assertEquals(
        "echo from java",
        Files.readString(Path.of(built(outcomes.get(1)).script("p").path().toString())));
  }

  @Test
  void aMissingFlakeJobIsItsOwnOutcomeWithoutStoppingTheBuild() throws Exception {
    JobSource missing = JobSource.flake(EXAMPLE.toString(), "nope");
    List<JobSource> sources = List.of(JobSource.file(job("one")), missing);
    NixJobEvaluator evaluator = evaluator();
    Jobs.Recorder events = new Jobs.Recorder();

    List<Evaluated> outcomes = evaluator.evaluateAll(sources, events);

    built(outcomes.get(0));
    NixAuroraException alone =
        assertThrows(
            NixAuroraException.class, () -> evaluator.evaluate(missing, EventListener.NONE));
    assertEquals(alone.getMessage(), failedMessage(outcomes.get(1)));
    assertEquals(1, builds(events).size(), builds(events).toString());
  }

  private static String failedMessage(Evaluated outcome) {
    return assertInstanceOf(Evaluated.Failed.class, outcome).error().getMessage();
  }
}
