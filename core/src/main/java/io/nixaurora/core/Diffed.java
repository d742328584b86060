package io.nixaurora.core;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What an update to a job would change.
 *
 * @param job the built job
 * @param config the configuration an update would submit (the store provider's init command)
 * @param fromScheduler the scheduler's own diff, when the submitter can ask it; empty otherwise (a
 *     caller may compare {@code config} with what it submitted last)
 */
public record Diffed(BuiltJob job, AuroraJobConfig config, Optional<JobDiff> fromScheduler) {
  public Diffed {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(fromScheduler, "fromScheduler");
  }

  public JobKey key() {
    return config.key();
  }
}
