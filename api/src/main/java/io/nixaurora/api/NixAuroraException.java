package io.nixaurora.api;

/**
 * The checked exceptions of nix-aurora's API. Each kind has an exit code that follows the aurora
 * client's where the meaning is the same (docs/ARCHITECTURE.md, "Values and style").
 */
public abstract class NixAuroraException extends Exception {
  private static final long serialVersionUID = 1L;

  protected NixAuroraException(String message) {
    super(message);
  }

  protected NixAuroraException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The exit code the CLI uses for this failure. */
  public abstract int exitCode();
}
