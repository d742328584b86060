package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A Docker container (Aurora's {@code Docker}).
 *
 * @param image the image, such as {@code repo/name:tag}, required
 * @param parameters extra {@code docker run} parameters, in order (never null; always written)
 */
@JsonPropertyOrder({"image", "parameters"})
public record Docker(
    @JsonProperty(value = "image", required = true) String image,
    @JsonProperty("parameters") List<Parameter> parameters)
    implements Container {

  public Docker {
    Require.nonBlank(image, "docker.image");
    parameters =
        parameters == null ? List.of() : Require.listOrNull(parameters, "docker.parameters");
  }

  /** A Docker container running {@code image} with {@code parameters}. */
  public static Docker of(String image, Parameter... parameters) {
    return new Docker(image, List.of(parameters));
  }
}
