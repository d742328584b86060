package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How a {@link Logger} in {@code rotate} mode rotates a process's logs.
 *
 * @param logSize bytes per log file before rotating (Aurora default 100 MiB), positive
 * @param backups rotated files kept (default 5), at least 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"log_size", "backups"})
public record RotatePolicy(
    @JsonProperty("log_size") Long logSize, @JsonProperty("backups") Integer backups) {

  public RotatePolicy {
    Require.atLeast(logSize, 1, "rotate.log_size");
    Require.atLeast(backups, 0, "rotate.backups");
  }

  /** A policy with both values set. */
  public static RotatePolicy of(long logSize, int backups) {
    return new RotatePolicy(logSize, backups);
  }
}
