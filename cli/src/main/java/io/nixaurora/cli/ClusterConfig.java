package io.nixaurora.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The effective settings of one cluster: what the chosen backends receive.
 *
 * @param cluster the cluster's name
 * @param values every setting that is set (the CLI's {@link Setting}s and the backends' keys), as
 *     strings
 * @param extra free-form settings for plugin backends
 * @param sources where each value came from (built-in default, the file's section, command line)
 * @param file the configuration file, if one was read
 */
public record ClusterConfig(
    String cluster,
    Map<String, String> values,
    Map<String, String> extra,
    Map<String, String> sources,
    Optional<Path> file) {

  public ClusterConfig {
    values = Map.copyOf(values);
    extra = Map.copyOf(extra);
    sources = Map.copyOf(sources);
  }

  /** The store provider's name. */
  public String store() {
    return values.get(Setting.STORE.key());
  }

  /** The submitter's name. */
  public String submitter() {
    return values.get(Setting.SUBMITTER.key());
  }

  /** The cluster's Nix system, such as {@code x86_64-linux}. */
  public String system() {
    return values.get(Setting.SYSTEM.key());
  }

  public Optional<String> get(Setting setting) {
    return get(setting.key());
  }

  /** A value by key: a backend's key, for the few CLI commands that are about one backend. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** What a backend factory receives: every setting and plugin setting, as strings. */
  public Map<String, String> settings() {
    Map<String, String> out = new TreeMap<>(extra);
    out.putAll(values);
    out.remove(Setting.STORE.key());
    out.remove(Setting.SUBMITTER.key());
    out.put("cluster", cluster);
    return Map.copyOf(out);
  }

  /** This configuration without the setting {@code key}. */
  public ClusterConfig withoutSetting(String key) {
    Map<String, String> v = new TreeMap<>(values);
    v.remove(key);
    Map<String, String> s = new TreeMap<>(sources);
    s.remove(key);
    return new ClusterConfig(cluster, v, extra, s, file);
  }

  /** The values with secrets masked, for printing. */
  public Map<String, String> masked() {
    return masked(k -> false);
  }

  /** The values with secrets (those {@code secret} says, and any that look like one) masked. */
  public Map<String, String> masked(Predicate<String> secret) {
    Map<String, String> out = new LinkedHashMap<>();
    new TreeMap<>(values).forEach((k, v) -> out.put(k, secret.test(k) ? SET : mask(k, v)));
    return out;
  }

  /** What a secret that is set shows instead of its value. */
  static final String SET = "(set)";

  /** Masks secrets: passwords, and credentials or {@code secret-key=} inside URLs. */
  static String mask(String key, String value) {
    if (key.contains("password")
        || key.contains("token")
        || key.contains("secret") && !key.endsWith("_file")) {
      return "********";
    }
    // user:password@host in a URL
    String masked = value.replaceAll("(://[^/@:]*):[^/@]*@", "$1:********@");
    return masked;
  }

  @Override
  public String toString() {
    return "ClusterConfig[" + cluster + ", " + masked() + "]";
  }
}
