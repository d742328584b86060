package io.nixaurora.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingsValidator;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configuration file: {@code defaults} and per-cluster sections, each a flat object of the
 * CLI's keys ({@link Setting}) and the backends' declared keys, plus a free-form {@code settings}
 * object for plugin backends that declare none. Keys nobody declares and values that do not fit
 * their type are refused, every one at once, with the closest known key for a misspelt one.
 *
 * <pre>{@code
 * {
 *   "defaults": { "store": "local", "submitter": "cli" },
 *   "clusters": {
 *     "devcluster": { "daemon": false },
 *     "prod": { "store": "binary-cache", "cache_url": "https://cache.internal",
 *               "secret_key_file": "/etc/nix-aurora/cache.sec", "daemon": true,
 *               "submitter": "http", "scheduler_uri": "https://aurora.internal" }
 *   }
 * }
 * }</pre>
 *
 * <p>Looked for at {@code --config FILE}, else {@code ./nix-aurora.json}, else {@code
 * ~/.config/nix-aurora/config.json}; without a file every cluster gets the built-in defaults.
 */
public final class Configuration {

  /** The file name looked for in the working directory. */
  public static final String LOCAL_FILE = "nix-aurora.json";

  /** Built-in defaults, below everything else. */
  static final Map<String, String> BUILT_IN =
      Map.of(
          Setting.STORE.key(), "local",
          Setting.SUBMITTER.key(), "cli",
          Setting.SYSTEM.key(), "x86_64-linux");

  private static final String EXTRA = "settings";

  /** The JSON type a value was written with. */
  enum Kind {
    TEXT,
    BOOLEAN,
    INTEGER,
    NUMBER
  }

  /** A value as written: its text and JSON type. */
  record Raw(String text, Kind kind) {}

  /** One section: settings as written, and free-form plugin settings as strings. */
  record Section(Map<String, Raw> values, Map<String, String> extra) {
    static final Section EMPTY = new Section(Map.of(), Map.of());

    Map<String, String> texts() {
      Map<String, String> out = new LinkedHashMap<>();
      values.forEach((k, v) -> out.put(k, v.text()));
      return out;
    }
  }

  private final Optional<Path> file;
  private final Section defaults;
  private final Map<String, Section> clusters;
  private final Optional<SettingsValidator> validator;

  private Configuration(
      Optional<Path> file,
      Section defaults,
      Map<String, Section> clusters,
      Optional<SettingsValidator> validator) {
    this.file = file;
    this.defaults = defaults;
    this.clusters = clusters;
    this.validator = validator;
  }

  /** A configuration with no file: built-in defaults for every cluster; keys are not checked. */
  public static Configuration empty() {
    return new Configuration(Optional.empty(), Section.EMPTY, Map.of(), Optional.empty());
  }

  /**
   * This configuration, its keys and values checked by {@code validator} when a cluster's are read.
   */
  public Configuration checkedBy(SettingsValidator validator) {
    return new Configuration(file, defaults, clusters, Optional.of(validator));
  }

  /**
   * Finds and reads the configuration, checking keys and values against {@code validator} (every
   * known backend's declarations and the CLI's own).
   *
   * @throws CliException (exit 3) naming the file when it is not a configuration
   */
  public static Configuration load(Environment env, String explicit, SettingsValidator validator)
      throws CliException {
    return load(env, explicit).checkedBy(validator);
  }

  /**
   * Finds and reads the configuration without checking its keys against the backends' declarations
   * (only its shape: JSON objects of scalar values).
   *
   * @param explicit the {@code --config} file, which must exist, or null
   * @throws CliException (exit 3) naming the file and the key when the file is not valid
   */
  public static Configuration load(Environment env, String explicit) throws CliException {
    Path path;
    if (explicit != null) {
      path = env.resolve(explicit);
      if (!Files.exists(path)) {
        throw CliException.configuration(
            "configuration file " + path + " does not exist",
            "check the --config path, or leave it out to use ./" + LOCAL_FILE);
      }
    } else {
      path = env.workingDirectory().resolve(LOCAL_FILE);
      if (!Files.exists(path)) {
        path = env.configDirectory().resolve("config.json");
        if (!Files.exists(path)) {
          return empty();
        }
      }
    }
    return read(path);
  }

