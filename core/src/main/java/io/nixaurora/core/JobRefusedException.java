package io.nixaurora.core;

import io.nixaurora.api.NixAuroraException;
import java.util.Optional;

/**
 * The pipeline refused a job before anything was published for it: its key is not the expected one
 * or is another job's too, it belongs to another cluster, or the action does not apply to it (an
 * update of a job that is not a service). Exit code 3, with what to do about it.
 */
public final class JobRefusedException extends NixAuroraException {
  private static final long serialVersionUID = 1L;

  private final String suggestion;

  public JobRefusedException(String message, String suggestion) {
    super(message);
    this.suggestion = suggestion;
  }

  /** What the user can do about it. */
  public Optional<String> suggestion() {
    return Optional.ofNullable(suggestion);
  }

  @Override
  public int exitCode() {
    return 3;
  }
}
