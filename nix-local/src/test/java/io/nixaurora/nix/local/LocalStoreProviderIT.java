package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store provider and its init command, against real Nix stores. */
@org.junit.jupiter.api.Timeout(value = 600, unit = java.util.concurrent.TimeUnit.SECONDS)
class LocalStoreProviderIT {

  @TempDir static Path shared;
  static BuiltJob hello;
  static String nixBin;

  @TempDir Path tmp;

  @BeforeAll
  static void build() throws Exception {
    Path dir = Jobs.jobDir(shared.resolve("hello"), Jobs.HELLO_WORLD);
    hello =
        Jobs.evaluator(shared.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    nixBin = NixRunner.findBinDirectory().toString();
  }

  private LocalStoreProvider provider(Map<String, String> settings) {
    Map<String, String> s = new LinkedHashMap<>(settings);
    s.putIfAbsent("gc_roots_dir", tmp.resolve("roots").toString());
    return new LocalStoreProviderFactory().create(s);
  }

  /** Runs {@code cmdline} as Thermos does: bash -c, cwd and HOME the sandbox, only PATH kept. */
  private static Jobs.Run thermos(String cmdline, Path sandbox, Map<String, String> agentEnv)
      throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", sandbox.toString());
    env.putAll(agentEnv);
    return Jobs.run(List.of("/bin/bash", "-c", cmdline), env, sandbox);
  }

  @Test
  void initCommandRealisesAndRootsTheScriptInAnEmptySandbox() throws Exception {
    ProcessScript script = hello.script("hello_world");
    String cmdline = provider(Map.of()).initCommand().cmdline(script);
    assertEquals(nixBin + "/nix-store --add-root .gc/hello_world -r " + script.path(), cmdline);
    assertFalse(cmdline.contains("{{"));
    assertFalse(cmdline.contains("--indirect"));

    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    Jobs.Run run = thermos(cmdline, sandbox, Map.of());
    assertEquals(0, run.exit(), run.stderr());
    Path root = sandbox.resolve(".gc/hello_world");
    assertTrue(Files.isSymbolicLink(root));
    assertEquals(script.path().toString(), Files.readSymbolicLink(root).toString());
  }

  @Test
  void theSandboxRootKeepsTheClosureThroughAGarbageCollection() throws Exception {
    // A chroot store is the agent: the closure is copied there, the init roots it, then GC.
    Path agent = tmp.resolve("agent-store");
    String script = hello.script("hello_world").path().toString();
    Jobs.nix(
        "nix",
        "--extra-experimental-features",
        "nix-command",
        "copy",
        "--no-check-sigs",
        "--to",
        agent.toString(),
        script);
    Map<String, String> agentEnv = Map.of("NIX_REMOTE", "local?root=" + agent);
    List<String> closure = List.of(Jobs.nix("nix-store", "-qR", script).strip().split("\n"));

    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    Jobs.Run init =
        thermos(
            provider(Map.of()).initCommand().cmdline(hello.script("hello_world")),
            sandbox,
            agentEnv);
    assertEquals(0, init.exit(), init.stderr());
    collectGarbage(agent);
    for (String p : closure) {
      assertTrue(Files.exists(agent.resolve(p.substring(1))), p + " was collected");
    }

    // Without the root the same collection removes the closure: the root is what kept it.
    Files.delete(sandbox.resolve(".gc/hello_world"));
    collectGarbage(agent);
    for (String p : closure) {
      assertFalse(Files.exists(agent.resolve(p.substring(1))), p + " survived without a root");
    }
  }

  /**
   * A garbage collection of the agent store that sees no process but its own: Nix counts every
   * store path named in any process's memory maps, environment or command line as a runtime root,
   * so a process of another test or program running hello_world would keep its closure alive. In a
   * PID namespace of its own, with its own /proc, only the GC roots count.
   */
  private static void collectGarbage(Path store) throws IOException, InterruptedException {
    List<String> command =
        List.of(
            "unshare",
            "--pid",
            "--fork",
            "--mount-proc",
            NixRunner.findBinDirectory().resolve("nix-store").toString(),
            "--store",
            store.toString(),
            "--gc");
    Jobs.Run r = Jobs.run(command, System.getenv(), null);
    if (r.exit() != 0 && r.stderr().contains("propagation")) {
      // Inside a chroot (.ci/nix-matrix) / is not a mount point, so unshare cannot make it
      // private; the matrix already runs the tests in a PID namespace and /proc of their own.
      command = command.subList(4, command.size());
      r = Jobs.run(command, System.getenv(), null);
    }
    assertEquals(0, r.exit(), command + " failed (needs root for unshare): " + r.stderr());
  }

