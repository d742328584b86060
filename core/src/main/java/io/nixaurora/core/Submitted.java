package io.nixaurora.core;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.Publication;
import io.nixaurora.api.SubmitResult;
import java.util.Objects;

/**
 * A job published and handed to the scheduler.
 *
 * @param job the built job
 * @param publication how the agents realise its closures
 * @param config the configuration that was submitted
 * @param result what the submitter did
 */
public record Submitted(
    BuiltJob job, Publication publication, AuroraJobConfig config, SubmitResult result) {
  public Submitted {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(publication, "publication");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(result, "result");
  }

  public JobKey key() {
    return config.key();
  }
}
