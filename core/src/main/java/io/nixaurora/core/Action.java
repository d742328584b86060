package io.nixaurora.core;

/** What a deploy does with each job once it is published. */
public enum Action {
  /** Create the job (a cron job is scheduled). */
  CREATE,
  /** Start a rolling update of a service. */
  UPDATE
}
