package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An SLA of at least {@code percentage} percent of instances running for {@code durationSecs}.
 *
 * @param percentage in (0, 100]
 * @param durationSecs seconds, >= 0
 */
@JsonPropertyOrder({"percentage", "duration_secs"})
public record PercentageSlaPolicy(
    @JsonProperty(value = "percentage", required = true) double percentage,
    @JsonProperty(value = "duration_secs", required = true) int durationSecs)
    implements SlaPolicy {

  public PercentageSlaPolicy {
    if (!(percentage > 0 && percentage <= 100)) {
      throw new IllegalArgumentException(
          "sla_policy.percentage: must be in (0, 100], got " + percentage);
    }
    Require.atLeast(durationSecs, 0, "sla_policy.duration_secs");
  }

  /** At least {@code percentage} percent of instances for {@code durationSecs}. */
  public static PercentageSlaPolicy of(double percentage, int durationSecs) {
    return new PercentageSlaPolicy(percentage, durationSecs);
  }
}
