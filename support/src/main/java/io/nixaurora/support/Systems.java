package io.nixaurora.support;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.model.Job;
import java.util.regex.Pattern;

/**
 * Nix systems ({@code x86_64-linux}, {@code aarch64-darwin}, …) and the cross-system guard: store
 * paths built for one system are refused for a cluster whose agents run another (the proof of
 * concept submitted macOS builds to Linux agents). The pipeline (core) applies it to every job
 * before anything is published or compiled; store providers apply it again before they publish.
 */
public final class Systems {

  /** The system a cluster's agents run unless configured otherwise. */
  public static final String DEFAULT = "x86_64-linux";

  private static final Pattern SYSTEM = Pattern.compile("[a-z0-9_]+-[a-z0-9_]+");

  private Systems() {}

  /**
   * Checks that {@code system} looks like a Nix system ({@code <cpu>-<os>}).
   *
   * @throws IllegalArgumentException naming the setting {@code system} otherwise
   */
  public static String requireWellFormed(String system) {
    if (system == null || !SYSTEM.matcher(system).matches()) {
      throw new IllegalArgumentException(
          "system: expected a Nix system such as x86_64-linux or aarch64-linux, got '"
              + system
              + "'");
    }
    return system;
  }

  /**
   * Refuses {@code job} unless it (and every process script) was built for {@code clusterSystem}.
   *
   * @throws InvalidJobException naming both systems
   */
  public static void requireCompatible(BuiltJob job, String clusterSystem)
      throws InvalidJobException {
    requireWellFormed(clusterSystem);
    if (!job.system().equals(clusterSystem)) {
      throw new InvalidJobException(
          "system", mismatch(label(job.job()), job.system(), clusterSystem));
    }
    for (ProcessScript s : job.scripts().values()) {
      if (!s.system().equals(clusterSystem)) {
        throw new InvalidJobException(
            "system",
            mismatch(
                "process '" + s.process() + "' of " + label(job.job()), s.system(), clusterSystem));
      }
    }
  }

  /** Without {@link Job#key()}'s validation: a job with a bad key must still be named. */
  private static String label(Job job) {
    return job.cluster() + "/" + job.role() + "/" + job.environment() + "/" + job.name();
  }

  private static String mismatch(String what, String built, String cluster) {
    return what
        + " was built for "
        + built
        + " but the cluster's agents run "
        + cluster
        + " (set the cluster's store setting 'system', or build on a "
        + cluster
        + " machine or with a "
        + cluster
        + " remote builder)";
  }
}
