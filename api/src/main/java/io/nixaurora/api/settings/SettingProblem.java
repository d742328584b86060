package io.nixaurora.api.settings;

import java.util.Objects;

/**
 * One thing wrong with a setting.
 *
 * @param key the key as written
 * @param source where it was written: a file and its section ({@code /etc/nix-aurora.json
 *     clusters.prod}), or {@code --set}
 * @param message what is wrong
 */
public record SettingProblem(String key, String source, String message) {

  public SettingProblem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** One line: source (when known), key, message. */
  public String line() {
    return (source.isEmpty() ? "" : source + ": ") + key + ": " + message;
  }

  @Override
  public String toString() {
    return line();
  }
}
