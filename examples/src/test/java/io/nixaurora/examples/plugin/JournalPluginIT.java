package io.nixaurora.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.cli.Backends;
import io.nixaurora.cli.Configuration;
import io.nixaurora.cli.DaggerCliComponent;
import io.nixaurora.cli.Environment;
import io.nixaurora.nix.local.NixJobEvaluator;
import io.nixaurora.tck.StoreProviderContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ServiceLoader plugin (the {@code journal} store provider, registered in this module's {@code
 * META-INF/services}) is found by the CLI's own backend lookup, by name, and passes the tck's
 * StoreProvider contract.
 */
class JournalPluginIT extends StoreProviderContract {

  static final Path EXAMPLES = Path.of("").toAbsolutePath();

  @TempDir static Path shared;
  static BuiltJob hello;

  @TempDir Path tmp;

  @BeforeAll
  static void build() throws Exception {
    hello =
        NixJobEvaluator.onPath()
            .evaluate(JobSource.file(EXAMPLES.resolve("hello_world")), EventListener.NONE);
  }

  /**
   * The provider the CLI makes for a cluster whose nix-aurora.json says "store": "journal"; {@code
   * extra} values are JSON.
   */
  private StoreProvider throughTheCli(Map<String, String> extra) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    StringBuilder settings =
        new StringBuilder("\"store\": \"journal\", \"gc_roots_dir\": \"")
            .append(tmp.resolve("roots"))
            .append('"');
    extra.forEach((k, v) -> settings.append(", \"" + k + "\": " + v));
    // The plugin declares journal_file, so it sits beside the local provider's keys.
    settings.append(", \"journal_file\": \"").append(tmp.resolve("journal.log")).append('"');
    Path config =
        Files.writeString(
            work.resolve("nix-aurora.json"),
            "{\"clusters\": {\"devcluster\": {" + settings + "}}}\n");
    Environment env = new Environment(work, home, Map.of("HOME", home.toString()), false);
    Backends backends =
        DaggerCliComponent.factory().create(env, getClass().getClassLoader()).backends();
    return backends.storeProvider(
        Configuration.load(env, config.toString(), backends.validator())
            .forCluster("devcluster", Map.of()),
        EventListener.NONE);
  }

  @Override
  protected StoreProvider newProvider() throws Exception {
    return throughTheCli(Map.of());
  }

  @Override
  protected String expectedName() {
    return "journal";
  }

  @Override
  protected BuiltJob builtJob() {
    return hello;
  }

  @Override
  protected List<Path> writtenPlaces() {
    return List.of(tmp.resolve("roots"), tmp.resolve("journal.log"));
  }

  @Override
  protected boolean keepsSomethingPerJob() {
    return true;
  }

  @Override
  protected Optional<StoreProvider> daemonModeProvider() throws Exception {
    return Optional.of(throughTheCli(Map.of("daemon", "true")));
  }

  @Override
  protected Map<String, String> agentEnvironment() {
    return Map.of("NIX_CONFIG", "substituters =");
  }

  @Test
  void theCliListsThePluginBesideTheBuiltInProviders() throws Exception {
    Environment env = new Environment(tmp, tmp, Map.of(), false);
    var names =
        DaggerCliComponent.factory()
            .create(env, getClass().getClassLoader())
            .backends()
            .storeNames();
    assertTrue(names.containsAll(List.of("journal", "local", "binary-cache")), names.toString());
  }

  @Test
  void eachPublicationIsJournaled() throws Exception {
    provider().publish(hello, EventListener.NONE);
    provider().publish(hello, EventListener.NONE);

    List<String> lines = Files.readAllLines(tmp.resolve("journal.log"));
    assertEquals(2, lines.size(), lines.toString());
    for (String line : lines) {
      assertTrue(line.contains(" " + hello.key() + " "), line);
    }
  }
}
