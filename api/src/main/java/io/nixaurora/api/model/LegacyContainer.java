package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Aurora's deprecated {@code Container(docker=Docker(...))} wrapper, {@code {"docker": {...}}} in
 * JSON. Prefer {@link Docker} directly; this exists so that every job Aurora reads can be read.
 *
 * @param docker the Docker container, required
 */
public record LegacyContainer(@JsonProperty(value = "docker", required = true) Docker docker)
    implements Container {

  public LegacyContainer {
    Require.present(docker, "container.docker");
  }
}
