package io.nixaurora.api.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One setting a backend reads from its cluster's configuration: the CLI checks values against it
 * before the backend is made, and lists it in {@code config --help}, {@code config} and shell
 * completion.
 *
 * @param key the key in the configuration file and in {@code -S KEY=VALUE}
 * @param type what values it takes
 * @param defaultValue the value when unset, as text; empty when there is none (the backend then
 *     decides, e.g. from the environment, which {@link #description()} says)
 * @param description one line for tables
 * @param secret whether the value is never shown (only whether it is set)
 * @param required whether the backend cannot work without it
 * @param allowed the values an {@link SettingType#ENUM} takes; empty otherwise
 */
public record SettingDeclaration(
    String key,
    SettingType type,
    Optional<String> defaultValue,
    String description,
    boolean secret,
    boolean required,
    List<String> allowed) {

  public SettingDeclaration {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
    allowed = List.copyOf(allowed);
    if (!key.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "setting key '" + key + "': use lower case letters, digits and _");
    }
    if ((type == SettingType.ENUM) == allowed.isEmpty()) {
      throw new IllegalArgumentException(
          "setting " + key + ": an enum lists its values, and only an enum does");
    }
    if (defaultValue.isPresent()) {
      Optional<String> problem = type.problem(defaultValue.get(), allowed);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("setting " + key + ": default " + problem.get());
      }
    }
  }

  /** Starts a declaration of {@code key} of {@code type}. */
  public static Builder builder(String key, SettingType type) {
    return new Builder(key, type);
  }

  /** Starts a declaration of an {@link SettingType#ENUM} taking {@code allowed}. */
  public static Builder oneOf(String key, String... allowed) {
    Builder b = new Builder(key, SettingType.ENUM);
    b.allowed = List.of(allowed);
    return b;
  }

  /** Builds a {@link SettingDeclaration}. */
  public static final class Builder {
    private final String key;
    private final SettingType type;
    private Optional<String> defaultValue = Optional.empty();
    private String description = "";
    private boolean secret;
    private boolean required;
    private List<String> allowed = List.of();

    private Builder(String key, SettingType type) {
      this.key = key;
      this.type = type;
    }

    public Builder defaultValue(String value) {
      this.defaultValue = Optional.of(value);
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** The value is never shown, only whether it is set. */
    public Builder secret() {
      this.secret = true;
      return this;
    }

    /** The backend cannot be made without it. */
    public Builder required() {
      this.required = true;
      return this;
    }

    public SettingDeclaration build() {
      return new SettingDeclaration(
          key, type, defaultValue, description, secret, required, allowed);
    }
  }
}
