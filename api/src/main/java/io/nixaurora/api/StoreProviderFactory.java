package io.nixaurora.api;

import java.util.Map;

/**
 * Brings a {@link StoreProvider} from another jar in through {@link java.util.ServiceLoader}; it
 * joins the built-in ones under {@link #name()} (duplicate names are rejected).
 */
public interface StoreProviderFactory {

  /** The name the provider is selected by. */
  String name();

  /**
   * Makes the provider.
   *
   * @param settings the cluster's {@code store_settings} from the configuration
   */
  StoreProvider create(Map<String, String> settings);
}
