package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Which executor runs the task (Aurora's {@code ExecutorConfig}). With the default name {@code
 * AuroraExecutor} the client replaces {@code data} with the job itself; a custom executor gets
 * {@code name} and {@code data} as they are.
 *
 * @param name the executor name (default {@code AuroraExecutor})
 * @param data the executor's configuration (default empty)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "data"})
public record ExecutorConfig(@JsonProperty("name") String name, @JsonProperty("data") String data) {

  /** Aurora's own executor's name. */
  public static final String AURORA_EXECUTOR = "AuroraExecutor";

  public ExecutorConfig {
    Require.nonBlankIfSet(name, "executor_config.name");
  }

  /** The executor {@code name} with {@code data}. */
  public static ExecutorConfig of(String name, String data) {
    return new ExecutorConfig(name, data);
  }
}
