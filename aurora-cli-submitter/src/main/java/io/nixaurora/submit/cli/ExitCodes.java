package io.nixaurora.submit.cli;

import io.nixaurora.api.SubmitException;

/**
 * The aurora client's exit codes (docs/aurora-spec.md §2.4, {@code client/cli/__init__.py}) and the
 * {@link SubmitException} each one becomes.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int INVALID_CONFIGURATION = 3;
  static final int COMMAND_FAILURE = 4;
  static final int INVALID_COMMAND = 5;
  static final int INVALID_PARAMETER = 6;
  static final int NETWORK_ERROR = 7;
  static final int PERMISSION_VIOLATION = 8;
  static final int TIMEOUT = 9;
  static final int API_ERROR = 10;
  static final int UNKNOWN_ERROR = 20;
  static final int AUTH_ERROR = 30;
  static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** What the client's exit code means, in the words of its constant. */
  static String meaning(int exitCode) {
    return switch (exitCode) {
      case 1 -> "error";
      case 2 -> "bad command line";
      case INVALID_CONFIGURATION -> "invalid configuration";
      case COMMAND_FAILURE -> "command failure";
      case INVALID_COMMAND -> "invalid command";
      case INVALID_PARAMETER -> "invalid parameter";
      case NETWORK_ERROR -> "network error";
      case PERMISSION_VIOLATION -> "permission violation";
      case TIMEOUT -> "timeout";
      case API_ERROR -> "API error";
      case UNKNOWN_ERROR -> "unknown error";
      case AUTH_ERROR -> "authentication error";
      case INTERRUPTED -> "interrupted";
      default -> exitCode > 128 ? "killed by signal " + (exitCode - 128) : "error";
    };
  }

  /** The exception for a client run that exited non-zero; the message keeps the client's words. */
  static SubmitException failure(AuroraClient.Run run) {
    int code = run.exitCode();
    String message =
        "`"
            + run.command()
            + "` failed with exit code "
            + code
            + " ("
            + meaning(code)
            + "): "
            + AuroraClient.tail(run.said());
    return switch (code) {
      case INVALID_CONFIGURATION -> new SubmitException.InvalidConfiguration(message);
      case COMMAND_FAILURE -> new SubmitException.CommandFailed(message);
      case NETWORK_ERROR -> new SubmitException.Network(message);
      case TIMEOUT -> new SubmitException.Timeout(message);
      case API_ERROR -> new SubmitException.ApiError(message);
      // EXIT_PERMISSION_VIOLATION is the client's older word for "not allowed".
      case AUTH_ERROR, PERMISSION_VIOLATION -> new SubmitException.Authentication(message);
      default -> new SubmitException(code, message);
    };
  }
}
