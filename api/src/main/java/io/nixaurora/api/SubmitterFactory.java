package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;
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

  /**
   * Makes the submitter, reporting its warnings (retries, redirects, settings it cannot honour) to
   * {@code events}. The default ignores {@code events}.
   *
   * @param settings the cluster's {@code submitter_settings} from the configuration
   */
  default Submitter create(Map<String, String> settings, EventListener events) {
    return create(settings);
  }
}
