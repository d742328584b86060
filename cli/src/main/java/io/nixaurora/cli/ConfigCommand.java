package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.api.settings.SettingsValidator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora config [CLUSTER]}: the effective configuration, secrets masked. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    header = "Print the effective configuration (secrets masked).",
    sortOptions = false,
    description = {
      "Prints the effective configuration of CLUSTER (or the defaults), with where each value"
          + " comes from; secrets are masked.",
      "",
      "The file (./nix-aurora.json, else ~/.config/nix-aurora/config.json, or --config FILE) is"
          + " a JSON object {\"defaults\": {…}, \"clusters\": {\"NAME\": {…}}}. Each section"
          + " takes these keys, declared by the CLI and by each backend (a plugin that declares"
          + " none takes its keys under \"settings\"):",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora config",
      "  nix-aurora config devcluster",
      "  nix-aurora config prod --set daemon=true --json",
      "",
      "  {\"defaults\": {\"store\": \"local\", \"submitter\": \"cli\"},",
      "   \"clusters\": {\"devcluster\": {},",
      "                \"prod\": {\"store\": \"binary-cache\", \"cache_url\": \"https://cache.internal\","
          + " \"secret_key_file\": \"/etc/nix-aurora/cache.sec\", \"daemon\": true,"
          + " \"submitter\": \"http\"}}}"
    })
public final class ConfigCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CLUSTER",
      description = "The cluster (default: show the defaults and the configured clusters).")
  String cluster;

  @Option(names = "--json", description = "Print the settings as a JSON object.")
  boolean json;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  ConfigCommand(Session session) {
    this.session = session;
  }

  /**
   * The key table, for the description: the CLI's keys and every backend's, from their
   * declarations, with the backends that read each.
   */
  static String keyTable(Backends backends) {
    StringBuilder out = new StringBuilder();
    for (Backends.Declared d : backends.declarations()) {
      SettingDeclaration s = d.declaration();
      String type =
          s.type() == SettingType.ENUM ? String.join("|", s.allowed()) : s.type().shortName();
      // Two lines a key, so the table stays readable in 80 columns: the key, its type and who
      // reads it, then what it is.
      out.append(String.format("  %-23s %s  [%s]%n", s.key(), type, String.join(", ", d.owners())));
      out.append(
          String.format(
              "      %s%s%n",
              s.description(), s.defaultValue().map(v -> " (default " + v + ")").orElse("")));
    }
    return out.toString().stripTrailing();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Configuration configuration = session.configuration();
    ClusterConfig config =
        cluster == null
            ? configuration.defaults(clusterOptions.overrides())
            : configuration.forCluster(cluster, clusterOptions.overrides());
    Backends backends = session.backends();
    Map<String, String> masked = config.masked(backends::secret);
    // The chosen backends' keys that are not set, with their defaults: what they will use.
    Map<String, String> unset = new TreeMap<>();
    List<SettingDeclaration> declared = new ArrayList<>(Setting.DECLARATIONS);
    declared.addAll(backends.storeSettings(config.store()));
    declared.addAll(backends.submitterSettings(config.submitter()));
    for (SettingDeclaration d : declared) {
      if (!masked.containsKey(d.key())) {
        unset.put(d.key(), d.secret() ? "(unset)" : d.defaultValue().orElse("(unset)"));
      }
    }
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("cluster", cluster);
      root.put("file", configuration.file().map(Object::toString).orElse(null));
      ObjectNode values = root.putObject("settings");
      SettingsValidator validator = backends.validator();
      masked.forEach(
          (k, v) -> {
            SettingType type =
                validator.declarations(k).stream()
                    .map(SettingDeclaration::type)
                    .findFirst()
                    .orElse(SettingType.STRING);
            if (type == SettingType.BOOLEAN && (v.equals("true") || v.equals("false"))) {
              values.put(k, Boolean.parseBoolean(v));
            } else if (type == SettingType.INTEGER && v.matches("[0-9]{1,18}")) {
              values.put(k, Long.parseLong(v));
            } else {
              values.put(k, v);
            }
          });
      ObjectNode defaults = root.putObject("defaults");
      unset.forEach(defaults::put);
      ObjectNode extra = root.putObject("plugin_settings");
      config.extra().forEach((k, v) -> extra.put(k, ClusterConfig.mask(k, v)));
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      out.println(
          "# configuration file: "
              + configuration.file().map(Object::toString).orElse("none (built-in defaults)"));
      if (cluster == null) {
        out.println(
            "# clusters: "
                + (configuration.clusterNames().isEmpty()
                    ? "none configured (every cluster gets the defaults)"
                    : String.join(", ", configuration.clusterNames())));
        out.println("# defaults:");
      } else {
        out.println("# cluster " + cluster + ":");
      }
      int width =
          java.util.stream.Stream.concat(masked.keySet().stream(), unset.keySet().stream())
              .mapToInt(String::length)
              .max()
              .orElse(10);
      masked.forEach(
          (k, v) ->
              out.printf(
                  "%-" + width + "s = %s   # %s%n", k, v, config.sources().getOrDefault(k, "?")));
      unset.forEach((k, v) -> out.printf("%-" + width + "s = %s   # not set (default)%n", k, v));
      config
          .extra()
          .forEach((k, v) -> out.printf("settings.%s = %s%n", k, ClusterConfig.mask(k, v)));
    }
    out.flush();
    return 0;
  }
}