  @Test
  void initFailsWithNixsMessageWhenThePathCannotBeRealised() throws Exception {
    Path empty = tmp.resolve("empty-store");
    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    Map<String, String> agentEnv =
        Map.of("NIX_REMOTE", "local?root=" + empty, "NIX_CONFIG", "substituters =");
    Jobs.Run run =
        thermos(
            provider(Map.of()).initCommand().cmdline(hello.script("hello_world")),
            sandbox,
            agentEnv);
    assertNotEquals(0, run.exit());
    assertTrue(run.stderr().contains("error:"), run.stderr());
    assertTrue(run.stderr().contains(hello.script("hello_world").path().toString()), run.stderr());
    assertFalse(Files.exists(sandbox.resolve(".gc/hello_world")));
  }

  @Test
  void daemonModeAndProfileScriptAreShellQuoted() throws Exception {
    NixInitCommand init =
        (NixInitCommand)
            provider(
                    Map.of(
                        "agent_nix_bin_dir", "/nix/var/nix/profiles/default/bin",
                        "daemon", "true",
                        "profile_script", "/home/vagrant/my profile's/nix.sh"))
                .initCommand();
    ProcessScript script =
        new ProcessScript("web server", hello.script("hello_world").path(), "x86_64-linux");
    assertEquals(
        ". '/home/vagrant/my profile'\\''s/nix.sh' && NIX_REMOTE=daemon"
            + " /nix/var/nix/profiles/default/bin/nix-store --add-root '.gc/web server' -r "
            + script.path(),
        init.cmdline(script));

    // The profile is sourced for real, and its failure stops the command (non-zero).
    Path profile = Files.writeString(tmp.resolve("nix.sh"), "export PROFILE_WAS_READ=1\n");
    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    NixInitCommand withProfile =
        NixInitCommand.builder().agentNixBinDir(Path.of(nixBin)).profileScript(profile).build();
    assertEquals(
        0, thermos(withProfile.cmdline(hello.script("hello_world")), sandbox, Map.of()).exit());
    NixInitCommand missingProfile =
        NixInitCommand.builder()
            .agentNixBinDir(Path.of(nixBin))
            .profileScript(tmp.resolve("missing.sh"))
            .build();
    Jobs.Run run = thermos(missingProfile.cmdline(hello.script("hello_world")), sandbox, Map.of());
    assertNotEquals(0, run.exit());
  }

