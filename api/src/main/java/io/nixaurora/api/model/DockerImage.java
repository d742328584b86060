package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A Docker image run by the Mesos containerizer (not by Docker).
 *
 * @param name the image name, required
 * @param tag the tag, required
 */
@JsonPropertyOrder({"name", "tag"})
public record DockerImage(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "tag", required = true) String tag)
    implements MesosImage {

  public DockerImage {
    Require.nonBlank(name, "image.name");
    Require.nonBlank(tag, "image.tag");
  }

  /** The Docker image {@code name:tag}. */
  public static DockerImage of(String name, String tag) {
    return new DockerImage(name, tag);
  }
}
