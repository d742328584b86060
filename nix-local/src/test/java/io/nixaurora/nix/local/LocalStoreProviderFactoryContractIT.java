package io.nixaurora.nix.local;

import io.nixaurora.tck.FactoryContract;
import java.nio.file.Path;
import java.util.Map;

/** The local provider's factory keeps the tck's factory contract (its doctor runs Nix). */
class LocalStoreProviderFactoryContractIT extends FactoryContract {

  @Override
  protected Factory factory() {
    return Factory.of(new LocalStoreProviderFactory());
  }

  @Override
  protected Map<String, String> workingSettings(Path dir) {
    return Map.of("gc_roots_dir", dir.resolve("roots").toString());
  }
}
