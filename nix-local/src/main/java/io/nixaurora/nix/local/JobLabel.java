package io.nixaurora.nix.local;

import io.nixaurora.api.model.Job;

/**
 * {@code cluster/role/environment/name} of a job for messages, without {@link Job#key()}'s
 * validation: a job with a bad key must still be named in the message that reports it.
 */
final class JobLabel {
  private JobLabel() {}

  static String of(Job job) {
    return job.cluster() + "/" + job.role() + "/" + job.environment() + "/" + job.name();
  }
}
