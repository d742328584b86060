package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.SubmitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Aurora's {@code clusters.json}, read from the aurora client's places (docs/aurora-spec.md §6):
 * {@code $AURORA_CONFIG_ROOT} or {@code /etc/aurora}, then {@code ~/.aurora}; clusters are merged
 * by name, a later file overriding an earlier one.
 */
final class Clusters {

  /**
   * One cluster's entry.
   *
   * @param zk comma-separated ZooKeeper hosts, or empty
   * @param zkPort the ZooKeeper port (2181)
   * @param schedulerZkPath the serverset path
   * @param schedulerUri the scheduler's URL, or empty
   * @param authMechanism UNAUTHENTICATED (the default) or KERBEROS
   */
  record Cluster(
      String name,
      Optional<String> zk,
      int zkPort,
      Optional<String> schedulerZkPath,
      Optional<String> schedulerUri,
      String authMechanism) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Map<String, Cluster> clusters;

  private Clusters(Map<String, Cluster> clusters) {
    this.clusters = clusters;
  }

  /** The aurora client's search path: {@code configRoot} (or /etc/aurora), then ~/.aurora. */
  static List<Path> searchPath(Optional<String> configRoot, Path home) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(Path.of(configRoot.orElse("/etc/aurora")));
    dirs.add(home.resolve(".aurora"));
    return dirs;
  }

  /**
   * Reads {@code clusters.json} from each directory that has one.
   *
   * @throws SubmitException.InvalidConfiguration naming the file when one is not valid
   */
  static Clusters load(List<Path> directories) throws SubmitException {
    Map<String, Cluster> merged = new LinkedHashMap<>();
    for (Path dir : directories) {
      Path file = dir.resolve("clusters.json");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      JsonNode root;
      try {
        root = MAPPER.readTree(file.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        // Jackson's own text names its source buffer: say where, in the file's terms.
        throw new SubmitException.InvalidConfiguration(
            file
                + ": not valid JSON: "
                + TJsonReply.jsonProblem(e)
                + (e.getLocation() == null
                    ? ""
                    : " at line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()));
      } catch (IOException e) {
        throw new SubmitException.InvalidConfiguration("cannot read " + file + ": " + e);
      }
      List<JsonNode> entries = new ArrayList<>();
      if (root != null && root.isArray()) {
        root.forEach(entries::add);
      } else if (root != null && root.isObject()) {
        root.elements().forEachRemaining(entries::add);
      } else {
        throw new SubmitException.InvalidConfiguration(
            file + ": expected a list of clusters or an object of clusters");
      }
      for (JsonNode entry : entries) {
        if (!entry.isObject() || !entry.hasNonNull("name")) {
          continue; // the aurora client ignores entries without a name
        }
        String name = entry.get("name").asText();
        merged.put(
            name,
            new Cluster(
                name,
                text(entry, "zk"),
                entry.path("zk_port").asInt(2181),
                text(entry, "scheduler_zk_path"),
                text(entry, "scheduler_uri"),
                text(entry, "auth_mechanism").orElse("UNAUTHENTICATED")));
      }
    }
    return new Clusters(merged);
  }

  private static Optional<String> text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || value.isNull() || value.asText().isEmpty()
        ? Optional.empty()
        : Optional.of(value.asText());
  }

  /**
   * The named cluster.
   *
   * @throws SubmitException.InvalidConfiguration for an unknown cluster (the client's exit 3) or
   *     one with neither zk nor scheduler_uri
   */
  Cluster get(String name, List<Path> searched) throws SubmitException {
    Cluster cluster = clusters.get(name);
    if (cluster == null) {
      throw new SubmitException.InvalidConfiguration(
          "Unknown cluster: "
              + name
              + " (not in clusters.json under "
              + searched
              + "; known: "
              + clusters.keySet()
              + ")");
    }
    if (cluster.zk().isEmpty() && cluster.schedulerUri().isEmpty()) {
      throw new SubmitException.InvalidConfiguration(
          "cluster " + name + " in clusters.json does not specify zk or scheduler_uri");
    }
    if (cluster.zk().isPresent() && cluster.schedulerZkPath().isEmpty()) {
      throw new SubmitException.InvalidConfiguration(
          "cluster " + name + " in clusters.json has zk but no scheduler_zk_path");
    }
    return cluster;
  }
}
