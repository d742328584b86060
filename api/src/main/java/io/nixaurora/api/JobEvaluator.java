package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;

/**
 * Builds a job with Nix: every package and one process script per process, in one build, and reads
 * back the job model.
 */
public interface JobEvaluator {

  /**
   * Builds {@code source}.
   *
   * @throws NixException when Nix fails (syntax error, missing attribute, failed build), carrying
   *     Nix's message and location
   * @throws InvalidJobException when the job's attributes do not form a valid job
   */
  BuiltJob evaluate(JobSource source, EventListener events)
      throws NixException, InvalidJobException;
}
