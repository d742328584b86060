package io.nixaurora.api.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A backend's settings, checked against its declarations: every declared value fits its type and
 * every required one is set, so the typed getters below cannot fail on a declared key. Undeclared
 * keys (another backend's, or a plugin's that declares nothing) are kept as text.
 */
public final class Settings {
  private final Map<String, SettingDeclaration> declared;
  private final Map<String, String> values;
  private final Map<String, String> sources;

  private Settings(
      Map<String, SettingDeclaration> declared,
      Map<String, String> values,
      Map<String, String> sources) {
    this.declared = declared;
    this.values = values;
    this.sources = sources;
  }

  /** No declarations and no values. */
  public static Settings empty() {
    return new Settings(Map.of(), Map.of(), Map.of());
  }

  /**
   * Checks {@code values} against {@code declarations}.
   *
   * @param sources where each value was written, for the problem lines
   * @throws SettingsException with every problem: a declared value that does not fit its type, a
   *     required key unset
   */
  public static Settings of(
      List<SettingDeclaration> declarations,
      Map<String, String> values,
      Map<String, String> sources) {
    Map<String, SettingDeclaration> declared = new LinkedHashMap<>();
    for (SettingDeclaration d : declarations) {
      if (declared.put(d.key(), d) != null) {
        throw new IllegalArgumentException("setting " + d.key() + " is declared twice");
      }
    }
    List<SettingProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> v : values.entrySet()) {
      SettingDeclaration d = declared.get(v.getKey());
      if (d != null) {
        d.type()
            .problem(v.getValue(), d.allowed())
            .ifPresent(
                p ->
                    problems.add(
                        new SettingProblem(v.getKey(), sources.getOrDefault(v.getKey(), ""), p)));
      }
    }
    for (SettingDeclaration d : declarations) {
      if (d.required() && !values.containsKey(d.key())) {
        problems.add(new SettingProblem(d.key(), "", "required (" + d.description() + ")"));
      }
    }
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
    return new Settings(Map.copyOf(declared), Map.copyOf(values), Map.copyOf(sources));
  }

  /** Checks {@code values} against {@code declarations}, with no sources to name. */
  public static Settings of(List<SettingDeclaration> declarations, Map<String, String> values) {
    return of(declarations, values, Map.of());
  }

  /** The values as written (no defaults), for factories that read a map. */
  public Map<String, String> asMap() {
    return values;
  }

  /** Whether {@code key} was set (not defaulted). */
  public boolean isSet(String key) {
    return values.containsKey(key);
  }

  /** Where {@code key}'s value was written, if it was. */
  public Optional<String> source(String key) {
    return Optional.ofNullable(sources.get(key));
  }

  /** The declaration of {@code key}, if this backend declares it. */
  public Optional<SettingDeclaration> declaration(String key) {
    return Optional.ofNullable(declared.get(key));
  }

  /** The value of {@code key} as text, else its declared default. */
  public Optional<String> text(String key) {
    String v = values.get(Objects.requireNonNull(key, "key"));
    if (v != null) {
      return Optional.of(v);
    }
    SettingDeclaration d = declared.get(key);
    return d == null ? Optional.empty() : d.defaultValue();
  }

  /** A {@link SettingType#PATH} value, unresolved. */
  public Optional<Path> path(String key) {
    return text(key).map(Path::of);
  }

  /** A {@link SettingType#URL} value. */
  public Optional<URI> url(String key) {
    return text(key).map(URI::create);
  }

  /** A {@link SettingType#BOOLEAN} value; false when unset without a default. */
  public boolean bool(String key) {
    return text(key).map(Boolean::parseBoolean).orElse(false);
  }

  /** An {@link SettingType#INTEGER} value. */
  public Optional<Long> integer(String key) {
    return text(key).map(String::strip).map(Long::parseLong);
  }

  /** A {@link SettingType#DURATION} value. */
  public Optional<Duration> duration(String key) {
    return text(key).map(SettingType::duration);
  }

  /** A {@link SettingType#SIZE} value in bytes. */
  public Optional<Long> size(String key) {
    return text(key).map(SettingType::size);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Settings[");
    values.forEach(
        (k, v) -> {
          SettingDeclaration d = declared.get(k);
          out.append(k).append('=').append(d != null && d.secret() ? "(set)" : v).append(", ");
        });
    return out.append(']').toString();
  }
}
