package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a task is shut down (Aurora's {@code LifecycleConfig}; default: HTTP with its defaults).
 *
 * @param http the HTTP shutdown configuration; null turns the HTTP lifecycle off
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleConfig(@JsonProperty("http") HttpLifecycleConfig http) {

  /** Shutdown over HTTP with {@code http}. */
  public static LifecycleConfig http(HttpLifecycleConfig http) {
    return new LifecycleConfig(http);
  }
}
