package io.nixaurora.core;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    List<Integer> failures = new ArrayList<>();
    boolean anySkipped = false;
    for (JobResult<?> r : results) {
      if (r instanceof Failed<?> f) {
        failures.add(f.error().exitCode());
      } else if (r instanceof Skipped<?>) {
        anySkipped = true;
      }
    }
    return exitCode(failures, anySkipped);
  }

  /**
   * The same rule for a command that tells its jobs' outcomes itself: 0 when no job failed or was
   * skipped; the failures' exit code when they all share one (skipped jobs do not count then);
   * otherwise 1.
   *
   * @param failureCodes the exit code of each failed job
   */
  static int exitCode(Collection<Integer> failureCodes, boolean anySkipped) {
    Set<Integer> distinct = new HashSet<>(failureCodes);
    if (distinct.size() == 1) {
      return distinct.iterator().next();
    }
    return distinct.isEmpty() && !anySkipped ? 0 : 1;
  }
}
