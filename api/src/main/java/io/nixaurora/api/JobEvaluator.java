package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Builds several jobs, one outcome per source in the order given; one job's failure (a syntax
   * error, a failed build, an invalid job) is its own outcome and does not stop the others. An
   * implementation should build them together (one evaluation, one build); the default builds them
   * one after the other.
   */
  default List<Evaluated> evaluateAll(List<JobSource> sources, EventListener events) {
    List<Evaluated> outcomes = new ArrayList<>(sources.size());
    for (JobSource source : sources) {
      try {
        outcomes.add(new Evaluated.Built(source, evaluate(source, events)));
      } catch (NixException | InvalidJobException e) {
        outcomes.add(new Evaluated.Failed(source, e));
      }
    }
    return List.copyOf(outcomes);
  }
}
