package io.nixaurora.cli;

import io.nixaurora.api.NixAuroraException;

/**
 * A failure found by the command itself (bad configuration, a bad argument, a missing file): one
 * line saying what is wrong, and one saying what to do.
 */
public final class CliException extends NixAuroraException {
  private static final long serialVersionUID = 1L;

  /** Exit code of a usage error (as picocli and argparse use). */
  public static final int USAGE = 2;

  /** Exit code of invalid configuration (the aurora client's EXIT_INVALID_CONFIGURATION). */
  public static final int INVALID_CONFIGURATION = 3;

  /** Exit code of a failed command (the aurora client's EXIT_COMMAND_FAILURE). */
  public static final int COMMAND_FAILURE = 4;

  private final int exitCode;
  private final String suggestion;

  public CliException(int exitCode, String message, String suggestion) {
    super(message);
    this.exitCode = exitCode;
    this.suggestion = suggestion;
  }

  public CliException(int exitCode, String message, String suggestion, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.suggestion = suggestion;
  }

  /** Invalid configuration (exit 3). */
  public static CliException configuration(String message, String suggestion) {
    return new CliException(INVALID_CONFIGURATION, message, suggestion);
  }

  /** A failed command (exit 4). */
  public static CliException failure(String message, String suggestion) {
    return new CliException(COMMAND_FAILURE, message, suggestion);
  }

  /** What the user can do about it, or null. */
  public String suggestion() {
    return suggestion;
  }

  @Override
  public int exitCode() {
    return exitCode;
  }
}
