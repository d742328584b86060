package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A host path mounted into a Mesos container.
 *
 * @param containerPath where it appears in the container, required
 * @param hostPath the path on the agent, required
 * @param mode read-only or read-write, required
 */
@JsonPropertyOrder({"container_path", "host_path", "mode"})
public record Volume(
    @JsonProperty(value = "container_path", required = true) String containerPath,
    @JsonProperty(value = "host_path", required = true) String hostPath,
    @JsonProperty(value = "mode", required = true) Mode mode) {

  /** Aurora's volume modes. */
  public enum Mode {
    RO,
    RW
  }

  public Volume {
    Require.nonBlank(containerPath, "volume.container_path");
    Require.nonBlank(hostPath, "volume.host_path");
    Require.present(mode, "volume.mode");
  }

  /** A volume mounting {@code hostPath} at {@code containerPath}. */
  public static Volume of(String containerPath, String hostPath, Mode mode) {
    return new Volume(containerPath, hostPath, mode);
  }
}
