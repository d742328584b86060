package io.nixaurora.api;

import java.util.Map;

/**
 * Brings a {@link Submitter} from another jar in through {@link java.util.ServiceLoader}; it joins
 * the built-in ones under {@link #name()} (duplicate names are rejected).
 */
public interface SubmitterFactory {

  /** The name the submitter is selected by. */
  String name();

  /**
   * Makes the submitter.
   *
   * @param settings the cluster's {@code submitter_settings} from the configuration
   */
  Submitter create(Map<String, String> settings);
}
