package io.nixaurora.core;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.Publication;
import java.util.Objects;

/**
 * A job whose closures were published, compiled with the publication's init command.
 *
 * @param job the built job
 * @param publication how the agents realise its closures
 * @param config its Aurora configuration
 */
public record Published(BuiltJob job, Publication publication, AuroraJobConfig config) {
  public Published {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(publication, "publication");
    Objects.requireNonNull(config, "config");
  }

  public JobKey key() {
    return config.key();
  }
}
