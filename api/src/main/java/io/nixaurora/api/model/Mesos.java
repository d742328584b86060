package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A Mesos-containerizer container (Aurora's {@code Mesos}), optionally with a filesystem image.
 *
 * @param image the image, or null for the agent's own filesystem
 * @param volumes host paths to mount, in order (never null; always written)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"image", "volumes"})
public record Mesos(
    @JsonProperty("image") MesosImage image, @JsonProperty("volumes") List<Volume> volumes)
    implements Container {

  public Mesos {
    volumes = volumes == null ? List.of() : Require.listOrNull(volumes, "mesos.volumes");
  }

  /** A Mesos container with {@code image} (may be null) and {@code volumes}. */
  public static Mesos of(MesosImage image, Volume... volumes) {
    return new Mesos(image, List.of(volumes));
  }
}
