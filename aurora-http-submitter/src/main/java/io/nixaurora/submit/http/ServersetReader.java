package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.SubmitException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Finds the leading scheduler in a ZooKeeper serverset as the aurora client does
 * (docs/aurora-spec.md §5.5): the first {@code member_} node under the path holds Gson JSON with
 * the {@code https} additional endpoint, else the {@code http} one.
 */
final class ServersetReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServersetReader() {}

  /**
   * The scheduler's base URI from the serverset.
   *
   * @param hosts comma-separated ZooKeeper hosts (without ports)
   * @param wait how long to wait for a connection (the client waits 10 s)
   * @throws SubmitException.Network when ZooKeeper cannot be reached or holds no scheduler
   */
  static URI leader(String hosts, int port, String path, Duration wait) throws SubmitException {
    StringBuilder connect = new StringBuilder();
    for (String host : hosts.split(",")) {
      if (host.isBlank()) {
        continue;
      }
      if (connect.length() > 0) {
        connect.append(',');
      }
      connect.append(host.strip());
      if (!host.contains(":")) {
        connect.append(':').append(port);
      }
    }
    String where = "ZooKeeper " + connect + " at " + path;
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk;
    try {
      zk =
          new ZooKeeper(
              connect.toString(),
              (int) wait.toMillis(),
              event -> {
                if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                  connected.countDown();
                }
              });
    } catch (IOException | IllegalArgumentException e) {
      throw new SubmitException.Network("cannot connect to " + where + ": " + e.getMessage(), e);
    }
    try {
      if (!connected.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SubmitException.Network(
            "cannot connect to " + where + " within " + wait.toSeconds() + " s");
      }
      List<String> members =
          zk.getChildren(path, false).stream()
              .filter(c -> c.startsWith("member_"))
              .sorted()
              .toList();
      if (members.isEmpty()) {
        throw new SubmitException.Network("no scheduler is registered in " + where);
      }
      byte[] data = zk.getData(path + "/" + members.get(0), false, null);
      return endpoint(data, where + "/" + members.get(0));
    } catch (KeeperException e) {
      throw new SubmitException.Network("cannot read " + where + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmitException.Network("interrupted while reading " + where, e);
    } finally {
      try {
        zk.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The URI of a serverset member's JSON: https if advertised, else http. */
  static URI endpoint(byte[] data, String where) throws SubmitException {
    JsonNode member;
    try {
      member = MAPPER.readTree(data);
    } catch (IOException e) {
      throw new SubmitException.Network(where + " does not hold serverset JSON");
    }
    JsonNode additional = member.path("additionalEndpoints");
    String scheme;
    JsonNode endpoint;
    if (additional.has("https")) {
      scheme = "https";
      endpoint = additional.get("https");
    } else if (additional.has("http")) {
      scheme = "http";
      endpoint = additional.get("http");
    } else {
      scheme = "http";
      endpoint = member.path("serviceEndpoint");
    }
    if (!endpoint.hasNonNull("host") || !endpoint.hasNonNull("port")) {
      throw new SubmitException.Network(where + " has no scheduler endpoint");
    }
    return URI.create(
        scheme + "://" + endpoint.get("host").asText() + ":" + endpoint.get("port").asInt() + "/");
  }
}
