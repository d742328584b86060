package io.nixaurora.core;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to deploy: where it comes from and, when the caller names it, the key its definition must
 * have. Without a key the job is keyed by its own definition (and must be of the facade's cluster,
 * when one is set).
 */
public record Target(JobSource source, Optional<JobKey> key) {
  public Target {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
  }

  /** A job keyed by its own definition. */
  public static Target of(JobSource source) {
    return new Target(source, Optional.empty());
  }

  /** A job whose definition must have {@code key}. */
  public static Target of(JobKey key, JobSource source) {
    return new Target(source, Optional.of(key));
  }
}
