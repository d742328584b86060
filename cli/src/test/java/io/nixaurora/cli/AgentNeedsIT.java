package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent-config} and {@code doctor} say what an agent needs: a running nix-daemon for role
 * users that do not own the store, and why ("…/daemon-socket/socket: Permission denied"); the
 * explanation is checked against what Nix really says when a role user runs the init without one.
 */
class AgentNeedsIT {

  @TempDir Path tmp;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void agentConfigAndDoctorSayThatRoleUsersNeedTheDaemon() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config("{\"clusters\": {\"single\": {}, \"multi\": {\"daemon\": true}}}");

    Cli.Result single = cli.run("agent-config", "single");
    assertEquals(0, single.exitCode(), single.toString());
    assertTrue(single.out().contains("daemon = false"), single.out());
    assertTrue(
        single.out().contains("/nix/var/nix/daemon-socket/socket: Permission denied"),
        single.out());
    assertTrue(single.out().lines().allMatch(l -> l.startsWith("#")), single.out());

    Cli.Result multi = cli.run("agent-config", "multi");
    assertEquals(0, multi.exitCode(), multi.toString());
    assertTrue(multi.out().contains("# agents need a running nix-daemon"), multi.out());
    assertTrue(multi.out().contains("NIX_DAEMON_SOCKET_PATH"), multi.out());
    assertFalse(multi.out().contains("Permission denied"), multi.out());

    Cli.Result doctor = cli.run("doctor", "single");
    assertTrue(
        doctor.out().contains("--    daemon = false: the init runs nix-store as the task's role"),
        doctor.out());
    Cli.Result doctorMulti = cli.run("doctor", "multi");
    assertTrue(
        doctorMulti.out().contains("--    agents need a running nix-daemon"), doctorMulti.out());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void theFailureExplainedIsWhatNixSaysToARoleUserWithoutADaemon() throws Exception {
    assertFalse(
        Files.exists(Path.of(AgentNeeds.DEFAULT_SOCKET)),
        "this test shows what a role user meets on an agent without a nix-daemon; this machine"
            + " runs one on the default socket");
    String user = "na-thermos-role";
    if (new ProcessBuilder("id", "-u", user).start().waitFor() != 0) {
      Process add =
          new ProcessBuilder(
                  "useradd", "--system", "--no-create-home", "--shell", "/bin/bash", user)
              .inheritIO()
              .start();
      assertEquals(0, add.waitFor(), "cannot create the role user " + user);
    }
    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxrwxrwx"));
    // The local provider's init with daemon = false, as Thermos runs it: bash -c, in the
    // sandbox, as the role user, environment cleared. The store path need not exist: Nix fails
    // opening the store first.
    Path out = tmp.resolve("out");
    Process p =
        new ProcessBuilder(
                "runuser",
                "-u",
                user,
                "--",
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                "HOME=" + sandbox,
                "/bin/bash",
                "-c",
                "cd "
                    + sandbox
                    + " && /usr/bin/nix-store --add-root .gc/p -r"
                    + " /nix/store/00000000000000000000000000000000-aurora-process-p")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String said = Files.readString(out);
    assertTrue(p.exitValue() != 0, said);
    assertTrue(said.contains(AgentNeeds.DEFAULT_SOCKET + ": Permission denied"), said);
  }
}
