package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where a Thermos process's stdout and stderr go.
 *
 * @param destination file, console, both or none (Aurora default file)
 * @param mode standard or rotate (default standard)
 * @param rotate the rotation policy, used in rotate mode
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"destination", "mode", "rotate"})
public record Logger(
    @JsonProperty("destination") Destination destination,
    @JsonProperty("mode") Mode mode,
    @JsonProperty("rotate") RotatePolicy rotate) {

  /** Where the logs go. */
  public enum Destination {
    @JsonProperty("file")
    FILE,
    @JsonProperty("console")
    CONSOLE,
    @JsonProperty("both")
    BOTH,
    @JsonProperty("none")
    NONE
  }

  /** Whether the logs rotate. */
  public enum Mode {
    @JsonProperty("standard")
    STANDARD,
    @JsonProperty("rotate")
    ROTATE
  }

  public Logger {
    if (rotate != null && mode == Mode.STANDARD) {
      throw new IllegalArgumentException(
          "logger.rotate: a rotate policy needs mode 'rotate', not 'standard'");
    }
  }

  /** Logs to {@code destination} without rotation. */
  public static Logger to(Destination destination) {
    return new Logger(destination, null, null);
  }

  /** Logs to {@code destination}, rotated by {@code policy}. */
  public static Logger rotating(Destination destination, RotatePolicy policy) {
    return new Logger(destination, Mode.ROTATE, Require.present(policy, "logger.rotate"));
  }
}
