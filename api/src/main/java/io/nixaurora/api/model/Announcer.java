package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * Announces the task's ports in ZooKeeper (Aurora's {@code Announcer}). Unset (null) fields take
 * Aurora's defaults.
 *
 * @param primaryPort the named port announced as primary (default {@code http})
 * @param portmap announced name to port name, or to a static port number (which needs a {@code
 *     dedicated} placement constraint); default {@code {"aurora": "{{primary_port}}"}}; sorted by
 *     name
 * @param zkPath the ZooKeeper path, when not the cluster's default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"primary_port", "portmap", "zk_path"})
public record Announcer(
    @JsonProperty("primary_port") String primaryPort,
    @JsonProperty("portmap") Map<String, String> portmap,
    @JsonProperty("zk_path") String zkPath) {

  public Announcer {
    Require.nonBlankIfSet(primaryPort, "announce.primary_port");
    portmap = Require.sortedMapOrNull(portmap, "announce.portmap");
    Require.nonBlankIfSet(zkPath, "announce.zk_path");
  }

  /** Announces {@code primaryPort} with Aurora's default port map. */
  public static Announcer primaryPort(String primaryPort) {
    return new Announcer(Require.nonBlank(primaryPort, "announce.primary_port"), null, null);
  }
}
