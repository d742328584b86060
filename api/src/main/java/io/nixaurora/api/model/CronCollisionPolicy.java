package io.nixaurora.api.model;

/**
 * What the scheduler does when a cron run is due while the previous one still runs (Aurora reads
 * the name case-insensitively).
 */
public enum CronCollisionPolicy {
  /** Kill the running instance and start the new one (Aurora's default). */
  KILL_EXISTING,
  /** Skip the new run. */
  CANCEL_NEW,
  /** Run both (deprecated in Aurora). */
  RUN_OVERLAP
}
