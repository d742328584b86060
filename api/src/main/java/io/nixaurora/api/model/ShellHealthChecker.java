package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Health checks by running a shell command in the sandbox; exit 0 means healthy.
 *
 * @param shellCommand the command, required
 */
public record ShellHealthChecker(
    @JsonProperty(value = "shell_command", required = true) String shellCommand) {

  public ShellHealthChecker {
    Require.nonBlank(shellCommand, "shell.shell_command");
  }

  /** A checker running {@code shellCommand}. */
  public static ShellHealthChecker of(String shellCommand) {
    return new ShellHealthChecker(shellCommand);
  }
}
