package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A misspelt setting in nix-aurora.json or {@code -S} is refused (exit 3), naming the file, the
 * section, the key and the closest declared key: one case per built-in backend, each key declared
 * by that backend's factory only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MisspeltSettingsTest {

  @TempDir Path tmp;

  static Stream<Arguments> typos() {
    return Stream.of(
        // backend, its selection, the typo, the key it should have been
        Arguments.of("local", "\"store\": \"local\"", "gc_root_dir", "gc_roots_dir"),
        Arguments.of("local", "\"store\": \"local\"", "agent_nix_bindir", "agent_nix_bin_dir"),
        Arguments.of(
            "binary-cache",
            "\"store\": \"binary-cache\", \"cache_url\": \"file:///tmp/c\"",
            "secret_keyfile",
            "secret_key_file"),
        Arguments.of(
            "binary-cache",
            "\"store\": \"binary-cache\", \"cache_url\": \"file:///tmp/c\"",
            "trusted_substitutor",
            "trusted_substituter"),
        Arguments.of("cli", "\"submitter\": \"cli\"", "aurora_binray", "aurora_binary"),
        Arguments.of("http", "\"submitter\": \"http\"", "schedular_uri", "scheduler_uri"),
        Arguments.of(
            "http", "\"submitter\": \"http\"", "retry_budget_second", "retry_budget_seconds"),
        Arguments.of("cli (the CLI's own)", "\"store\": \"local\"", "sytem", "system"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("typos")
  void aMisspeltKeyInTheFileIsRefusedWithTheClosestOne(
      String backend, String selection, String typo, String meant) throws Exception {
    Cli cli = new Cli(tmp);
    Path file =
        cli.config("{\"clusters\": {\"prod\": {" + selection + ", \"" + typo + "\": \"/x/y\"}}}\n");
    Cli.Result r = cli.run("config", "prod");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(
        r.err()
            .contains(
                file
                    + ": clusters.prod."
                    + typo
                    + ": unknown setting (did you mean '"
                    + meant
                    + "'?)"),
        r.err());
    assertFalse(r.out().contains("/x/y"), "nothing printed as if the key were fine: " + r.out());
  }

  @ParameterizedTest(name = "{0}: -S {2}")
  @MethodSource("typos")
  void aMisspeltKeyOnTheCommandLineIsRefusedWithTheClosestOne(
      String backend, String selection, String typo, String meant) throws Exception {
    Cli cli = new Cli(tmp);
    cli.config("{\"clusters\": {\"prod\": {" + selection + "}}}\n");
    Cli.Result r = cli.run("config", "prod", "-S", typo + "=/x/y");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(
        r.err().contains("--set " + typo + ": unknown setting (did you mean '" + meant + "'?)"),
        r.err());
  }

  @Test
  void everyProblemIsReportedAtOnceEachWhereItWasWritten() throws Exception {
    Cli cli = new Cli(tmp);
    Path file =
        cli.config(
            """
            {"defaults": {"dameon": true, "jobs": "four"},
             "clusters": {"prod": {"submitter": "http", "connect_timeout_seconds": "soon"}}}
            """);
    Cli.Result r = cli.run("config", "prod", "-S", "compression=gzip", "-S", "ownr=me");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().startsWith("error: 5 problems in the settings:"), r.err());
    assertTrue(
        r.err().contains(file + ": defaults.dameon: unknown setting (did you mean 'daemon'?)"),
        r.err());
    assertTrue(
        r.err().contains(file + ": defaults.jobs: expected a non-negative integer, got \"four\""),
        r.err());
    assertTrue(
        r.err().contains(file + ": clusters.prod.connect_timeout_seconds: expected seconds"),
        r.err());
    assertTrue(
        r.err().contains("--set compression: expected one of zstd, xz, none, got 'gzip'"), r.err());
    assertTrue(r.err().contains("--set ownr: unknown setting (did you mean 'owner'?)"), r.err());
  }

  @Test
  void aSecretOfTheWrongTypeIsRefusedWithoutItsValue() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config("{\"defaults\": {\"username\": \"ops\", \"password\": 73518264}}\n");
    Cli.Result r = cli.run("config");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(
        r.err().contains("defaults.password: expected a string, got a value of another type"),
        r.err());
    assertFalse(r.toString().contains("73518264"), r.toString());
  }

  @Test
  void aBackendsRequiredKeyIsNamedWithItsDescription() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config("{\"clusters\": {\"prod\": {\"store\": \"binary-cache\"}}}\n");
    Cli.Result r = cli.run("doctor", "prod");
    assertEquals(CliException.COMMAND_FAILURE, r.exitCode(), r.toString());
    assertTrue(
        r.out().contains("FAIL  store provider: the store provider of cluster prod refused"),
        r.out());
    assertTrue(r.out().contains("cache_url: required (file:///dir"), r.out());
  }

  @Test
  void theKeyTableAndConfigComeFromTheDeclarations() throws Exception {
    Cli cli = new Cli(tmp);
    Cli.Result help = cli.run("config", "--help");
    assertEquals(0, help.exitCode(), help.toString());
    // A key each backend declares, with the backends that read it.
    assertTrue(help.out().matches("(?s).*gc_roots_dir\\s+path\\s.*\\[local].*"), help.out());
    assertTrue(help.out().matches("(?s).*cache_url\\s+url\\s.*\\[binary-cache].*"), help.out());
    assertTrue(help.out().matches("(?s).*aurora_binary\\s+text\\s.*\\[cli].*"), help.out());
    assertTrue(
        help.out().matches("(?s).*netrc_file\\s+path\\s.*\\[binary-cache, http].*"), help.out());
    assertTrue(help.out().matches("(?s).*compression\\s+zstd\\|xz\\|none\\s.*"), help.out());

    cli.config(
        "{\"clusters\": {\"prod\": {\"submitter\": \"http\", \"username\": \"ops\","
            + " \"password\": \"hunter2\"}}}\n");
    Cli.Result config = cli.run("config", "prod");
    assertEquals(0, config.exitCode(), config.toString());
    assertFalse(config.out().contains("hunter2"), config.out());
    assertTrue(config.out().matches("(?s).*password\\s+= \\(set\\).*"), config.out());
    // The http submitter's keys that are not set, with their defaults.
    assertTrue(
        config.out().matches("(?s).*retry_budget_seconds\\s+= 600\\s+# not set \\(default\\).*"),
        config.out());
  }

  @Test
  void completionOffersTheDeclaredKeys() throws Exception {
    Cli.Result r = new Cli(tmp).run("completion", "bash");
    assertEquals(0, r.exitCode(), r.toString());
    for (String key : new String[] {"gc_roots_dir=", "cache_url=", "scheduler_uri=", "echo"}) {
      assertTrue(r.out().contains(key), key);
    }
  }
}
