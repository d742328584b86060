package io.nixaurora.nix.cache;

import io.nixaurora.tck.FactoryContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The binary-cache provider's factory keeps the tck's factory contract (its doctor runs Nix). */
class BinaryCacheStoreProviderFactoryContractIT extends FactoryContract {

  @Override
  protected Factory factory() {
    return Factory.of(new BinaryCacheStoreProviderFactory());
  }

  @Override
  protected Map<String, String> workingSettings(Path dir) throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    return Map.of("cache_url", cache.toUri().toString());
  }
}
