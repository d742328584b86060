package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.ProgressEvent;
import io.nixaurora.api.model.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(value = 600, unit = java.util.concurrent.TimeUnit.SECONDS)
class NixJobEvaluatorIT {

  @TempDir Path tmp;

  @Test
  void buildsTheJobAndOneScriptPerProcessInOneBuild() throws Exception {
    Path dir = Jobs.jobDir(tmp.resolve("hello"), Jobs.HELLO_WORLD);
    Jobs.Recorder events = new Jobs.Recorder();
    BuiltJob built = Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), events);

    assertEquals("devcluster/vagrant/devel/hello_world", built.key().toString());
    assertTrue(built.job().isService());
    assertEquals(1.0, built.job().task().resources().cpu());
    assertEquals(1024 * 1024, built.job().task().resources().ram());
    assertEquals(8 * 1024 * 1024, built.job().task().resources().disk());
    assertEquals(
        Jobs.nix("nix-instantiate", "--eval", "-E", "builtins.currentSystem").strip(),
        "\"" + built.system() + "\"");

    Process p = built.job().task().processes().get(0);
    String script = built.script("hello_world").path().toString();
    assertTrue(
        script.endsWith("-aurora-process-devcluster-vagrant-devel-hello_world-hello_world"),
        script);
    // The script's content is the cmdline, byte for byte.
    assertEquals(p.cmdline().text(), Files.readString(Path.of(script)));
    // Its closure holds the interpreter package and the .py the cmdline names.
    String closure = Jobs.nix("nix-store", "-qR", script);
    String python = p.cmdline().text().split(" ")[0].replace("/bin/python3", "");
    String py = p.cmdline().text().split(" ")[1];
    assertTrue(closure.contains(python), closure);
    assertTrue(closure.contains(py), closure);
    assertTrue(py.endsWith("-hello_world.py"), py);

    // The first build of a new job builds its script (and the model): progress events.
    List<ProgressEvent> progress =
        events.all().stream()
            .filter(ProgressEvent.class::isInstance)
            .map(ProgressEvent.class::cast)
            .toList();
    assertTrue(
        progress.stream()
            .anyMatch(
                e ->
                    e.item()
                        .endsWith(
                            "aurora-process-devcluster-vagrant-devel-hello_world-hello_world")),
        progress.toString());
  }

  @Test
  void editingTheScriptChangesTheCmdlineAndNothingElseNeedsToChange() throws Exception {
    Path dir = Jobs.jobDir(tmp.resolve("hello"), Jobs.HELLO_WORLD);
    NixJobEvaluator evaluator = Jobs.evaluator(tmp.resolve("cache"));
    BuiltJob first = evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    BuiltJob again =
        evaluator.evaluate(JobSource.file(dir.resolve("default.nix")), EventListener.NONE);
    assertEquals(first, again);

    Files.writeString(dir.resolve("hello_world.py"), "print('Hello again!')\n");
    BuiltJob edited = evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    assertNotEquals(
        first.job().task().processes().get(0).cmdline(),
        edited.job().task().processes().get(0).cmdline());
    assertNotEquals(first.script("hello_world").path(), edited.script("hello_world").path());
  }

  @Test
  void allConstructorsAndFieldsReachTheModel() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("web"),
            """
            { aurora, pkgs, ... }:
            with aurora;
            Job {
              cluster = "devcluster"; role = "www-data"; environment = "prod"; name = "web";
              instances = 2;
              contact = "ops@example.com";
              task = Task {
                name = "web";
                processes = [
                  (Process { name = "setup"; cmdline = "echo setup > state"; max_failures = 3; })
                  (Process { name = "serve"; cmdline = "${pkgs.hello}/bin/hello; sleep 1000"; })
                ];
                constraints = [ (order [ "setup" "serve" ]) ];
                resources = Resources { cpu = 0.5; ram = 64 * MB; disk = 1 * GB; };
                max_failures = 1;
              };
            }
            """);
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    assertEquals(2, built.job().instances());
    assertEquals("ops@example.com", built.job().contact());
    assertEquals(List.of("setup", "serve"), built.job().task().constraints().get(0).order());
    assertEquals(0.5, built.job().task().resources().cpu());
    assertEquals(3, built.job().task().processes().get(0).maxFailures());
    assertEquals(List.of("setup", "serve"), List.copyOf(built.scripts().keySet()));
    assertEquals(
        "echo setup > state", Files.readString(Path.of(built.script("setup").path().toString())));
  }

  @Test
  void aMissingJobFileIsReportedWithItsPath() {
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                Jobs.evaluator(tmp.resolve("cache"))
                    .evaluate(JobSource.file(tmp.resolve("nope")), EventListener.NONE));
    assertTrue(e.getMessage().contains(tmp.resolve("nope").toString()), e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void nixpkgsOnNixPathIsUsedInsteadOfTheOfflineSet() throws Exception {
    // A stand-in "nixpkgs" channel: what matters is that <nixpkgs> is imported when present.
    Path channel = java.nio.file.Files.createDirectories(tmp.resolve("channel/nixpkgs"));
    java.nio.file.Files.writeString(
        channel.resolve("default.nix"),
        """
        { system ? builtins.currentSystem, ... }: {
          python3 = derivation {
            name = "python3-from-nixpkgs"; inherit system; builder = "/bin/sh";
            args = [ "-c" "echo > $out" ]; allowSubstitutes = false;
          };
        }
        """);
    Path dir = Jobs.jobDir(tmp.resolve("hello"), Jobs.HELLO_WORLD);
    NixJobEvaluator evaluator =
        new NixJobEvaluator(
            NixRunner.onPath().withEnvironment(java.util.Map.of("NIX_PATH", "nixpkgs=" + channel)),
            NixLibrary.materialize(tmp.resolve("cache")));
    Jobs.Recorder events = new Jobs.Recorder();
    BuiltJob built = evaluator.evaluate(JobSource.file(dir), events);
    String cmdline = built.job().task().processes().get(0).cmdline().text();
    assertTrue(
        cmdline.matches("/nix/store/[a-z0-9]{32}-python3-from-nixpkgs/bin/python3 .*"), cmdline);
    assertTrue(
        events.all().stream().noneMatch(e -> e.toString().contains("offline stand-in")),
        events.all().toString());

    // Without it, the offline stand-in is used, and said so.
    Jobs.Recorder offline = new Jobs.Recorder();
    BuiltJob fallback =
        new NixJobEvaluator(
                NixRunner.onPath().withEnvironment(java.util.Map.of("NIX_PATH", "")),
                NixLibrary.materialize(tmp.resolve("cache")))
            .evaluate(JobSource.file(dir), offline);
    assertTrue(
        fallback
            .job()
            .task()
            .processes()
            .get(0)
            .cmdline()
            .text()
            .contains("-python3-offline-stand-in/"));
    assertTrue(
        offline.all().stream().anyMatch(e -> e.toString().contains("offline stand-in package set")),
        offline.all().toString());
  }

  @Test
  void namesOutsideTheStorePathAlphabetAreMapped() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("names"),
            Jobs.HELLO_WORLD
                .replace("cluster = \"devcluster\"", "cluster = \"dev cluster\"")
                .replace(
                    "Process { name = \"hello_world\";",
                    "Process { name = \"web server \u2603\";"));
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    String script = built.script("web server \u2603").path().name();
    assertEquals("aurora-process-dev_cluster-vagrant-devel-hello_world-web_server____", script);
  }

  @Test
  void badKeyPartsAreInvalidFieldsWithTheirLine() throws Exception {
    // environment = "qa", a name with '!', a Unicode role, a cluster with '/': before, the model's
    // JobKey threw an IllegalArgumentException that surfaced as an internal error.
    Path dir =
        Jobs.jobDir(
            tmp.resolve("badkey"),
            Jobs.HELLO_WORLD.replace(
                "cluster = \"devcluster\"; role = \"vagrant\"; environment = \"devel\";"
                    + " name = \"hello_world\";",
                "cluster = \"a/b\";\n  role = \"r\u00f4le\";\n  environment = \"qa\";\n"
                    + "  name = \"bad name!\";"));
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class,
            () ->
                Jobs.evaluator(tmp.resolve("cache"))
                    .evaluate(JobSource.file(dir), EventListener.NONE));
    String file = dir.resolve("default.nix").toRealPath().toString();
    assertEquals(
        List.of("cluster", "role", "name", "environment"),
        e.violations().stream().map(InvalidJobException.Violation::path).toList());
    assertTrue(e.violations().get(0).message().endsWith("(at " + file + ":4:3)"), e.getMessage());
    assertTrue(e.violations().get(1).message().contains("r\u00f4le"), e.getMessage());
    assertTrue(e.violations().get(1).message().endsWith(":5:3)"), e.getMessage());
    assertTrue(e.violations().get(2).message().endsWith(":7:3)"), e.getMessage());
    assertTrue(e.violations().get(3).message().contains("'qa'"), e.getMessage());
    assertTrue(e.violations().get(3).message().endsWith(":6:3)"), e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void buildingForASystemWithoutABuilderIsAClearNixError() throws Exception {
    Path dir = Jobs.jobDir(tmp.resolve("hello"), Jobs.HELLO_WORLD);
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                Jobs.evaluator(tmp.resolve("cache"))
                    .forSystem("aarch64-linux")
                    .evaluate(JobSource.file(dir), EventListener.NONE));
    assertTrue(e.getMessage().contains("aarch64-linux"), e.getMessage());
  }

  @Test
  void thermosHelpersSequentialTaskAndSimpleTask() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("seq"),
            """
            { aurora, pkgs, ... }:
            with aurora;
            Job {
              cluster = "c"; role = "r"; environment = "test"; name = "seq";
              task = SequentialTask {
                processes = [
                  (Process { name = "a"; cmdline = "true"; })
                  { name = "b"; cmdline = "true"; }
                  (Process { name = "c"; cmdline = "true"; })
                ];
                resources = { cpu = 1; ram = 1 * GB; disk = 1 * GB; };
              };
            }
            """);
    NixJobEvaluator evaluator = Jobs.evaluator(tmp.resolve("cache"));
    BuiltJob built = evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    assertEquals(List.of("a", "b", "c"), built.job().task().constraints().get(0).order());

    java.nio.file.Files.writeString(
        dir.resolve("default.nix"),
        """
        { aurora, ... }:
        aurora.Job {
          cluster = "c"; role = "r"; environment = "test";
          task = aurora.SimpleTask "hello" "echo hello";
        }
        """);
    BuiltJob simple = evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    assertEquals("hello", simple.job().name());
    assertEquals(1024L * 1024 * 1024, simple.job().task().resources().ram());
    assertEquals("echo hello", simple.job().task().processes().get(0).cmdline().text());
  }

  @Test
  void buildsLeaveNoDanglingLinksInNixsAutoRoots() throws Exception {
    // nix-build's own temporary directory follows TMPDIR: a private one shows what it leaves.
    // Nix's build users must reach their build directories in it.
    var reachable = java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x");
    Files.setPosixFilePermissions(tmp, reachable);
    Path tmpdir =
        Files.setPosixFilePermissions(Files.createDirectories(tmp.resolve("tmpdir")), reachable);
    Path cache = tmp.resolve("cache");
    NixJobEvaluator evaluator =
        new NixJobEvaluator(
            NixRunner.onPath().withEnvironment(java.util.Map.of("TMPDIR", tmpdir.toString())),
            NixLibrary.materialize(cache));
    Path dir = Jobs.jobDir(tmp.resolve("job"), Jobs.HELLO_WORLD);
    for (int i = 0; i < 3; i++) {
      evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    }
    Path auto = Path.of("/nix/var/nix/gcroots/auto");
    List<Path> ours = new java.util.ArrayList<>();
    try (var links = Files.list(auto)) {
      for (Path link : links.toList()) {
        Path target = Files.readSymbolicLink(link);
        if (target.startsWith(tmpdir) || target.startsWith(cache)) {
          ours.add(target);
        }
      }
    }
    assertTrue(ours.stream().noneMatch(t -> t.startsWith(tmpdir)), "links into TMPDIR: " + ours);
    assertTrue(ours.size() <= 1, "one link at most, the same every time: " + ours);
    assertFalse(
        Files.exists(NixLibrary.materialize(cache).directory().resolve("result")),
        "the result link (a GC root) outlived the build");
  }
}
