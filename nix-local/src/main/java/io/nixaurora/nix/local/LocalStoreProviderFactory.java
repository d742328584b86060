package io.nixaurora.nix.local;

import io.nixaurora.api.StoreProviderFactory;
import java.nio.file.Path;
import java.util.Map;
import javax.inject.Inject;

/**
 * Makes the {@code local} store provider from a cluster's store settings ({@link StoreSettings}'s
 * keys and {@code gc_roots_dir}).
 */
public final class LocalStoreProviderFactory implements StoreProviderFactory {

  @Inject
  public LocalStoreProviderFactory() {}

  @Override
  public String name() {
    return "local";
  }

  /**
   * @throws IllegalArgumentException naming the key whose value is bad
   */
  @Override
  public LocalStoreProvider create(Map<String, String> settings) {
    StoreSettings common = StoreSettings.parse(settings);
    Path roots =
        StoreSettings.absolute(
            settings, "gc_roots_dir", Path.of(LocalStoreProvider.DEFAULT_GC_ROOTS_DIR));
    return new LocalStoreProvider(common, roots, new NixStore(common.localRunner()));
  }
}
