package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A {@code docker run} parameter, such as {@code ("env", "FOO=bar")}.
 *
 * @param name the parameter name, required
 * @param value its value, required (may be empty)
 */
@JsonPropertyOrder({"name", "value"})
public record Parameter(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "value", required = true) String value) {

  public Parameter {
    Require.nonBlank(name, "parameter.name");
    Require.present(value, "parameter.value");
  }

  /** A parameter {@code name=value}. */
  public static Parameter of(String name, String value) {
    return new Parameter(name, value);
  }
}
