package io.nixaurora.api;

/**
 * Submitting to Aurora failed. Each subclass is one of the aurora client's exit codes
 * (docs/aurora-spec.md §2.4); the message keeps the client's or scheduler's own words.
 */
public class SubmitException extends NixAuroraException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public SubmitException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public SubmitException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  @Override
  public int exitCode() {
    return exitCode;
  }

  /** The scheduler or client rejected the configuration (exit 3). */
  public static class InvalidConfiguration extends SubmitException {
    private static final long serialVersionUID = 1L;

    public InvalidConfiguration(String message) {
      super(3, message);
    }
  }

  /** The command failed, e.g. the job already exists or the scheduler said no (exit 4). */
  public static class CommandFailed extends SubmitException {
    private static final long serialVersionUID = 1L;

    public CommandFailed(String message) {
      super(4, message);
    }
  }

  /**
   * The scheduler could not be reached, or the outcome is unknown after a transport error (exit 7).
   */
  public static class Network extends SubmitException {
    private static final long serialVersionUID = 1L;

    public Network(String message) {
      super(7, message);
    }

    public Network(String message, Throwable cause) {
      super(7, message, cause);
    }
  }

  /** The operation did not finish in time (exit 9). */
  public static class Timeout extends SubmitException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message) {
      super(9, message);
    }
  }

  /** The scheduler answered with an API error (exit 10). */
  public static class ApiError extends SubmitException {
    private static final long serialVersionUID = 1L;

    public ApiError(String message) {
      super(10, message);
    }
  }

  /** Authentication or authorization failed: HTTP 401/403 or AUTH_FAILED (exit 30). */
  public static class Authentication extends SubmitException {
    private static final long serialVersionUID = 1L;

    public Authentication(String message) {
      super(30, message);
    }
  }
}
