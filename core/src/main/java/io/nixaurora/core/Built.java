package io.nixaurora.core;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobKey;
import java.util.Objects;

/**
 * A job built and compiled with the store provider's init command; nothing published.
 *
 * @param job the built job (model and process scripts)
 * @param config its Aurora configuration
 */
public record Built(BuiltJob job, AuroraJobConfig config) {
  public Built {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(config, "config");
  }

  public JobKey key() {
    return config.key();
  }
}
