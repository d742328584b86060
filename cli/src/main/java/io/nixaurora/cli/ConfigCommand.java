package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
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
          + " takes these keys (plugin settings go under \"settings\"):",
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

  /** The key table, for the description. */
  static String keyTable() {
    StringBuilder out = new StringBuilder();
    for (Setting s : Setting.values()) {
      String type =
          switch (s.type()) {
            case BOOLEAN -> "bool";
            case INTEGER -> "int";
            default -> "text";
          };
      out.append(String.format("  %-23s %-4s %s%n", s.key(), type, s.description()));
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
    Map<String, String> masked = config.masked();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("cluster", cluster);
      root.put("file", configuration.file().map(Object::toString).orElse(null));
      ObjectNode values = root.putObject("settings");
      masked.forEach(
          (k, v) -> {
            Setting.Type type = Setting.forKey(k).map(Setting::type).orElse(Setting.Type.STRING);
            switch (type) {
              case BOOLEAN -> values.put(k, Boolean.parseBoolean(v));
              case INTEGER -> values.put(k, Long.parseLong(v));
              default -> values.put(k, v);
            }
          });
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
      int width = masked.keySet().stream().mapToInt(String::length).max().orElse(10);
      masked.forEach(
          (k, v) ->
              out.printf(
                  "%-" + width + "s = %s   # %s%n", k, v, config.sources().getOrDefault(k, "?")));
      config
          .extra()
          .forEach((k, v) -> out.printf("settings.%s = %s%n", k, ClusterConfig.mask(k, v)));
    }
    out.flush();
    return 0;
  }
}
