package io.nixaurora.nix.local;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import io.nixaurora.api.StoreProviderFactory;

/** Binds the {@code local} store provider's factory into the CLI's map of store providers. */
@Module
public interface LocalStoreModule {

  @Binds
  @IntoMap
  @StringKey("local")
  StoreProviderFactory bindLocal(LocalStoreProviderFactory factory);
}
