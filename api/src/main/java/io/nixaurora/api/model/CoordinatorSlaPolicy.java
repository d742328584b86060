package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An SLA decided by an external coordinator that the scheduler asks before disrupting instances.
 *
 * @param coordinatorUrl the coordinator's URL, required
 * @param statusKey the key in its JSON answer (default {@code drain})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"coordinator_url", "status_key"})
public record CoordinatorSlaPolicy(
    @JsonProperty(value = "coordinator_url", required = true) String coordinatorUrl,
    @JsonProperty("status_key") String statusKey)
    implements SlaPolicy {

  public CoordinatorSlaPolicy {
    Require.nonBlank(coordinatorUrl, "sla_policy.coordinator_url");
    Require.nonBlankIfSet(statusKey, "sla_policy.status_key");
  }

  /** A coordinator at {@code coordinatorUrl} with the default status key. */
  public static CoordinatorSlaPolicy of(String coordinatorUrl) {
    return new CoordinatorSlaPolicy(coordinatorUrl, null);
  }
}
