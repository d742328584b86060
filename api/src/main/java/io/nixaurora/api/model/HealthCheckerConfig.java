package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Which health checker runs: HTTP or shell, at most one (Aurora default: HTTP with its defaults).
 *
 * @param http the HTTP checker
 * @param shell the shell checker
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"http", "shell"})
public record HealthCheckerConfig(
    @JsonProperty("http") HttpHealthChecker http, @JsonProperty("shell") ShellHealthChecker shell) {

  public HealthCheckerConfig {
    if (http != null && shell != null) {
      throw new IllegalArgumentException(
          "health_checker: set only one of http and shell, not both");
    }
  }

  /** An HTTP checker. */
  public static HealthCheckerConfig http(HttpHealthChecker http) {
    return new HealthCheckerConfig(Require.present(http, "health_checker.http"), null);
  }

  /** A shell checker. */
  public static HealthCheckerConfig shell(ShellHealthChecker shell) {
    return new HealthCheckerConfig(null, Require.present(shell, "health_checker.shell"));
  }
}
