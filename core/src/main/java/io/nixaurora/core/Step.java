package io.nixaurora.core;

/** The steps of the pipeline a {@link StepListener} hears about before each starts. */
public enum Step {
  /** Building the jobs with Nix and reading back their models. */
  EVALUATE,
  /** Publishing the closures of the jobs that passed every check. */
  PUBLISH,
  /** Handing the compiled configurations to the submitter. */
  SUBMIT
}
