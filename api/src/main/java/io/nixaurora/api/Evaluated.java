package io.nixaurora.api;

import java.util.Objects;

/**
 * The outcome of building one job of several ({@link JobEvaluator#evaluateAll}): the job, or why it
 * could not be built. One job's failure does not stop the others.
 */
public sealed interface Evaluated permits Evaluated.Built, Evaluated.Failed {

  /** The job source this outcome is for. */
  JobSource source();

  /** The job was built. */
  record Built(JobSource source, BuiltJob job) implements Evaluated {
    public Built {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(job, "job");
    }
  }

  /**
   * The job could not be built: a {@link NixException} (syntax error, failed build) or an {@link
   * InvalidJobException} (its attributes do not form a job).
   */
  record Failed(JobSource source, NixAuroraException error) implements Evaluated {
    public Failed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(error, "error");
    }
  }
}
