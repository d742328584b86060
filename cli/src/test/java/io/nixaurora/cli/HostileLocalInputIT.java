package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.JobKey;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Local files and arguments an attacker or a typo controls (issue 12). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileLocalInputIT {

  @TempDir Path tmp;

  @Test
  void keygenDoesNotFollowADanglingPublicKeySymlink() throws Exception {
    Cli cli = new Cli(tmp.resolve("cli"));
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Path elsewhere = tmp.resolve("elsewhere/created-by-keygen");
    Files.createDirectories(elsewhere.getParent());
    Files.createSymbolicLink(keys.resolve("k.pub"), elsewhere);
    Cli.Result r = cli.run("cache", "keygen", "k", "--out-dir", keys.toString());
    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.err().contains("k.pub already exists"), r.err());
    assertFalse(Files.exists(elsewhere, LinkOption.NOFOLLOW_LINKS), "the link's target was made");
    assertFalse(Files.exists(keys.resolve("k.sec"), LinkOption.NOFOLLOW_LINKS), "half a key");
    try (var left = Files.list(keys)) {
      assertEquals(List.of(keys.resolve("k.pub")), left.toList(), "temporary files left");
    }
    // The same for the secret side, and a fresh name still works.
    Files.createSymbolicLink(keys.resolve("s.sec"), tmp.resolve("elsewhere/secret"));
    assertEquals(4, cli.run("cache", "keygen", "s", "--out-dir", keys.toString()).exitCode());
    assertFalse(Files.exists(tmp.resolve("elsewhere/secret"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, cli.run("cache", "keygen", "fresh", "--out-dir", keys.toString()).exitCode());
    assertTrue(Files.isRegularFile(keys.resolve("fresh.sec"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isRegularFile(keys.resolve("fresh.pub"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void stateFilesOfDotKeysStayInsideAndApart() throws Exception {
    Cli cli = new Cli(tmp.resolve("cli"));
    SubmittedConfigs configs = new SubmittedConfigs(cli.environment());
    Path jobs = cli.environment().stateDirectory().resolve("jobs");
    Set<Path> files = new HashSet<>();
    for (JobKey key :
        List.of(
            new JobKey("devcluster", "..", "devel", ".."),
            new JobKey("devcluster", ".", "devel", "x"),
            new JobKey("devcluster", "x", "devel", "."),
            new JobKey("..", "..", "devel", "x"),
            new JobKey("devcluster", "x", "devel", "x"))) {
      Path file = configs.file(key);
      assertEquals(file, file.normalize(), key.toString());
      assertEquals(jobs.getNameCount() + 4, file.getNameCount(), key.toString());
      assertTrue(file.startsWith(jobs), key.toString());
      assertTrue(files.add(file), key + " shares " + file);
    }
  }

  @Test
  void homeIsTheEnvironmentsHome() throws Exception {
    // The JVM's user.home is the passwd entry's; $HOME is what the user (and the aurora client)
    // mean, also for ~/.aurora/clusters.json, ~/.netrc and the caches.
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path job = Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "home").getParent();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "build",
                job.toString(),
                "--quiet")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(tmp.resolve("stderr").toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("XDG_CACHE_HOME");
    pb.environment().remove("XDG_CONFIG_HOME");
    Process p = pb.start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "build did not finish");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("stderr")));
    assertTrue(
        Files.isDirectory(home.resolve(".cache/nix-aurora")),
        "the Nix library was not put under $HOME/.cache");
  }
}
