package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A key/value pair attached to the job's tasks (Aurora's {@code Metadata}).
 *
 * @param key required
 * @param value required (may be empty)
 */
@JsonPropertyOrder({"key", "value"})
public record Metadata(
    @JsonProperty(value = "key", required = true) String key,
    @JsonProperty(value = "value", required = true) String value) {

  public Metadata {
    Require.nonBlank(key, "metadata.key");
    Require.present(value, "metadata.value");
  }

  /** Metadata {@code key=value}. */
  public static Metadata of(String key, String value) {
    return new Metadata(key, value);
  }
}
