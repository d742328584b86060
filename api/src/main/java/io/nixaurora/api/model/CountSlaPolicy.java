package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An SLA of at least {@code count} instances running for {@code durationSecs}.
 *
 * @param count instances, >= 1
 * @param durationSecs seconds, >= 0
 */
@JsonPropertyOrder({"count", "duration_secs"})
public record CountSlaPolicy(
    @JsonProperty(value = "count", required = true) int count,
    @JsonProperty(value = "duration_secs", required = true) int durationSecs)
    implements SlaPolicy {

  public CountSlaPolicy {
    Require.atLeast(count, 1, "sla_policy.count");
    Require.atLeast(durationSecs, 0, "sla_policy.duration_secs");
  }

  /** At least {@code count} instances for {@code durationSecs}. */
  public static CountSlaPolicy of(int count, int durationSecs) {
    return new CountSlaPolicy(count, durationSecs);
  }
}
