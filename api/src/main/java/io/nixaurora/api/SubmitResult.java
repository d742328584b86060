package io.nixaurora.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What a submitter did.
 *
 * @param key the job
 * @param action what was done
 * @param message the scheduler's or client's one-line answer
 * @param url the job's page in the scheduler UI, when known
 * @param updateId the update's id, for {@link Action#UPDATE}
 * @param updateState the update's state (such as {@code ROLLING_FORWARD}), for {@link
 *     Action#UPDATE}, when known
 */
public record SubmitResult(
    JobKey key,
    Action action,
    String message,
    Optional<String> url,
    Optional<String> updateId,
    Optional<String> updateState) {

  /** The kind of submission. */
  public enum Action {
    CREATE,
    SCHEDULE_CRON,
    UPDATE,
    KILL
  }

  public SubmitResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(updateId, "updateId");
    Objects.requireNonNull(updateState, "updateState");
  }

  /** A result with only a message. */
  public static SubmitResult of(JobKey key, Action action, String message) {
    return new SubmitResult(
        key, action, message, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
