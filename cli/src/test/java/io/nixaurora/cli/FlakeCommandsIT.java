package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs in flakes ({@code DIR#NAME}) and {@code --nixpkgs} through the commands, with real Nix, the
 * fake aurora client and a file:// binary cache. The flakes are copies of examples/flake in the
 * test's own directory, offline: their nixpkgs input is the offline stand-in as a flake.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlakeCommandsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "devcluster/vagrant/devel/hello_flake";
  private static final String EXPERIMENTAL = "nix-command flakes";

  @TempDir Path tmp;

  private static String helloOf(JsonNode config) {
    for (JsonNode p : config.get("task").get("processes")) {
      if (p.get("name").asText().equals("hello")) {
        String cmdline = p.get("cmdline").asText();
        return cmdline.substring(0, cmdline.indexOf("/bin/hello"));
      }
    }
    throw new AssertionError("no hello process in " + config);
  }

  @Test
  void buildsTheExampleFlakesJobWithPkgsFromItsLockedInput() throws Exception {
    Cli cli = new Cli(tmp);
    Path flake = copyExample(cli.workingDirectory.resolve("flake"));
    byte[] lock = Files.readAllBytes(flake.resolve("flake.lock"));

    Cli.Result r = cli.run("build", "flake#hello");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode config = JSON.readTree(r.out());
    assertEquals("hello_flake", config.get("name").asText());
    assertTrue(helloOf(config).endsWith("-hello-offline-2.12"), r.out());
    assertTrue(r.err().contains("built " + KEY), r.err());
    assertArrayEquals(lock, Files.readAllBytes(flake.resolve("flake.lock")));

    // '#NAME' alone is the working directory's flake, as with nix build
    Cli inFlake = new Cli(tmp.resolve("second"));
    copyExample(inFlake.workingDirectory);
    Cli.Result here = inFlake.run("build", "#hello");
    assertEquals(0, here.exitCode(), here.toString());
    assertEquals(helloOf(config), helloOf(JSON.readTree(here.out())));
  }

  @Test
  void createsUpdatesAndDiffsAFlakeJobAndSeesANewLockAsAChange() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path flake = copyWithAbsoluteInput(tmp.resolve("f"));
    lock(flake);
    cli.config(
        """
        {"clusters": {"devcluster": {"aurora_binary": "%s", "gc_roots_dir": "%s"}}}
        """
            .formatted(aurora.executable, tmp.resolve("gcroots")));
    String job = flake + "#hello";

    Cli.Result create = cli.run("create", KEY, job);
    assertEquals(0, create.exitCode(), create.toString());
    assertEquals(List.of("job", "create", "--read-json", KEY), aurora.calls().get(0).subList(0, 4));
    JsonNode submitted = JSON.readTree(aurora.config(1));
    String pinned = helloOf(submitted);
    assertTrue(pinned.endsWith("-hello-offline-2.12"), pinned);

    // a newer input that is not locked changes nothing: flake.lock pins the job's pkgs
    Path standIn = flake.resolveSibling("stand-in").resolve("default.nix");
    Files.writeString(
        standIn, Files.readString(standIn).replace("Hello, world!", "Hello from the new lock!"));
    Cli.Result same = cli.run("diff", KEY, job);
    assertEquals(0, same.exitCode(), same.toString());
    assertTrue(same.out().contains("no changes"), same.out());

    // the user moves the lock: the configuration changes, and update rolls it out
    Files.delete(flake.resolve("flake.lock"));
    lock(flake);
    Cli.Result changed = cli.run("diff", KEY, job);
    assertEquals(0, changed.exitCode(), changed.toString());
    assertFalse(changed.out().contains("no changes"), changed.out());
    Cli.Result update = cli.run("update", KEY, job);
    assertEquals(0, update.exitCode(), update.toString());
    List<List<String>> calls = aurora.calls();
    assertEquals(List.of("update", "start", "--read-json", KEY), calls.get(2).subList(0, 4));
    String moved = helloOf(JSON.readTree(aurora.config(3)));
    assertNotEquals(pinned, moved);
    assertTrue(
        Files.readString(Path.of(moved, "bin/hello")).contains("Hello from the new lock!"), moved);
  }

  @Test
  void createPushesAFlakeJobsClosureToAFileCache() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path flake = copyExample(tmp.resolve("flake"));
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Cli.Result keygen =
        cli.run("cache", "keygen", "flake-cache-1", "--out-dir", tmp.resolve("keys").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String publicKey = keygen.out().strip();
    cli.config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "file://%s",
          "secret_key_file": "%s", "aurora_binary": "%s"}}}
        """
            .formatted(cache, tmp.resolve("keys/flake-cache-1.sec"), aurora.executable));

    Cli.Result r = cli.run("create", KEY, flake + "#hello");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("pushed "), r.err());
    String hello = helloOf(JSON.readTree(aurora.config(1)));
    // the flake input's package is in the cache, signed: verify checks every narinfo
    String hash = Path.of(hello).getFileName().toString().substring(0, 32);
    assertTrue(Files.exists(cache.resolve(hash + ".narinfo")), hello);
    Cli.Result verify = cli.run("cache", "verify", "file://" + cache, "--public-key", publicKey);
    assertEquals(0, verify.exitCode(), verify.toString());
  }

  @Test
  void aNixpkgsPathIsTheJobsPkgsFromTheCommandLineOrTheConfigFile() throws Exception {
    Cli cli = new Cli(tmp);
    Path pinned = Files.createDirectories(cli.workingDirectory.resolve("pinned-nixpkgs"));
    String name = "hello-pinned-" + System.nanoTime();
    Files.writeString(
        pinned.resolve("default.nix"),
        """
        { system ? builtins.currentSystem }: {
          hello = derivation {
            name = "%s"; inherit system; builder = "/bin/sh";
            args = [ "-c" "/bin/mkdir -p $out/bin; echo 'echo pinned' > $out/bin/hello" ];
          };
        }
        """
            .formatted(name));
    Path job = Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "nixpkgs").getParent();

    Cli.Result flag = cli.run("build", job.toString(), "--nixpkgs", "./pinned-nixpkgs");
    assertEquals(0, flag.exitCode(), flag.toString());
    assertTrue(helloOf(JSON.readTree(flag.out())).endsWith("-" + name), flag.out());

    // the setting: a relative path is relative to the configuration file
    Path configDir = Files.createDirectories(tmp.resolve("etc"));
    Files.move(pinned, configDir.resolve("pinned-nixpkgs"));
    Files.writeString(
        configDir.resolve("config.json"), "{\"defaults\": {\"nixpkgs\": \"pinned-nixpkgs\"}}");
    Cli.Result setting =
        cli.run("build", job.toString(), "--config", configDir.resolve("config.json").toString());
    assertEquals(0, setting.exitCode(), setting.toString());
    assertTrue(helloOf(JSON.readTree(setting.out())).endsWith("-" + name), setting.out());

    // without a pin, pkgs is not the pinned set
    Cli.Result unpinned = cli.run("build", job.toString());
    assertEquals(0, unpinned.exitCode(), unpinned.toString());
    assertFalse(unpinned.out().contains(name), unpinned.out());
  }

  @Test
  void badFlakeJobsAndNixpkgsAreOneLineWithExitThree() throws Exception {
    Cli cli = new Cli(tmp);
    Path flake = copyExample(cli.workingDirectory.resolve("flake"));
    Files.createDirectories(cli.workingDirectory.resolve("plain"));
    Path unlocked = copyWithAbsoluteInput(tmp.resolve("u"));

    assertOneLine(
        cli.run("build", "flake#nope"), flake.resolve("flake.nix") + ": has no output auroraJobs.");
    assertOneLine(
        cli.run("build", "plain#hello"),
        cli.workingDirectory.resolve("plain/flake.nix") + " does not exist");
    assertOneLine(
        cli.run("build", unlocked + "#hello"), unlocked.resolve("flake.lock") + " is missing");
    assertFalse(Files.exists(unlocked.resolve("flake.lock")), "nix-aurora wrote flake.lock");
    assertOneLine(
        cli.run("build", "flake#hello", "--nixpkgs", "./flake/nixpkgs"),
        "--nixpkgs does not apply to the flake job");
    assertOneLine(
        cli.run("build", "flake/hello.nix", "--nixpkgs", "./missing"),
        "--nixpkgs ./missing: " + cli.workingDirectory.resolve("missing") + " does not exist");
    Cli.Result key = cli.run("create", KEY, "flake#nope", "--dry-run");
    assertEquals(3, key.exitCode(), key.toString());
  }

  private static void assertOneLine(Cli.Result r, String start) {
    assertEquals(3, r.exitCode(), r.toString());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), r.err());
    assertTrue(errors.get(0).startsWith("error: " + start), r.err());
    assertEquals("", r.out());
  }

  /** examples/flake with its lock file, as a user's checkout of it. */
  static Path copyExample(Path target) throws IOException {
    Path example = Fixtures.repository().resolve("examples/flake");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(example.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }

  /**
   * A copy of the example whose nixpkgs input is a stand-in directory beside it, named by absolute
   * path (an input of its own, pinned by its hash in flake.lock on every Nix), not yet locked.
   */
  static Path copyWithAbsoluteInput(Path root) throws IOException {
    Path flake = copyExample(root.resolve("flake"));
    Path standIn = root.resolve("stand-in");
    Files.move(flake.resolve("nixpkgs"), standIn);
    Files.delete(flake.resolve("flake.lock"));
    Path nix = flake.resolve("flake.nix");
    String text = Files.readString(nix);
    assertTrue(text.contains("\"path:./nixpkgs\""));
    Files.writeString(nix, text.replace("\"path:./nixpkgs\"", "\"path:" + standIn + "\""));
    return flake;
  }

  /** What a user does to pin or move the inputs: nix flake lock. */
  static void lock(Path flake) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("nix");
    command.addAll(List.of("--extra-experimental-features", EXPERIMENTAL));
    command.addAll(List.of("flake", "lock", "path:" + flake));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "nix flake lock timed out");
    assertEquals(0, p.exitValue(), output);
  }
}
