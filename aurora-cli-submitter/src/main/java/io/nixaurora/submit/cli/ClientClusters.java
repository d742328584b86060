package io.nixaurora.submit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.Diagnosis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the aurora client will find a cluster: it reads {@code clusters.json} from each directory
 * of its search path, a list or an object of entries, and knows every entry with a {@code name}
 * (docs/aurora-spec.md §6). Only the names matter here; the client itself reads the rest.
 */
final class ClientClusters {
  private ClientClusters() {}

  static Diagnosis diagnose(String cluster, List<Path> searchPath) {
    List<String> broken = new ArrayList<>();
    boolean listed = false;
    for (Path dir : searchPath) {
      Path file = dir.resolve("clusters.json");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Iterable<JsonNode> entries = root.isArray() ? root : root::elements;
        for (JsonNode e : entries) {
          listed |= cluster.equals(e.path("name").asText());
        }
      } catch (IOException e) {
        broken.add(file.toString());
      }
    }
    if (!broken.isEmpty()) {
      return Diagnosis.fail(
          "clusters.json " + broken.get(0) + " is not valid JSON", "fix " + broken.get(0));
    }
    if (listed) {
      return Diagnosis.ok("clusters.json lists " + cluster);
    }
    return Diagnosis.fail(
        "clusters.json: no cluster '" + cluster + "' in " + searchPath,
        "add it to /etc/aurora/clusters.json or ~/.aurora/clusters.json");
  }
}
