package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How the executor checks a task's health (Aurora's {@code HealthCheckConfig}). Unset (null) fields
 * take Aurora's defaults.
 *
 * @param healthChecker the checker (default HTTP {@code /health})
 * @param initialIntervalSecs grace period after start (default 15.0), >= 0
 * @param intervalSecs time between checks (default 10.0), >= 0
 * @param maxConsecutiveFailures failures before the task is killed (default 0), >= 0
 * @param minConsecutiveSuccesses successes before the task counts as healthy (default 1), >= 0
 * @param timeoutSecs time one check may take (default 1.0), > 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "health_checker",
  "initial_interval_secs",
  "interval_secs",
  "max_consecutive_failures",
  "min_consecutive_successes",
  "timeout_secs"
})
public record HealthCheckConfig(
    @JsonProperty("health_checker") HealthCheckerConfig healthChecker,
    @JsonProperty("initial_interval_secs") Double initialIntervalSecs,
    @JsonProperty("interval_secs") Double intervalSecs,
    @JsonProperty("max_consecutive_failures") Integer maxConsecutiveFailures,
    @JsonProperty("min_consecutive_successes") Integer minConsecutiveSuccesses,
    @JsonProperty("timeout_secs") Double timeoutSecs) {

  public HealthCheckConfig {
    Require.atLeast(initialIntervalSecs, 0.0, "health_check_config.initial_interval_secs");
    Require.atLeast(intervalSecs, 0.0, "health_check_config.interval_secs");
    Require.atLeast(maxConsecutiveFailures, 0, "health_check_config.max_consecutive_failures");
    Require.atLeast(minConsecutiveSuccesses, 0, "health_check_config.min_consecutive_successes");
    Require.positive(timeoutSecs, "health_check_config.timeout_secs");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a health-check configuration. */
  public static final class Builder {
    private HealthCheckerConfig healthChecker;
    private Double initialIntervalSecs;
    private Double intervalSecs;
    private Integer maxConsecutiveFailures;
    private Integer minConsecutiveSuccesses;
    private Double timeoutSecs;

    private Builder() {}

    public Builder healthChecker(HealthCheckerConfig healthChecker) {
      this.healthChecker = healthChecker;
      return this;
    }

    public Builder initialIntervalSecs(double initialIntervalSecs) {
      this.initialIntervalSecs = initialIntervalSecs;
      return this;
    }

    public Builder intervalSecs(double intervalSecs) {
      this.intervalSecs = intervalSecs;
      return this;
    }

    public Builder maxConsecutiveFailures(int maxConsecutiveFailures) {
      this.maxConsecutiveFailures = maxConsecutiveFailures;
      return this;
    }

    public Builder minConsecutiveSuccesses(int minConsecutiveSuccesses) {
      this.minConsecutiveSuccesses = minConsecutiveSuccesses;
      return this;
    }

    public Builder timeoutSecs(double timeoutSecs) {
      this.timeoutSecs = timeoutSecs;
      return this;
    }

    public HealthCheckConfig build() {
      return new HealthCheckConfig(
          healthChecker,
          initialIntervalSecs,
          intervalSecs,
          maxConsecutiveFailures,
          minConsecutiveSuccesses,
          timeoutSecs);
    }
  }
}
