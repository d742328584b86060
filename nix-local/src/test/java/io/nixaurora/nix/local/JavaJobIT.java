package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs built in Java go through the same library; their text survives byte for byte. */
class JavaJobIT {

  @TempDir Path tmp;

  static final List<String> TEXTS =
      List.of(
          "echo \"double quotes\" and 'single quotes'",
          "echo ${HOME} ${ not interpolated } $${x} $$ $",
          "echo '' two single quotes '''' and ''${x}'' and ''\\n",
          "echo back\\slash \\\\ \\n \\\" \\$ \\",
          "line one\nline two\n\nlast line without newline",
          "ends with newline\n",
          "tab\there\tand\r\ncarriage return",
          "unicode: ünïcödé ☃ 日本語 🚀 \u00a0nbsp",
          "{{thermos.ports[http]}} is the user's own template",
          "control \u0001\u001f chars",
          " leading and trailing spaces ");

  private Job job(List<Cmdline> cmdlines) {
    Task.Builder task = Task.builder().resources(Resources.of(1, 16 * Units.MB, 16 * Units.MB));
    for (int i = 0; i < cmdlines.size(); i++) {
      task.process(Process.builder().name("p" + i).cmdline(cmdlines.get(i)).build());
    }
    return Job.builder()
        .cluster("devcluster")
        .role("vagrant")
        .environment("devel")
        .name("java_job")
        .task(task.build())
        .build();
  }

  @Test
  void everyTextSurvivesByteForByte() throws Exception {
    List<Cmdline> cmdlines = TEXTS.stream().map(t -> Cmdline.builder().text(t).build()).toList();
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache"))
            .evaluate(JobSource.java(job(cmdlines), tmp), EventListener.NONE);
    for (int i = 0; i < TEXTS.size(); i++) {
      String name = "p" + i;
      Path script = Path.of(built.script(name).path().toString());
      assertArrayEquals(
          TEXTS.get(i).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(script), name);
      assertEquals(TEXTS.get(i), built.job().task().processes().get(i).cmdline().text(), name);
      assertTrue(
          script.toString().endsWith("-aurora-process-devcluster-vagrant-devel-java_job-" + name));
    }
  }

  @Test
  void packagesStorePathsAndFilesBecomeStorePathsInTheClosure() throws Exception {
    NixJobEvaluator evaluator = Jobs.evaluator(tmp.resolve("cache"));
    Path base = Files.createDirectories(tmp.resolve("base dir"));
    Files.writeString(base.resolve("hello_world.py"), "print('hi from java')\n");
    // A store path that exists: a file added to the store.
    Path extra = Files.writeString(tmp.resolve("extra.txt"), "extra\n");
    String extraPath = Jobs.nix("nix-store", "--add", extra.toString()).strip();

    Cmdline cmdline =
        Cmdline.builder()
            .pkg("pkgs.python3")
            .text("/bin/python3 ")
            .file(Path.of("hello_world.py"))
            .text(" --data ")
            .storePath(extraPath + "/sub/path")
            .text(" && ")
            .pkg("hello")
            .text("/bin/hello")
            .build();
    BuiltJob built =
        evaluator.evaluate(JobSource.java(job(List.of(cmdline)), base), EventListener.NONE);
    String text = built.job().task().processes().get(0).cmdline().text();
    String[] words = text.split(" ");
    assertTrue(words[0].matches("/nix/store/[a-z0-9]{32}-python3-[^/]+/bin/python3"), text);
    // The file becomes the same store path as ${./hello_world.py} in a Nix job file.
    String expectedPy =
        Jobs.nix(
                "nix-instantiate",
                "--eval",
                "-E",
                "\"${" + nixPath(base.resolve("hello_world.py")) + "}\"")
            .strip()
            .replace("\"", "");
    assertEquals(expectedPy, words[1]);
    assertEquals(extraPath + "/sub/path", words[3]);
    assertTrue(words[5].matches("/nix/store/[a-z0-9]{32}-hello-[^/]+/bin/hello"), text);

    String closure = Jobs.nix("nix-store", "-qR", built.script("p0").path().toString());
    assertTrue(closure.contains(words[0].replace("/bin/python3", "")), closure);
    assertTrue(closure.contains(expectedPy), closure);
    assertTrue(closure.contains(extraPath), closure);
    assertTrue(closure.contains(words[5].replace("/bin/hello", "")), closure);
  }

  private static String nixPath(Path p) {
    // The test's temp dir has a space in "base dir": use /. + "…" to name it.
    return "/. + \"" + p.toString() + "\"";
  }

  @Test
  void anUnknownPackageIsNamed() throws Exception {
    Cmdline cmdline = Cmdline.builder().pkg("pkgs.no_such_package").text("/bin/x").build();
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                Jobs.evaluator(tmp.resolve("cache"))
                    .evaluate(JobSource.java(job(List.of(cmdline)), tmp), EventListener.NONE));
    assertTrue(
        e.getMessage().startsWith("Java job devcluster/vagrant/devel/java_job"), e.getMessage());
    assertTrue(
        e.getMessage().contains("package 'pkgs.no_such_package' is not in the package set"),
        e.getMessage());
  }

  @Test
  void aMissingFileIsNamedBeforeNixRuns() {
    Cmdline cmdline = Cmdline.builder().text("cat ").file(Path.of("nope.txt")).build();
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class,
            () ->
                Jobs.evaluator(tmp.resolve("cache"))
                    .evaluate(JobSource.java(job(List.of(cmdline)), tmp), EventListener.NONE));
    assertEquals("task.processes[0].cmdline", e.violations().get(0).path());
    assertTrue(e.getMessage().contains(tmp.resolve("nope.txt").toString()), e.getMessage());
  }

  @Test
  void renderedExpressionEscapes() {
    assertEquals("\"a\\\"b\\\\c\\${d}\\$e\\n\\t\"", NixJobRenderer.string("a\"b\\c${d}$e\n\t"));
  }
}
