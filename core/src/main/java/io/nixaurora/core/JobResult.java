package io.nixaurora.core;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one job of several: done, failed (refused, or failed in a step), or skipped
 * because another job failed with fail-fast on.
 *
 * @param <T> what a done job yields ({@link Built}, {@link Published}, {@link Submitted}, {@link
 *     Diffed})
 */
public sealed interface JobResult<T> {

  /** Where the job came from. */
  JobSource source();

  /** The job's key, once it was built. */
  Optional<JobKey> key();

  /** The job went through every step. */
  record Done<T>(JobSource source, T value, JobKey jobKey) implements JobResult<T> {
    public Done {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(jobKey, "jobKey");
    }

    @Override
    public Optional<JobKey> key() {
      return Optional.of(jobKey);
    }
  }

  /**
   * The job failed: refused before anything was published for it, or its publication, compilation
   * or submission failed.
   *
   * @param published whether its closures were published before it failed
   */
  record Failed<T>(
      JobSource source, Optional<JobKey> key, NixAuroraException error, boolean published)
      implements JobResult<T> {
    public Failed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(error, "error");
    }
  }

  /** The job was not attempted (further) because another job failed and fail-fast is on. */
  record Skipped<T>(JobSource source, Optional<JobKey> key, String reason) implements JobResult<T> {
    public Skipped {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The exit code of a command that ran {@code results}: 0 when every job is done; the failures'
   * exit code when they all share one; otherwise 1.
   */
  static int exitCode(List<? extends JobResult<?>> results) {
    Integer code = null;
    boolean anyNotDone = false;
    for (JobResult<?> r : results) {
      if (r instanceof Failed<?> f) {
        int c = f.error().exitCode();
        if (code == null) {
          code = c;
        } else if (code != c) {
          return 1;
        }
      } else if (r instanceof Skipped<?>) {
        anyNotDone = true;
      }
    }
    if (code != null) {
      return code;
    }
    return anyNotDone ? 1 : 0;
  }
}
