package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A task's resources. {@code ram} and {@code disk} are in bytes (use {@link Units}).
 *
 * @param cpu cores, fractions allowed, must be positive
 * @param ram bytes, at least 1 MiB
 * @param disk bytes, at least 1 MiB
 * @param gpu GPUs, default 0 (null means unset)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cpu", "ram", "disk", "gpu"})
public record Resources(
    @JsonProperty(value = "cpu", required = true) double cpu,
    @JsonProperty(value = "ram", required = true) long ram,
    @JsonProperty(value = "disk", required = true) long disk,
    @JsonProperty("gpu") Integer gpu) {

  public Resources {
    if (!(cpu > 0) || Double.isInfinite(cpu)) {
      throw new IllegalArgumentException("resources.cpu: must be > 0, got " + cpu);
    }
    if (ram < Units.MB) {
      throw new IllegalArgumentException(
          "resources.ram: must be at least 1 MiB (" + Units.MB + " bytes), got " + ram);
    }
    if (disk < Units.MB) {
      throw new IllegalArgumentException(
          "resources.disk: must be at least 1 MiB (" + Units.MB + " bytes), got " + disk);
    }
    if (gpu != null && gpu < 0) {
      throw new IllegalArgumentException("resources.gpu: must be >= 0, got " + gpu);
    }
  }

  /** Resources without GPUs. */
  public static Resources of(double cpu, long ram, long disk) {
    return new Resources(cpu, ram, disk, null);
  }
}
