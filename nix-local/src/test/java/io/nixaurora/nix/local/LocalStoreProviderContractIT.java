package io.nixaurora.nix.local;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.tck.StoreProviderContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The shared StoreProvider contract, for the local provider and this machine's Nix store. */
class LocalStoreProviderContractIT extends StoreProviderContract {

  @TempDir static Path shared;
  static BuiltJob hello;

  @TempDir Path tmp;

  @BeforeAll
  static void build() throws Exception {
    Path dir = Jobs.jobDir(shared.resolve("hello"), Jobs.HELLO_WORLD);
    hello =
        Jobs.evaluator(shared.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
  }

  private StoreProvider provider(Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("gc_roots_dir", tmp.resolve("roots").toString());
    return new LocalStoreProviderFactory().create(settings);
  }

  @Override
  protected StoreProvider newProvider() {
    return provider(Map.of());
  }

  @Override
  protected String expectedName() {
    return "local";
  }

  @Override
  protected BuiltJob builtJob() {
    return hello;
  }

  @Override
  protected List<Path> writtenPlaces() {
    return List.of(tmp.resolve("roots"));
  }

  @Override
  protected boolean keepsSomethingPerJob() {
    return true;
  }

  @Override
  protected Optional<StoreProvider> daemonModeProvider() {
    return Optional.of(provider(Map.of("daemon", "true")));
  }

  @Override
  protected Map<String, String> agentEnvironment() {
    // The agent is this machine; no substituter, so a missing path fails at once, offline.
    return Map.of("NIX_CONFIG", "substituters =");
  }
}
