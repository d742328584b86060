package io.nixaurora.api.event;

import java.util.Objects;

/**
 * A log line from a library.
 *
 * @param level how much it matters
 * @param message the text, one line
 */
public record LogEvent(Level level, String message) implements Event {

  /** Log levels, most severe first. */
  public enum Level {
    ERROR,
    WARN,
    /** Shown by default (a summary line, the chosen backend). */
    INFO,
    /** Shown with {@code --verbose}. */
    DEBUG
  }

  public LogEvent {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
  }

  public static LogEvent info(String message) {
    return new LogEvent(Level.INFO, message);
  }

  public static LogEvent debug(String message) {
    return new LogEvent(Level.DEBUG, message);
  }

  public static LogEvent warn(String message) {
    return new LogEvent(Level.WARN, message);
  }
}
