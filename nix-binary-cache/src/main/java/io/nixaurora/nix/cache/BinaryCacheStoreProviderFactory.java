package io.nixaurora.nix.cache;

import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.nix.local.NixStore;
import java.util.Map;
import javax.inject.Inject;

/** Makes {@link BinaryCacheStoreProvider}s from a cluster's {@code store_settings}. */
public final class BinaryCacheStoreProviderFactory implements StoreProviderFactory {

  @Inject
  public BinaryCacheStoreProviderFactory() {}

  @Override
  public String name() {
    return BinaryCacheStoreProvider.NAME;
  }

  /**
   * @throws IllegalArgumentException naming the setting when a value is missing or bad
   */
  @Override
  public StoreProvider create(Map<String, String> settings) {
    BinaryCacheConfig config = BinaryCacheConfig.fromSettings(settings);
    return new BinaryCacheStoreProvider(config, new NixStore(config.store().localRunner()));
  }
}