  /** Reads one configuration file. */
  static Configuration read(Path path) throws CliException {
    JsonNode root;
    try {
      ObjectMapper mapper = new ObjectMapper();
      mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      root = mapper.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw CliException.configuration("configuration file " + path + " does not exist", null);
    } catch (AccessDeniedException e) {
      throw CliException.configuration(
          "cannot read configuration file " + path + ": permission denied",
          "make it readable (chmod u+r), or pass another file with --config");
    } catch (StreamConstraintsException e) {
      // Jackson's limits (nesting depth, string and number length) guard the reader; a real
      // configuration is a few levels deep with short values.
      throw CliException.configuration(
          path + ": not a configuration file: nested too deeply or a value far too long",
          "`nix-aurora config --help` shows the format");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw CliException.configuration(
          path
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not valid JSON: "
              + e.getOriginalMessage().lines().findFirst().orElse(""),
          "fix the JSON syntax; `nix-aurora config --help` shows the format");
    } catch (StackOverflowError e) {
      // A reader without a nesting limit would recurse this deep; the file is not a configuration.
      throw CliException.configuration(
          path + ": not a configuration file: nested too deeply",
          "`nix-aurora config --help` shows the format");
    } catch (IOException e) {
      throw CliException.configuration(
          "cannot read configuration file " + path + ": " + e.getMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw problem(
          path, "(top level)", "must be a JSON object with \"defaults\" and \"clusters\"");
    }
    Section defaults = Section.EMPTY;
    Map<String, Section> clusters = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      switch (field.getKey()) {
        case "defaults" -> defaults = section(path, "defaults", field.getValue());
        case "clusters" -> {
          JsonNode node = field.getValue();
          if (!node.isObject()) {
            throw problem(path, "clusters", "must be an object of cluster name to settings");
          }
          for (Iterator<Map.Entry<String, JsonNode>> c = node.fields(); c.hasNext(); ) {
            Map.Entry<String, JsonNode> cluster = c.next();
            if (cluster.getKey().isBlank() || cluster.getKey().contains("/")) {
              throw problem(
                  path, "clusters." + cluster.getKey(), "is not a valid cluster name (no '/')");
            }
            clusters.put(
                cluster.getKey(),
                section(path, "clusters." + cluster.getKey(), cluster.getValue()));
          }
        }
        default ->
            throw problem(
                path,
                field.getKey(),
                "unknown key (the top level holds \"defaults\" and \"clusters\")");
      }
    }
    return new Configuration(Optional.of(path), defaults, clusters, Optional.empty());
  }

