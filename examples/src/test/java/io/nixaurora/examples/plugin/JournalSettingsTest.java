package io.nixaurora.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.cli.Backends;
import io.nixaurora.cli.CliException;
import io.nixaurora.cli.Configuration;
import io.nixaurora.cli.DaggerCliComponent;
import io.nixaurora.cli.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal plugin's declared setting is checked like a built-in backend's: a misspelt one in
 * nix-aurora.json is refused with the closest key, a missing one is named, and doctor runs the
 * plugin's own checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalSettingsTest {

  @TempDir Path tmp;

  private Environment env() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    return new Environment(work, home, Map.of("HOME", home.toString()), false);
  }

  private Backends backends(Environment env) {
    return DaggerCliComponent.factory().create(env, getClass().getClassLoader()).backends();
  }

  private Path config(Environment env, String cluster) throws Exception {
    return Files.writeString(
        env.workingDirectory().resolve("nix-aurora.json"),
        "{\"clusters\": {\"devcluster\": {\"store\": \"journal\", " + cluster + "}}}\n");
  }

  @Test
  void aMisspeltJournalKeyIsRefusedWithTheClosestOne() throws Exception {
    Environment env = env();
    Path file = config(env, "\"journal_fil\": \"/var/log/j.log\"");
    Backends backends = backends(env);
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                Configuration.load(env, file.toString(), backends.validator())
                    .forCluster("devcluster", Map.of()));
    assertEquals(3, e.exitCode());
    assertEquals(
        file + ": clusters.devcluster.journal_fil: unknown setting (did you mean 'journal_file'?)",
        e.getMessage());
  }

  @Test
  void aMissingJournalFileIsNamed() throws Exception {
    Environment env = env();
    Path file = config(env, "\"daemon\": false");
    Backends backends = backends(env);
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                backends.storeProvider(
                    Configuration.load(env, file.toString(), backends.validator())
                        .forCluster("devcluster", Map.of()),
                    EventListener.NONE));
    assertTrue(e.getMessage().contains("journal_file: required"), e.getMessage());
  }

  @Test
  void doctorRunsThePluginsOwnChecks() throws Exception {
    Environment env = env();
    Path journal = tmp.resolve("logs/journal.log");
    Path file =
        config(
            env,
            "\"journal_file\": \""
                + journal
                + "\", \"gc_roots_dir\": \""
                + tmp.resolve("r")
                + "\"");
    Backends backends = backends(env);
    List<Diagnosis> checks =
        backends.diagnoseStore(
            Configuration.load(env, file.toString(), backends.validator())
                .forCluster("devcluster", Map.of()),
            EventListener.NONE);
    assertTrue(
        checks.contains(Diagnosis.ok("journal directory " + journal.getParent() + " writable")),
        checks.toString());
    assertTrue(
        checks.stream().anyMatch(d -> d.detail().equals("store provider: local")),
        "the local provider's checks, which the journal publishes through: " + checks);
  }
}
