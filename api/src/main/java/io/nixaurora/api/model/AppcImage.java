package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An AppC image for the Mesos containerizer.
 *
 * @param name the image name, required
 * @param imageId the image id, required
 */
@JsonPropertyOrder({"name", "image_id"})
public record AppcImage(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "image_id", required = true) String imageId)
    implements MesosImage {

  public AppcImage {
    Require.nonBlank(name, "image.name");
    Require.nonBlank(imageId, "image.image_id");
  }

  /** The AppC image {@code name} with id {@code imageId}. */
  public static AppcImage of(String name, String imageId) {
    return new AppcImage(name, imageId);
  }
}