  private static Section section(Path path, String where, JsonNode node) throws CliException {
    if (!node.isObject()) {
      throw problem(path, where, "must be an object of settings");
    }
    Map<String, Raw> values = new LinkedHashMap<>();
    Map<String, String> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals(EXTRA)) {
        if (!value.isObject()) {
          throw problem(path, where + "." + EXTRA, "must be an object of plugin settings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> e = value.fields(); e.hasNext(); ) {
          Map.Entry<String, JsonNode> x = e.next();
          if (!x.getValue().isValueNode() || x.getValue().isNull()) {
            throw problem(
                path,
                where + "." + EXTRA + "." + x.getKey(),
                "must be a string, number or boolean");
          }
          extra.put(x.getKey(), x.getValue().asText());
        }
        continue;
      }
      if (value.isBoolean()) {
        values.put(key, new Raw(value.asText(), Kind.BOOLEAN));
      } else if (value.isIntegralNumber()) {
        values.put(key, new Raw(value.asText(), Kind.INTEGER));
      } else if (value.isNumber()) {
        values.put(key, new Raw(value.asText(), Kind.NUMBER));
      } else if (value.isTextual()) {
        values.put(key, new Raw(value.asText(), Kind.TEXT));
      } else {
        throw problem(
            path,
            where + "." + key,
            "expected a string, number or boolean, got " + (value.isNull() ? "null" : value));
      }
    }
    return new Section(Map.copyOf(values), Map.copyOf(extra));
  }

  /**
   * Every problem of the file's sections: keys nobody declares, values of the wrong JSON type or
   * that do not fit the declared type.
   */
  private List<String> fileProblems(SettingsValidator v) {
    List<String> out = new ArrayList<>();
    String name = file.map(Path::toString).orElse("");
    sectionProblems(v, name, "defaults", defaults, out);
    clusters.forEach((c, section) -> sectionProblems(v, name, "clusters." + c, section, out));
    return out;
  }

  private static void sectionProblems(
      SettingsValidator v, String file, String where, Section section, List<String> out) {
    section
        .values()
        .forEach(
            (key, raw) -> {
              String at = file + ": " + where + "." + key + ": ";
              Optional<String> kind = kindProblem(v.declarations(key), raw);
              if (kind.isPresent()) {
                out.add(at + kind.get());
                return;
              }
              v.check(new SettingsValidator.Value(key, raw.text(), ""))
                  .ifPresent(p -> out.add(at + p.message()));
            });
  }

  /** JSON's own types where the setting has one: true/false unquoted, whole numbers unquoted. */
  private static Optional<String> kindProblem(List<SettingDeclaration> declared, Raw raw) {
    for (SettingDeclaration d : declared) {
      boolean fits =
          switch (d.type()) {
            case BOOLEAN -> raw.kind() == Kind.BOOLEAN;
            case INTEGER -> raw.kind() == Kind.INTEGER;
            case DURATION, SIZE -> raw.kind() != Kind.BOOLEAN;
            default -> raw.kind() == Kind.TEXT;
          };
      if (!fits) {
        String expected =
            switch (d.type()) {
              case BOOLEAN -> "true or false";
              case INTEGER -> "a non-negative integer";
              case DURATION, SIZE -> "a number or a string";
              default -> "a string";
            };
        // A secret's value is never shown, not even a wrongly typed one.
        boolean secret = declared.stream().anyMatch(SettingDeclaration::secret);
        String shown =
            secret
                ? "a value of another type"
                : raw.kind() == Kind.TEXT ? "\"" + raw.text() + "\"" : raw.text();
        return Optional.of("expected " + expected + ", got " + shown);
      }
    }
    return Optional.empty();
  }

  private static CliException problem(Path path, String where, String message) {
    return CliException.configuration(
        path + ": " + where + ": " + message,
        "edit " + path + "; `nix-aurora config --help` lists the keys");
  }

  /** The file read, if any. */
  public Optional<Path> file() {
    return file;
  }

  /** The clusters that have a section. */
  public Set<String> clusterNames() {
    return clusters.keySet();
  }

  /**
   * The effective settings of {@code cluster}: built-in defaults, then the file's defaults, then
   * its cluster section, then {@code overrides} (from flags).
   *
   * @throws CliException (exit 3) when the file names clusters and this is not one of them, or an
   *     override is bad
   */
  public ClusterConfig forCluster(String cluster, Map<String, String> overrides)
      throws CliException {
    Section section = clusters.get(cluster);
    if (section == null) {
      if (!clusters.isEmpty()) {
        throw CliException.configuration(
            "unknown cluster '"
                + cluster
                + "' (configured in "
                + file.map(Path::toString).orElse("?")
                + ": "
                + String.join(", ", clusters.keySet())
                + ")",
            "use one of those clusters, or add a \"" + cluster + "\" section under \"clusters\"");
      }
      section = Section.EMPTY;
    }
    return effective(cluster, section, overrides);
  }

  private ClusterConfig effective(String cluster, Section section, Map<String, String> overrides)
      throws CliException {
    List<String> problems = new ArrayList<>();
    validator.ifPresent(v -> problems.addAll(fileProblems(v)));
    Map<String, String> values = new TreeMap<>();
    Map<String, String> sources = new TreeMap<>();
    Map<String, String> extra = new TreeMap<>();
    put(values, sources, BUILT_IN, "built-in default");
    String name = file.map(Path::toString).orElse("");
    put(values, sources, defaults.texts(), name + " defaults");
    extra.putAll(defaults.extra());
    put(values, sources, section.texts(), name + " clusters." + cluster);
    extra.putAll(section.extra());
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      validator
          .flatMap(v -> v.check(new SettingsValidator.Value(o.getKey(), o.getValue(), "")))
          .ifPresent(p -> problems.add("--set " + o.getKey() + ": " + p.message()));
      values.put(o.getKey(), o.getValue());
      sources.put(o.getKey(), "command line");
    }
    if (!problems.isEmpty()) {
      throw CliException.configuration(
          problems.size() == 1
              ? problems.get(0)
              : problems.size() + " problems in the settings:\n  " + String.join("\n  ", problems),
          "fix the keys named above; `nix-aurora config --help` lists every key");
    }
    return new ClusterConfig(cluster, values, extra, sources, file);
  }

  /**
   * The settings before the cluster is known (the file's defaults and the flags), for evaluating a
   * job whose file names its cluster.
   */
  public ClusterConfig defaults(Map<String, String> overrides) throws CliException {
    return effective("(defaults)", Section.EMPTY, overrides);
  }

  private static void put(
      Map<String, String> values,
      Map<String, String> sources,
      Map<String, String> from,
      String source) {
    values.putAll(from);
    from.keySet().forEach(k -> sources.put(k, source));
  }

  /** Flags that override the file, in order: {@code --store}, {@code --submitter}, then sets. */
  static Map<String, String> overrides(String store, String submitter, List<String> sets)
      throws CliException {
    Map<String, String> out = new LinkedHashMap<>();
    if (sets != null) {
      for (String set : sets) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
          throw new CliException(
              CliException.USAGE,
              "--set " + set + ": expected KEY=VALUE",
              "e.g. --set daemon=true");
        }
        out.put(set.substring(0, eq), set.substring(eq + 1));
      }
    }
    if (store != null) {
      out.put(Setting.STORE.key(), store);
    }
    if (submitter != null) {
      out.put(Setting.SUBMITTER.key(), submitter);
    }
    return out;
  }
}
