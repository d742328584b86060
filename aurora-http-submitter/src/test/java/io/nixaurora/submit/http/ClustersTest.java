package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.SubmitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClustersTest {
  @TempDir Path dir;

  @Test
  void homeOverridesTheSystemFileByName() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path home = Files.createDirectories(dir.resolve("home/.aurora"));
    Files.writeString(
        etc.resolve("clusters.json"),
        "[{\"name\":\"a\",\"scheduler_uri\":\"http://old:8081\"},"
            + "{\"name\":\"b\",\"zk\":\"z1,z2\",\"scheduler_zk_path\":\"/s\"},{\"no_name\":1}]");
    Files.writeString(
        home.resolve("clusters.json"),
        "{\"x\":{\"name\":\"a\",\"scheduler_uri\":\"http://new:8081\",\"proxy_url\":\"p\"}}");
    List<Path> path = Clusters.searchPath(Optional.of(etc.toString()), dir.resolve("home"));

    Clusters clusters = Clusters.load(path);

    assertEquals(Optional.of("http://new:8081"), clusters.get("a", path).schedulerUri());
    Clusters.Cluster b = clusters.get("b", path);
    assertEquals(Optional.of("z1,z2"), b.zk());
    assertEquals(2181, b.zkPort());
  }

  @Test
  void anUnknownClusterIsAnInvalidConfiguration() throws Exception {
    Files.writeString(
        dir.resolve("clusters.json"), "[{\"name\":\"a\",\"scheduler_uri\":\"http://x\"}]");
    List<Path> path = List.of(dir);
    SubmitException e =
        assertThrows(
            SubmitException.InvalidConfiguration.class, () -> Clusters.load(path).get("b", path));
    assertTrue(e.getMessage().contains("Unknown cluster: b"), e.getMessage());
  }

  @Test
  void aClusterWithoutZkOrUriIsRefused() throws Exception {
    Files.writeString(dir.resolve("clusters.json"), "[{\"name\":\"a\"}]");
    List<Path> path = List.of(dir);
    SubmitException e =
        assertThrows(
            SubmitException.InvalidConfiguration.class, () -> Clusters.load(path).get("a", path));
    assertTrue(e.getMessage().contains("does not specify zk or scheduler_uri"), e.getMessage());
  }

  @Test
  void aBrokenFileIsNamed() throws Exception {
    Files.writeString(dir.resolve("clusters.json"), "[{");
    SubmitException e =
        assertThrows(SubmitException.InvalidConfiguration.class, () -> Clusters.load(List.of(dir)));
    assertTrue(e.getMessage().contains(dir.resolve("clusters.json").toString()), e.getMessage());
  }

  @Test
  void theSubmitterFindsTheSchedulerUriThroughAuroraConfigRoot() throws Exception {
    try (FakeScheduler scheduler = new FakeScheduler()) {
      scheduler.tasks(List.of());
      scheduler.jobSummary();
      Files.writeString(
          dir.resolve("clusters.json"),
          "[{\"name\":\"devcluster\",\"scheduler_uri\":\"" + scheduler.uri() + "\"}]");
      HttpSubmitter submitter =
          new HttpSubmitter(
              HttpSubmitterSettings.parse(Map.of()),
              e -> {},
              UUID::randomUUID,
              dir.resolve("home"),
              Map.of("AURORA_CONFIG_ROOT", dir.toString()));

      submitter.status(new JobKey("devcluster", "vagrant", "devel", "hello_world"));

      assertEquals(1, scheduler.bodies("getTasksWithoutConfigs").size());
    }
  }
}