  @Test
  void badSettingsNameTheirKey() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "daemon", "perhaps",
                "agent_nix_bin_dir", "relative/bin",
                "profile_script", "{{evil}}/nix.sh",
                "system", "x86 64 linux",
                "gc_roots_dir", "roots")
            .entrySet()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> provider(Map.of(bad.getKey(), bad.getValue())),
              bad.toString());
      assertTrue(e.getMessage().startsWith(bad.getKey() + ":"), e.getMessage());
    }
  }

  @Test
  void publishRootsEveryProcessAndReplacesRootsWhenTheJobIsRebuilt() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("two"),
            Jobs.HELLO_WORLD.replace(
                "processes = [",
                "processes = [ (Process { name = \"second\"; cmdline = \"${pkgs.hello}/bin/hello\"; })"));
    NixJobEvaluator evaluator = Jobs.evaluator(tmp.resolve("cache"));
    BuiltJob two = evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    LocalStoreProvider provider = provider(Map.of());
    Publication pub = provider.publish(two, EventListener.NONE);

    Path roots = tmp.resolve("roots/devcluster/vagrant/devel/hello_world");
    assertEquals(roots, provider.gcRootsOf(two.key()));
    for (String p : List.of("hello_world", "second")) {
      Path root = roots.resolve(p);
      assertEquals(two.script(p).path().toString(), Files.readSymbolicLink(root).toString());
      // Nix knows the root: the script is alive.
      String nixRoots = Jobs.nix("nix-store", "-q", "--roots", two.script(p).path().toString());
      assertTrue(nixRoots.contains(root.toString()), nixRoots);
    }
    assertTrue(pub.paths().contains(two.script("second").path()));
    assertTrue(pub.paths().size() >= 4, pub.paths().toString());
    assertEquals(provider.initCommand(), pub.initCommand());

    // Rebuilt without "second" and with an edited script: roots replaced, the stale one removed.
    Files.writeString(dir.resolve("default.nix"), Jobs.HELLO_WORLD);
    Files.writeString(dir.resolve("hello_world.py"), "print('edited')\n");
    BuiltJob one = evaluator.evaluate(JobSource.file(dir), EventListener.NONE);
    provider.publish(one, EventListener.NONE);
    assertEquals(
        one.script("hello_world").path().toString(),
        Files.readSymbolicLink(roots.resolve("hello_world")).toString());
    assertFalse(Files.exists(roots.resolve("second"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void dotDotAsRoleOrNameRootsInsideItsOwnDirectory() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("dotdot"),
            Jobs.HELLO_WORLD
                .replace("role = \"vagrant\"", "role = \"..\"")
                .replace("\"devel\"; name = \"hello_world\"", "\"devel\"; name = \"..\""));
    BuiltJob job =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    assertEquals("..", job.key().role());
    assertEquals("..", job.key().name());
    LocalStoreProvider provider = provider(Map.of());
    provider.publish(job, EventListener.NONE);
    Path roots = tmp.resolve("roots");
    Path expected = roots.resolve("devcluster/%2E./devel/%2E.");
    assertEquals(expected, provider.gcRootsOf(job.key()));
    try (var all = Files.walk(roots)) {
      assertTrue(Files.isSymbolicLink(expected.resolve("hello_world")), all.toList().toString());
    }
    try (var all = Files.walk(tmp)) {
      List<Path> links = all.filter(Files::isSymbolicLink).toList();
      assertEquals(List.of(expected.resolve("hello_world")), links, "a root outside its directory");
    }
    // Two keys that differ only in where a dot is never share a directory.
    var keys =
        List.of(
            new io.nixaurora.api.JobKey("devcluster", "..", "devel", "x"),
            new io.nixaurora.api.JobKey("devcluster", ".", "devel", "x"),
            new io.nixaurora.api.JobKey("devcluster", "x", "devel", ".."),
            new io.nixaurora.api.JobKey("..", "x", "devel", "x"),
            new io.nixaurora.api.JobKey("devcluster", "x", "devel", "x"));
    java.util.Set<Path> dirs = new java.util.HashSet<>();
    for (var key : keys) {
      Path d = provider.gcRootsOf(key);
      assertEquals(d, d.normalize(), key.toString());
      assertEquals(roots.getNameCount() + 4, d.getNameCount(), key.toString());
      assertTrue(d.startsWith(roots), key.toString());
      assertTrue(dirs.add(d), key + " shares " + d);
    }
  }

  @Test
  void retainedJobsAreListedAndReleasedOneByOne() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("dotdot"), Jobs.HELLO_WORLD.replace("role = \"vagrant\"", "role = \"..\""));
    BuiltJob dotdot =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    LocalStoreProvider provider = provider(Map.of());
    assertEquals(java.util.Set.of(), provider.retainedJobs());
    provider.publish(hello, EventListener.NONE);
    provider.publish(dotdot, EventListener.NONE);
    assertEquals(
        List.of(dotdot.key(), hello.key()),
        provider.retainedJobs().stream()
            .sorted(java.util.Comparator.comparing(Object::toString))
            .toList());

    assertTrue(provider.release(dotdot.key(), EventListener.NONE));
    assertEquals(java.util.Set.of(hello.key()), provider.retainedJobs());
    assertFalse(Files.exists(tmp.resolve("roots/devcluster/%2E.")), "empty directories left");
    assertTrue(Files.isSymbolicLink(provider.gcRootsOf(hello.key()).resolve("hello_world")));
    assertFalse(provider.release(dotdot.key(), EventListener.NONE), "released twice");
    assertTrue(provider.release(hello.key(), EventListener.NONE));
    assertTrue(Files.isDirectory(tmp.resolve("roots")), "gc_roots_dir itself stays");
    try (var left = Files.list(tmp.resolve("roots"))) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void publishRefusesAScriptThatIsNotInTheStoreAndWritesNothing() throws Exception {
    StorePath missing =
        StorePath.of("/nix/store/00000000000000000000000000000000-aurora-process-x");
    BuiltJob bogus =
        new BuiltJob(
            hello.job(),
            Map.of("hello_world", new ProcessScript("hello_world", missing, hello.system())),
            hello.system());
    StoreException e =
        assertThrows(
            StoreException.class, () -> provider(Map.of()).publish(bogus, EventListener.NONE));
    assertTrue(
        e.getMessage().contains(missing + " is not valid in the local store"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("roots")));
  }

  @Test
  void aJobBuiltForAnotherSystemIsRefusedNamingBoth() throws Exception {
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class, () -> Systems.requireCompatible(hello, "aarch64-linux"));
    assertTrue(e.getMessage().contains("built for " + hello.system()), e.getMessage());
    assertTrue(e.getMessage().contains("run aarch64-linux"), e.getMessage());

    StoreException s =
        assertThrows(
            StoreException.class,
            () -> provider(Map.of("system", "aarch64-linux")).publish(hello, EventListener.NONE));
    assertTrue(s.getMessage().contains("aarch64-linux"), s.getMessage());
    assertFalse(Files.exists(tmp.resolve("roots")));
    Systems.requireCompatible(hello, Systems.DEFAULT);
  }

  @Test
  void theInitCommandNeverEmitsATemplate() {
    ProcessScript script =
        new ProcessScript("{{evil}}", hello.script("hello_world").path(), hello.system());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> provider(Map.of()).initCommand().cmdline(script));
    assertTrue(e.getMessage().contains("{{"), e.getMessage());
  }
}
