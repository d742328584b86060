package io.nixaurora.core;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.NixAuroraException;
import java.util.List;

/**
 * Hears about each step before it starts, so a caller can say what is happening if it is stopped
 * then, and stop the pipeline between steps (nothing new is started once it throws).
 */
@FunctionalInterface
public interface StepListener {

  /** Listens to nothing. */
  StepListener NONE = (step, keys) -> {};

  /**
   * Called before {@code step} starts.
   *
   * @param keys the jobs the step is for; for {@link Step#EVALUATE} the keys the caller expects
   *     (none when it gave only sources)
   * @throws NixAuroraException to stop the pipeline before the step (such as an interruption)
   */
  void before(Step step, List<JobKey> keys) throws NixAuroraException;
}
