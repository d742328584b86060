package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.NixException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Nix's flake errors read to the user, for the texts no Nix on this machine prints (a Nix older
 * than flakes; the messages of a lock check that failed). Each is one line naming the flake or its
 * lock file, exit 3.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class FlakeJobsIT {

  @TempDir Path tmp;

  private FlakeJobs.Resolved flake() throws Exception {
    Files.writeString(tmp.resolve("flake.nix"), "{ outputs = _: { }; }");
    return new FlakeJobs.Resolved("path:" + tmp, tmp.toString(), Optional.of(tmp));
  }

  private NixException describe(String nixSays) throws Exception {
    return FlakeJobs.describe(NixRunner.onPath(), flake(), new NixException(nixSays, null, false));
  }

  @Test
  void aNixWithoutFlakesIsTooOld() throws Exception {
    // Nix 2.3 knows neither the option nor the command
    for (String said :
        new String[] {
          "error: unrecognised flag '--extra-experimental-features'\n"
              + "Try 'nix --help' for more information.",
          "error: 'flake' is not a recognised command\nTry 'nix --help' for more information."
        }) {
      NixException e = describe(said);
      assertTrue(e.getMessage().startsWith(tmp + ": this Nix (Nix "), e.getMessage());
      assertTrue(
          e.getMessage().endsWith("is too old for flake jobs; flakes need Nix 2.4 or later"),
          e.getMessage());
      assertEquals(3, e.exitCode());
    }
  }

  @Test
  void aLockThatWouldChangeNamesTheLockFile() throws Exception {
    // 2.26 and later put the trace first and the error last
    String said =
        "error:\n       … while updating the lock file of flake 'path:"
            + tmp
            + "?lastModified=1'\n\n       error: flake 'path:"
            + tmp
            + "' requires lock file changes but they're not allowed due to"
            + " '--no-update-lock-file'";
    NixException missing = describe(said);
    assertEquals(
        tmp.resolve("flake.lock")
            + " is missing (nix-aurora never changes it): run nix --extra-experimental-features"
            + " 'nix-command flakes' flake lock "
            + tmp,
        missing.getMessage());
    Files.writeString(tmp.resolve("flake.lock"), "{}");
    assertTrue(
        describe(said).getMessage().startsWith(tmp.resolve("flake.lock") + " is out of date"));
    assertEquals(3, missing.exitCode());
  }

  @Test
  void aLockFromANewerNixThatThisOneRefusesNamesTheLockFile() throws Exception {
    // Nix 2.8 reading a lock written by 2.26+ for a relative path input
    NixException e =
        describe(
            "error: lockfile contains mutable lock '{\"path\":\"./nixpkgs\",\"type\":\"path\"}'");
    assertTrue(
        e.getMessage()
            .startsWith(tmp.resolve("flake.lock") + " has an input locked without a hash"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertEquals(3, e.exitCode());
  }

  @Test
  void anyOtherFlakeErrorIsItsFirstLineNamingTheFlake() throws Exception {
    NixException e = describe("error: cannot find flake 'flake:nope' in the flake registries");
    assertEquals(tmp + ": cannot find flake 'flake:nope' in the flake registries", e.getMessage());
    assertEquals(3, e.exitCode());
  }

  @Test
  void anErrorInFlakeNixNamesTheUsersFileAndLine() throws Exception {
    NixException e =
        describe(
            "error: syntax error, unexpected '}'\n\n       at"
                + " /nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/flake.nix:3:1:\n");
    assertEquals(tmp.resolve("flake.nix") + ":3:1: syntax error, unexpected '}'", e.getMessage());
    assertEquals(3, e.exitCode());
  }
}
