package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs in flakes and pinned package sets, with real Nix and offline flakes: the example flake
 * (examples/flake, its nixpkgs input the offline stand-in as a flake), copies of it whose nixpkgs
 * input is a directory of the test's own, and a {@code --nixpkgs} path.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlakeJobIT {

  /** The example flake (nix-local's tests run in nix-local/). */
  static final Path EXAMPLE = Path.of("").toAbsolutePath().resolveSibling("examples/flake");

  @TempDir Path tmp;

  private NixJobEvaluator evaluator() {
    return Jobs.evaluator(tmp.resolve("cache"));
  }

  private static String hello(BuiltJob built) {
    String cmdline = built.job().task().processes().get(0).cmdline().text();
    return cmdline.substring(0, cmdline.indexOf("/bin/hello"));
  }

  @Test
  void theExampleFlakeJobGetsItsLockedStandInAndTheLockFileIsNotTouched() throws Exception {
    byte[] lock = Files.readAllBytes(EXAMPLE.resolve("flake.lock"));
    Jobs.Recorder events = new Jobs.Recorder();
    BuiltJob built = evaluator().evaluate(JobSource.flake(EXAMPLE.toString(), "hello"), events);

    assertEquals("devcluster/vagrant/devel/hello_flake", built.key().toString());
    String hello = hello(built);
    assertTrue(hello.endsWith("-hello-offline-2.12"), hello);
    assertEquals(
        "#!/bin/sh\n# nix-aurora offline stand-in for GNU hello.\necho \"Hello, world!\"\n",
        Files.readString(Path.of(hello, "bin/hello")));
    // the process script's closure holds the package from the flake's input
    String script = built.script("hello").path().toString();
    assertTrue(Jobs.nix("nix-store", "-qR", script).contains(hello));
    assertArrayEquals(lock, Files.readAllBytes(EXAMPLE.resolve("flake.lock")));
    assertTrue(
        events.all().stream()
            .anyMatch(e -> e.toString().contains("pkgs is the flake's nixpkgs input")),
        events.all().toString());
    assertFalse(
        events.all().stream().anyMatch(e -> e.toString().contains("not on NIX_PATH")),
        "a flake job does not fall back to NIX_PATH or the built-in stand-in");
  }

  @Test
  void theExampleStandInIsNixAurorasOfflinePackageSet() throws Exception {
    // examples/flake/nixpkgs/default.nix is a copy so the example stays self-contained
    try (InputStream in = NixLibrary.class.getResourceAsStream("offline-pkgs.nix")) {
      assertArrayEquals(
          in.readAllBytes(), Files.readAllBytes(EXAMPLE.resolve("nixpkgs/default.nix")));
    }
  }

  @Test
  void flakeLockPinsTheInputAndRelockingChangesTheJob() throws Exception {
    Path flake = copyWithAbsoluteInput(tmp.resolve("f"));
    Path input = flake.resolveSibling("stand-in");
    lock(flake);
    NixJobEvaluator evaluator = evaluator();
    BuiltJob first =
        evaluator.evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE);

    // the input changes, the lock does not: the job is the same (flake.lock pins it)
    Path pkgs = input.resolve("default.nix");
    Files.writeString(
        pkgs, Files.readString(pkgs).replace("Hello, world!", "Hello from a newer input!"));
    BuiltJob pinned =
        evaluator.evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE);
    assertEquals(first, pinned);

    // the lock is updated (as a user would): the job's package and script change
    Files.delete(flake.resolve("flake.lock"));
    lock(flake);
    BuiltJob relocked =
        evaluator.evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE);
    assertNotEquals(hello(first), hello(relocked));
    assertNotEquals(first.script("hello").path(), relocked.script("hello").path());
    assertTrue(
        Files.readString(Path.of(hello(relocked), "bin/hello"))
            .contains("Hello from a newer input!"));
  }

  @Test
  void aMissingLockFileIsOneLineAndNixAuroraDoesNotWriteIt() throws Exception {
    Path flake = copyWithAbsoluteInput(tmp.resolve("f"));
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                evaluator()
                    .evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE));
    assertEquals(
        flake.resolve("flake.lock")
            + " is missing (nix-aurora never changes it): run nix --extra-experimental-features"
            + " 'nix-command flakes' flake lock "
            + flake,
        e.getMessage());
    assertEquals(3, e.exitCode());
    assertFalse(Files.exists(flake.resolve("flake.lock")));
  }

  @Test
  void aFlakeLockMissingAnInputIsOutOfDate() throws Exception {
    Path flake = copyWithAbsoluteInput(tmp.resolve("f"));
    lock(flake);
    byte[] lock = Files.readAllBytes(flake.resolve("flake.lock"));
    Path nix = flake.resolve("flake.nix");
    Files.writeString(
        nix,
        Files.readString(nix)
            .replace(
                "inputs.nixpkgs.url",
                "inputs.other.url = \"path:"
                    + flake.resolveSibling("stand-in")
                    + "\";\n  inputs.nixpkgs.url")
            .replace("{ self, nixpkgs }", "{ self, nixpkgs, ... }"));
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                evaluator()
                    .evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE));
    assertTrue(
        e.getMessage().startsWith(flake.resolve("flake.lock") + " is out of date"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertArrayEquals(lock, Files.readAllBytes(flake.resolve("flake.lock")));
  }

  @Test
  void noSuchJobNamesTheFlakeAndItsJobs() {
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                evaluator()
                    .evaluate(JobSource.flake(EXAMPLE.toString(), "helo"), EventListener.NONE));
    String system =
        System.getProperty("os.arch").equals("aarch64") ? "aarch64-linux" : "x86_64-linux";
    assertEquals(
        EXAMPLE.resolve("flake.nix")
            + ": has no output auroraJobs."
            + system
            + ".helo (its jobs: hello) (job "
            + EXAMPLE
            + "#helo)",
        e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void aDirectoryWithoutFlakeNixIsNamed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("not-a-flake"));
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                evaluator().evaluate(JobSource.flake(dir.toString(), "hello"), EventListener.NONE));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("flake.nix") + ": no such file"), e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void anErrorInTheFlakesJobFileNamesTheUsersFileNotTheStoreCopy() throws Exception {
    Path flake = copyWithAbsoluteInput(tmp.resolve("f"));
    lock(flake);
    Path job = flake.resolve("hello.nix");
    // a syntax error: where Nix reports it does not depend on aurora.nix's checks
    Files.writeString(job, Files.readString(job).replace("name = \"hello\";", "name = \"hello\""));
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                evaluator()
                    .evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE));
    assertTrue(e.getMessage().startsWith(job + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void aSyntaxErrorInFlakeNixNamesTheUsersFlakeNixAndLine() throws Exception {
    Path flake = copyWithAbsoluteInput(tmp.resolve("f"));
    lock(flake);
    Path nix = flake.resolve("flake.nix");
    Files.writeString(nix, Files.readString(nix).replace("auroraJobs = ", "auroraJobs = = "));
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                evaluator()
                    .evaluate(JobSource.flake(flake.toString(), "hello"), EventListener.NONE));
    assertTrue(
        e.getMessage().matches(Pattern.quote(nix.toString()) + ":\\d+:\\d+: syntax error.*"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void aNixpkgsPathIsThePkgsOfAFileJob() throws Exception {
    Path pinned = Files.createDirectories(tmp.resolve("my-nixpkgs"));
    Files.writeString(
        pinned.resolve("default.nix"),
        """
        { system ? builtins.currentSystem }: {
          hello = derivation {
            name = "hello-pinned-%d"; inherit system; builder = "/bin/sh";
            args = [ "-c" "/bin/mkdir -p $out/bin; printf '#!/bin/sh\\necho pinned\\n' > $out/bin/hello" ];
          };
        }
        """
            .formatted(System.nanoTime()));
    Path job =
        Jobs.jobDir(
            tmp.resolve("job"),
            Jobs.HELLO_WORLD.replace("${pkgs.python3}/bin/python3", "${pkgs.hello}/bin/hello"));
    NixJobEvaluator pinnedEvaluator =
        evaluator().withNixpkgs(Nixpkgs.parse(pinned.toString(), tmp, tmp));
    BuiltJob built = pinnedEvaluator.evaluate(JobSource.file(job), EventListener.NONE);
    String cmdline = built.job().task().processes().get(0).cmdline().text();
    assertTrue(cmdline.matches("/nix/store/[a-z0-9]+-hello-pinned-\\d+/bin/hello .*"), cmdline);

    // the same job without the pin gets another package set (NIX_PATH or the stand-in)
    BuiltJob unpinned = evaluator().evaluate(JobSource.file(job), EventListener.NONE);
    assertFalse(unpinned.job().task().processes().get(0).cmdline().text().contains("hello-pinned"));

    // a flake reference: the stand-in flake's legacyPackages
    NixJobEvaluator flakeEvaluator =
        evaluator().withNixpkgs(Nixpkgs.parse("path:" + EXAMPLE.resolve("nixpkgs"), tmp, tmp));
    String viaFlake =
        flakeEvaluator
            .evaluate(JobSource.file(job), EventListener.NONE)
            .job()
            .task()
            .processes()
            .get(0)
            .cmdline()
            .text();
    assertTrue(
        viaFlake.matches("/nix/store/[a-z0-9]+-hello-offline-2\\.12/bin/hello .*"), viaFlake);
  }

  @Test
  void nixpkgsValuesArePathsOrFlakeReferences() throws Exception {
    Path home = tmp.resolve("home");
    Path checkout = Files.createDirectories(tmp.resolve("nixpkgs"));
    Files.writeString(checkout.resolve("default.nix"), "{ ... }: { }");
    Path flakeOnly = Files.createDirectories(tmp.resolve("flake-only"));
    Files.writeString(flakeOnly.resolve("flake.nix"), "{ outputs = _: { }; }");
    assertEquals(new Nixpkgs.Imported(checkout), Nixpkgs.parse("./nixpkgs", tmp, home));
    assertEquals(new Nixpkgs.Imported(checkout), Nixpkgs.parse("nixpkgs", tmp, home));
    assertEquals(new Nixpkgs.Imported(checkout), Nixpkgs.parse(checkout.toString(), tmp, home));
    assertEquals(new Nixpkgs.Flake("path:" + flakeOnly), Nixpkgs.parse("flake-only", tmp, home));
    assertEquals(
        new Nixpkgs.Flake("github:NixOS/nixpkgs/nixos-24.05"),
        Nixpkgs.parse("github:NixOS/nixpkgs/nixos-24.05", tmp, home));
    assertEquals(new Nixpkgs.Flake("path:" + checkout), Nixpkgs.parse("path:nixpkgs", tmp, home));
    assertEquals(
        new Nixpkgs.Flake("nixpkgs/nixos-24.05"), Nixpkgs.parse("nixpkgs/nixos-24.05", home, home));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> Nixpkgs.parse("./nope", tmp, home));
    assertEquals(tmp.resolve("nope") + " does not exist", missing.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThrows(IllegalArgumentException.class, () -> Nixpkgs.parse(empty.toString(), tmp, home));
  }

  /**
   * A copy of the example whose nixpkgs input is a stand-in directory beside it, named by absolute
   * path (an input of its own, locked by its hash on every Nix version), without a lock file.
   */
  static Path copyWithAbsoluteInput(Path root) throws IOException {
    Path flake = Files.createDirectories(root.resolve("flake"));
    Path standIn = Files.createDirectories(root.resolve("stand-in"));
    for (String f : List.of("flake.nix", "hello.nix")) {
      Files.copy(EXAMPLE.resolve(f), flake.resolve(f));
    }
    for (String f : List.of("flake.nix", "default.nix")) {
      Files.copy(EXAMPLE.resolve("nixpkgs").resolve(f), standIn.resolve(f));
    }
    Path nix = flake.resolve("flake.nix");
    String text = Files.readString(nix);
    assertTrue(text.contains("\"path:./nixpkgs\""));
    Files.writeString(nix, text.replace("\"path:./nixpkgs\"", "\"path:" + standIn + "\""));
    return flake;
  }

  /** What a user does to pin (or move) the inputs: nix flake lock. */
  static void lock(Path flake) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(NixRunner.findBinDirectory().resolve("nix").toString());
    command.addAll(FlakeJobs.EXPERIMENTAL);
    command.addAll(List.of("flake", "lock", "path:" + flake));
    Jobs.Run r = Jobs.run(command, System.getenv(), null);
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(Files.exists(flake.resolve("flake.lock")));
  }
}
