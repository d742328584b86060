package io.nixaurora.cli;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import dagger.multibindings.Multibinds;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.SubmitterFactory;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import javax.inject.Named;

/**
 * Declares the backend maps (so the component compiles with no backend of a kind) and feeds in the
 * factories that other jars register for {@link ServiceLoader}.
 */
@Module
public abstract class BackendsModule {

  @Multibinds
  abstract Map<String, StoreProviderFactory> storeProviderFactories();

  @Multibinds
  abstract Map<String, SubmitterFactory> submitterFactories();

  @Multibinds
  @Named(Backends.SERVICE_LOADED)
  abstract Set<StoreProviderFactory> loadedStoreProviderFactories();

  @Multibinds
  @Named(Backends.SERVICE_LOADED)
  abstract Set<SubmitterFactory> loadedSubmitterFactories();

  @Provides
  @ElementsIntoSet
  @Named(Backends.SERVICE_LOADED)
  static Set<StoreProviderFactory> serviceLoadedStores(ClassLoader loader) {
    return load(StoreProviderFactory.class, loader);
  }

  @Provides
  @ElementsIntoSet
  @Named(Backends.SERVICE_LOADED)
  static Set<SubmitterFactory> serviceLoadedSubmitters(ClassLoader loader) {
    return load(SubmitterFactory.class, loader);
  }

  private static <T> Set<T> load(Class<T> type, ClassLoader loader) {
    Set<T> out = new LinkedHashSet<>();
    try {
      ServiceLoader.load(type, loader).forEach(out::add);
    } catch (ServiceConfigurationError e) {
      // A broken plugin jar must not take the built-in backends down with it; it is reported
      // when its name is asked for (unknown name, with the known ones listed).
      return out;
    }
    return out;
  }
}
