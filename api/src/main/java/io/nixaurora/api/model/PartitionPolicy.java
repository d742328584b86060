package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the scheduler does with a task on a partitioned agent (Aurora's {@code PartitionPolicy}).
 *
 * @param reschedule reschedule it elsewhere (default true)
 * @param delaySecs wait this long first (default 0), >= 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"reschedule", "delay_secs"})
public record PartitionPolicy(
    @JsonProperty("reschedule") Boolean reschedule, @JsonProperty("delay_secs") Integer delaySecs) {

  public PartitionPolicy {
    Require.atLeast(delaySecs, 0, "partition_policy.delay_secs");
  }

  /** A policy with both values set. */
  public static PartitionPolicy of(boolean reschedule, int delaySecs) {
    return new PartitionPolicy(reschedule, delaySecs);
  }
}
