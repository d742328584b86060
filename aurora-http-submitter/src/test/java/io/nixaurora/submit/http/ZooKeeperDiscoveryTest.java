package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finds the scheduler through a serverset in a real ZooKeeper server started here. */
class ZooKeeperDiscoveryTest {
  static final JobKey KEY = new JobKey("devcluster", "vagrant", "devel", "hello_world");

  @TempDir static Path zkData;
  static ZooKeeperServer server;
  static ServerCnxnFactory connections;
  static int zkPort;
  static FakeScheduler scheduler;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    server = new ZooKeeperServer(zkData.toFile(), zkData.toFile(), 2000);
    connections = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    connections.startup(server);
    zkPort = connections.getLocalPort();
    scheduler = new FakeScheduler();
    scheduler.tasks(
        List.of(new JobStatus.Task(0, Optional.of("t-0"), "RUNNING", Optional.of("aurora.local"))));
    try (ZooKeeper zk = connect()) {
      zk.create("/aurora", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create(
          "/aurora/scheduler", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      // The leader is the first member; a second one points nowhere and must not be used.
      zk.create(
          "/aurora/scheduler/member_0000000007",
          member(scheduler.server.port()),
          ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      zk.create(
          "/aurora/scheduler/member_0000000012",
          member(1),
          ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      zk.create("/empty", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
  }

  @AfterAll
  static void stopZooKeeper() {
    scheduler.close();
    connections.shutdown();
    server.shutdown();
  }

  static ZooKeeper connect() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            "127.0.0.1:" + zkPort,
            5000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    assertTrue(connected.await(10, TimeUnit.SECONDS));
    return zk;
  }

  /** A scheduler's serverset entry, as Aurora's Gson writes it. */
  static byte[] member(int port) {
    return ("{\"serviceEndpoint\":{\"host\":\"127.0.0.1\",\"port\":"
            + port
            + "},\"additionalEndpoints\":{\"http\":{\"host\":\"127.0.0.1\",\"port\":"
            + port
            + "}},\"status\":\"ALIVE\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  HttpSubmitter submitter(Path configRoot) {
    return new HttpSubmitter(
        HttpSubmitterSettings.parse(
            Map.of("aurora_config_root", configRoot.toString(), "retry_budget_seconds", "2")),
        e -> {},
        UUID::randomUUID,
        configRoot.resolve("home"),
        Map.of());
  }

  @Test
  void theLeaderIsReadFromTheServerset(@TempDir Path root) throws Exception {
    Files.writeString(
        root.resolve("clusters.json"),
        "[{\"name\":\"devcluster\",\"zk\":\"127.0.0.1\",\"zk_port\":"
            + zkPort
            + ",\"scheduler_zk_path\":\"/aurora/scheduler\",\"auth_mechanism\":\"UNAUTHENTICATED\","
            + "\"slave_run_directory\":\"latest\",\"slave_root\":\"/var/lib/mesos\"}]");

    JobStatus status = submitter(root).status(KEY);

    assertEquals(1, status.tasks().size());
    assertEquals(1, scheduler.bodies("getTasksWithoutConfigs").size());
  }

  @Test
  void anEmptyServersetIsANetworkError(@TempDir Path root) throws Exception {
    Files.writeString(
        root.resolve("clusters.json"),
        "[{\"name\":\"devcluster\",\"zk\":\"127.0.0.1\",\"zk_port\":"
            + zkPort
            + ",\"scheduler_zk_path\":\"/empty\"}]");

    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> submitter(root).status(KEY));
    assertTrue(e.getMessage().contains("no scheduler"), e.getMessage());
  }

  @Test
  void httpsIsPreferredWhenAdvertised() throws Exception {
    URI uri =
        ServersetReader.endpoint(
            ("{\"serviceEndpoint\":{\"host\":\"a\",\"port\":1},\"additionalEndpoints\":{"
                    + "\"http\":{\"host\":\"b\",\"port\":8081},\"https\":{\"host\":\"c\",\"port\":8443}},"
                    + "\"status\":\"ALIVE\"}")
                .getBytes(StandardCharsets.UTF_8),
            "test");
    assertEquals(URI.create("https://c:8443/"), uri);
  }
}
