package io.nixaurora.api;

import java.util.Optional;

/**
 * Nix failed: a syntax error, a missing attribute, a failed build, an unrealisable path. The
 * message is Nix's own; {@link #location()} is the file and line Nix named, when it named one. Exit
 * code 3 when the job source is at fault, 4 otherwise.
 */
public class NixException extends NixAuroraException {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final boolean jobAtFault;

  public NixException(String message, String location, boolean jobAtFault) {
    super(message);
    this.location = location;
    this.jobAtFault = jobAtFault;
  }

  public NixException(String message, Throwable cause) {
    super(message, cause);
    this.location = null;
    this.jobAtFault = false;
  }

  /** The {@code file:line:column} Nix reported, if any. */
  public Optional<String> location() {
    return Optional.ofNullable(location);
  }

  /** Whether the job source (not Nix or the machine) is at fault. */
  public boolean jobAtFault() {
    return jobAtFault;
  }

  @Override
  public int exitCode() {
    return jobAtFault ? 3 : 4;
  }
}
