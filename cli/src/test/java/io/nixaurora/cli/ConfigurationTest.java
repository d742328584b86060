package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: where it is found, precedence, types, masking. */
class ConfigurationTest {

  @TempDir Path tmp;

  private static final String FILE =
      """
      {
        "defaults": { "submitter": "http", "timeout_seconds": 60, "username": "ops",
                      "password": "hunter2" },
        "clusters": {
          "devcluster": { "daemon": false },
          "prod": { "store": "binary-cache", "cache_url": "https://user:s3cret@cache.example.org/x",
                    "secret_key_file": "/etc/nix-aurora/prod.sec", "daemon": true,
                    "compression": "xz", "settings": { "s3_region": "eu-west-1" } }
        }
      }
      """;

  @Test
  void clusterSectionOverridesDefaultsWhichOverrideBuiltIns() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config(FILE);
    Cli.Result r = cli.run("config", "prod", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode settings = new ObjectMapper().readTree(r.out()).get("settings");
    assertEquals("binary-cache", settings.get("store").asText());
    assertEquals("http", settings.get("submitter").asText());
    assertEquals("x86_64-linux", settings.get("system").asText());
    assertTrue(settings.get("daemon").asBoolean());
    assertEquals(60, settings.get("timeout_seconds").asInt());
    assertEquals("xz", settings.get("compression").asText());
  }

  @Test
  void secretsAreMasked() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config(FILE);
    for (String format : new String[] {"--json", "--quiet"}) {
      Cli.Result r = cli.run("config", "prod", format);
      assertEquals(0, r.exitCode(), r.toString());
      assertFalse(r.out().contains("hunter2"), r.out());
      assertFalse(r.out().contains("s3cret"), r.out());
      assertTrue(r.out().contains("********"), r.out());
      assertTrue(r.out().contains("user:********@cache.example.org"), r.out());
    }
  }

  @Test
  void flagsOverrideTheFileAndTextOutputSaysWhereEachValueComesFrom() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config(FILE);
    Cli.Result r =
        cli.run("config", "devcluster", "--store", "binary-cache", "--set", "daemon=true");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().matches("(?s).*store\\s+= binary-cache\\s+# command line.*"), r.out());
    assertTrue(r.out().matches("(?s).*daemon\\s+= true\\s+# command line.*"), r.out());
    assertTrue(
        r.out().matches("(?s).*submitter\\s+= http\\s+# .*nix-aurora.json defaults.*"), r.out());
    assertTrue(r.out().matches("(?s).*system\\s+= x86_64-linux\\s+# built-in default.*"), r.out());
  }

  @Test
  void localFileWinsOverTheUserFileAndConfigFlagWinsOverBoth() throws Exception {
    Cli cli = new Cli(tmp);
    Path user = Files.createDirectories(cli.home.resolve(".config/nix-aurora"));
    Files.writeString(
        user.resolve("config.json"), "{\"defaults\": {\"submitter\": \"from-user\"}}");
    assertTrue(cli.run("config").out().contains("from-user"));
    cli.config("{\"defaults\": {\"submitter\": \"from-local\"}}");
    assertTrue(cli.run("config").out().contains("from-local"));
    Path other =
        Files.writeString(
            tmp.resolve("other.json"), "{\"defaults\": {\"submitter\": \"from-flag\"}}");
    Cli.Result r = cli.run("config", "--config", other.toString());
    assertTrue(r.out().contains("from-flag"), r.toString());
    assertTrue(r.out().contains("# configuration file: " + other), r.out());
  }

  @Test
  void withoutAFileEveryClusterGetsTheBuiltInDefaults() throws Exception {
    Cli.Result r = new Cli(tmp).run("config", "anycluster", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode settings = new ObjectMapper().readTree(r.out()).get("settings");
    assertEquals("local", settings.get("store").asText());
    assertEquals("cli", settings.get("submitter").asText());
  }

  @Test
  void pluginSettingsReachTheBackends() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config(FILE);
    ClusterConfig prod =
        Configuration.load(cli.environment(), null).forCluster("prod", java.util.Map.of());
    assertEquals("eu-west-1", prod.settings().get("s3_region"));
    assertEquals("prod", prod.settings().get("cluster"));
    assertFalse(prod.settings().containsKey("store"));
    assertFalse(prod.toString().contains("hunter2"));
  }
}
