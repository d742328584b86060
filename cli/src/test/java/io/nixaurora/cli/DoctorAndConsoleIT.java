package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor, the completion script in bash, and how the console renders events. */
@org.junit.jupiter.api.Timeout(value = 600, unit = java.util.concurrent.TimeUnit.SECONDS)
class DoctorAndConsoleIT {

  @TempDir Path tmp;

  private Cli cacheCluster(String secretKeyFile) throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Path auroraConfig = Files.createDirectories(tmp.resolve("etc-aurora"));
    Files.writeString(
        auroraConfig.resolve("clusters.json"),
        "[{\"name\": \"devcluster\", \"scheduler_uri\": \"http://127.0.0.1:9\"}]");
    assertEquals(
        0,
        cli.run("cache", "keygen", "doc-1", "--out-dir", tmp.resolve("keys").toString())
            .exitCode());
    cli.config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "file://%s",
          "secret_key_file": "%s", "aurora_binary": "%s", "aurora_config_root": "%s"}}}
        """
            .formatted(
                cache,
                secretKeyFile.replace("@KEYS@", tmp.resolve("keys").toString()),
                aurora.executable,
                auroraConfig));
    return cli;
  }

  @Test
  void doctorPassesOnAGoodSetup() throws Exception {
    Cli cli = cacheCluster("@KEYS@/doc-1.sec");
    Cli.Result r = cli.run("doctor", "devcluster");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("ok    Nix: nix-store (Nix)"), r.out());
    assertTrue(r.out().contains("ok    signing key"), r.out());
    assertTrue(r.out().contains("ok    aurora client: "), r.out());
    assertTrue(r.out().contains("ok    clusters.json lists devcluster"), r.out());
    assertFalse(r.out().contains("FAIL"), r.out());
  }

  @Test
  void doctorSaysHowToFixEachFailure() throws Exception {
    Cli cli = cacheCluster("@KEYS@/missing.sec");
    Cli.Result r = cli.run("doctor", "devcluster", "--set", "aurora_binary=/nonexistent/aurora");
    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.out().contains("FAIL  signing key: secret_key_file"), r.out());
    assertTrue(r.out().contains("FAIL  aurora client '/nonexistent/aurora' not found"), r.out());
    assertTrue(r.out().lines().filter(l -> l.contains("fix: ")).count() >= 2, r.out());
    assertTrue(r.err().contains("2 check(s) failed"), r.err());
  }

  @Test
  void theCompletionScriptLoadsInBash() throws Exception {
    Cli.Result r = new Cli(tmp).run("completion");
    Path script = Files.writeString(tmp.resolve("completion.bash"), r.out());
    Process bash =
        new ProcessBuilder("bash", "-c", "source " + script + " && complete -p nix-aurora")
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes());
    assertEquals(0, bash.waitFor(), out);
    assertTrue(out.contains("nix-aurora"), out);
  }

  @Test
  void progressIsDrawnOnlyOnATerminalAndLogLevelsFollowTheFlags() {
    GlobalOptions quiet = new GlobalOptions();
    quiet.quiet(true);
    GlobalOptions verbose = new GlobalOptions();
    verbose.verbose(true);
    for (boolean terminal : new boolean[] {true, false}) {
      StringWriter err = new StringWriter();
      Environment env = new Environment(tmp, tmp, Map.of(), terminal);
      ConsoleListener console =
          new ConsoleListener(new PrintWriter(err, true), new GlobalOptions(), env);
      console.on(
          new ProgressEvent(
              "push",
              "/nix/store/fgjal7xp4crq1yqxwpg2483w070s0lif-big-2621",
              5,
              10,
              ProgressEvent.Unit.PATHS));
      console.on(LogEvent.info("pushed 10 paths"));
      console.on(LogEvent.debug("details"));
      console.finish();
      assertEquals(
          terminal,
          err.toString().contains("push [##########          ] 5/10 paths big-2621"),
          err.toString());
      assertTrue(err.toString().contains("pushed 10 paths\n"));
      assertFalse(err.toString().contains("details"));
    }
    StringWriter q = new StringWriter();
    ConsoleListener quietConsole =
        new ConsoleListener(
            new PrintWriter(q, true), quiet, new Environment(tmp, tmp, Map.of(), true));
    quietConsole.on(LogEvent.info("pushed"));
    quietConsole.on(LogEvent.warn("careful"));
    quietConsole.summary("done");
    assertEquals("warning: careful\n", q.toString());
    StringWriter v = new StringWriter();
    new ConsoleListener(
            new PrintWriter(v, true), verbose, new Environment(tmp, tmp, Map.of(), false))
        .on(LogEvent.debug("details"));
    assertEquals("details\n", v.toString());
  }

  @Test
  void withoutATerminalALongStepSaysWhatItDoesEveryTenSeconds() {
    StringWriter err = new StringWriter();
    long[] now = {0};
    ConsoleListener console =
        new ConsoleListener(
            new PrintWriter(err, true),
            new GlobalOptions(),
            new Environment(tmp, tmp, Map.of(), false),
            () -> now[0]);
    long second = 1_000_000_000L;
    for (int done = 1; done <= 25; done++) {
      now[0] = done * second;
      console.on(new ProgressEvent("build", "p" + done, done, 1000, ProgressEvent.Unit.PATHS));
    }
    assertEquals(
        List.of("build 10/1000 paths p10 …", "build 20/1000 paths p20 …"),
        err.toString().lines().toList(),
        "one line every 10 s, none before");
  }
}
