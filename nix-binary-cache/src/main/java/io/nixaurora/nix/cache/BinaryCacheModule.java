package io.nixaurora.nix.cache;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import io.nixaurora.api.StoreProviderFactory;

/** Binds the {@code binary-cache} store provider's factory into the CLI's map of providers. */
@Module
public interface BinaryCacheModule {

  @Binds
  @IntoMap
  @StringKey(BinaryCacheStoreProvider.NAME)
  StoreProviderFactory binaryCache(BinaryCacheStoreProviderFactory factory);
}
