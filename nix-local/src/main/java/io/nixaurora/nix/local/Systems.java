package io.nixaurora.nix.local;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;

/**
 * The cross-system guard for this module's store provider and evaluator; the rule itself lives once
 * in {@link io.nixaurora.support.Systems} (the pipeline in core applies it to every job, so an
 * embedder need not call it).
 */
public final class Systems {

  /** The system a cluster's agents run unless configured otherwise. */
  public static final String DEFAULT = io.nixaurora.support.Systems.DEFAULT;

  private Systems() {}

  /** See {@link io.nixaurora.support.Systems#requireWellFormed}. */
  public static String requireWellFormed(String system) {
    return io.nixaurora.support.Systems.requireWellFormed(system);
  }

  /** See {@link io.nixaurora.support.Systems#requireCompatible}. */
  public static void requireCompatible(BuiltJob job, String clusterSystem)
      throws InvalidJobException {
    io.nixaurora.support.Systems.requireCompatible(job, clusterSystem);
  }
}
