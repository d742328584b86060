package io.nixaurora.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.model.AppcImage;
import io.nixaurora.api.model.BatchUpdateStrategy;
import io.nixaurora.api.model.CoordinatorSlaPolicy;
import io.nixaurora.api.model.CountSlaPolicy;
import io.nixaurora.api.model.Docker;
import io.nixaurora.api.model.DockerImage;
import io.nixaurora.api.model.HealthCheckConfig;
import io.nixaurora.api.model.HealthCheckerConfig;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.LegacyContainer;
import io.nixaurora.api.model.LifecycleConfig;
import io.nixaurora.api.model.Mesos;
import io.nixaurora.api.model.PercentageSlaPolicy;
import io.nixaurora.api.model.QueueUpdateStrategy;
import io.nixaurora.api.model.ShellHealthChecker;
import io.nixaurora.api.model.UpdateConfig;
import io.nixaurora.api.model.VariableBatchUpdateStrategy;
import io.nixaurora.api.model.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The model's JSON is Aurora's job JSON, and reads back to an equal model. */
class JobJsonTest {

  private final JobJson json = new JobJson();

  @Test
  void fullJobMatchesGoldenFile() throws Exception {
    assertEquals(JobCompilerGoldenTest.golden("golden/full_job.json"), json.write(FullJob.job()));
  }

  @Test
  void fullJobRoundTrips() throws Exception {
    Job job = FullJob.job();
    String written = json.write(job);
    Job read = json.read(written);
    assertEquals(job, read);
    assertEquals(job.hashCode(), read.hashCode());
    assertEquals(written, json.write(read));
  }

  static Stream<Job> variants() {
    Job base = FullJob.job();
    return Stream.of(
        base,
        base.toBuilder()
            .container(
                Mesos.of(
                    AppcImage.of("app", "sha512-1"),
                    Volume.of("/a", "/b", Volume.Mode.RW),
                    Volume.of("/c", "/d", Volume.Mode.RO)))
            .slaPolicy(PercentageSlaPolicy.of(66.5, 120))
            .updateConfig(
                UpdateConfig.builder()
                    .updateStrategy(VariableBatchUpdateStrategy.of(1, 5, 10))
                    .build())
            .healthCheckConfig(
                HealthCheckConfig.builder()
                    .healthChecker(HealthCheckerConfig.shell(ShellHealthChecker.of("curl -f x")))
                    .build())
            .build(),
        base.toBuilder()
            .container(new LegacyContainer(Docker.of("repo/x:1")))
            .slaPolicy(new CoordinatorSlaPolicy("http://coordinator/", "drain"))
            .updateConfig(UpdateConfig.builder().updateStrategy(QueueUpdateStrategy.of(1)).build())
            .lifecycle(new LifecycleConfig(null))
            .build(),
        base.toBuilder().container(Mesos.of(null)).slaPolicy(null).updateConfig(null).build(),
        HelloWorld.job());
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyChoiceRoundTrips(Job job) throws Exception {
    String written = json.write(job);
    assertEquals(job, json.read(written));
    assertEquals(job, new ObjectMapper().readValue(written, Job.class));
    assertEquals(written, json.write(json.read(written)));
  }

  @Test
  void aPlainObjectMapperReadsTheSameModel() throws Exception {
    // nix-local reads the model with its own ObjectMapper (it does not depend on the compiler).
    Job job = FullJob.job();
    assertEquals(job, new ObjectMapper().readValue(json.write(job), Job.class));
  }

  @Test
  void helloWorldRoundTrips() throws Exception {
    Job job = HelloWorld.job();
    assertEquals(job, json.read(json.write(job)));
  }

  @Test
  void readsAuroraJobsWrapperWithOneJob() throws Exception {
    String one = json.write(HelloWorld.job());
    assertEquals(HelloWorld.job(), json.read("{\"jobs\": [" + one + "]}"));
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class, () -> json.read("{\"jobs\": [" + one + "," + one + "]}"));
    assertEquals("jobs", e.violations().get(0).path());
  }

  @Test
  void readsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.json");
    Files.writeString(file, json.write(HelloWorld.job()));
    assertEquals(HelloWorld.job(), json.read(file));
    InvalidJobException e =
        assertThrows(InvalidJobException.class, () -> json.read(dir.resolve("missing.json")));
    assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    InvalidJobException e =
        assertThrows(InvalidJobException.class, () -> json.read("{\n  \"cluster\": ,\n}"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void containerChoiceReadsEachAuroraShape() throws Exception {
    assertEquals(Docker.of("repo/x:1"), container("{\"image\": \"repo/x:1\", \"parameters\": []}"));
    assertEquals(Docker.of("repo/x:1"), container("{\"image\": \"repo/x:1\"}"));
    assertEquals(
        new LegacyContainer(Docker.of("repo/x:1")),
        container("{\"docker\": {\"image\": \"repo/x:1\"}}"));
    assertEquals(
        Mesos.of(DockerImage.of("debian", "12"), Volume.of("/data", "/srv/data", Volume.Mode.RO)),
        container(
            "{\"image\": {\"name\": \"debian\", \"tag\": \"12\"}, \"volumes\": [{\"container_path\":"
                + " \"/data\", \"host_path\": \"/srv/data\", \"mode\": \"RO\"}]}"));
    assertEquals(
        Mesos.of(AppcImage.of("app", "sha512-abc")),
        container("{\"image\": {\"name\": \"app\", \"image_id\": \"sha512-abc\"}}"));
    assertEquals(Mesos.of(null), container("{}"));
  }

  @Test
  void containerChoiceWritesAuroraShapes() {
    assertEquals(
        "{\n  \"image\": \"repo/x:1\",\n  \"parameters\": []\n}\n",
        json.writeValue(Docker.of("repo/x:1")));
    assertEquals(
        "{\n  \"image\": {\n    \"name\": \"debian\",\n    \"tag\": \"12\"\n  },\n"
            + "  \"volumes\": []\n}\n",
        json.writeValue(Mesos.of(DockerImage.of("debian", "12"))));
  }

  @Test
  void slaPolicyChoiceReadsEachShape() throws Exception {
    assertEquals(
        CountSlaPolicy.of(2, 60),
        job("\"sla_policy\": {\"count\": 2, \"duration_secs\": 60}").slaPolicy());
    assertEquals(
        PercentageSlaPolicy.of(95, 60),
        job("\"sla_policy\": {\"percentage\": 95, \"duration_secs\": 60}").slaPolicy());
    assertEquals(
        CoordinatorSlaPolicy.of("http://c/"),
        job("\"sla_policy\": {\"coordinator_url\": \"http://c/\"}").slaPolicy());
  }

  @Test
  void updateStrategyChoiceReadsEachShape() throws Exception {
    assertEquals(QueueUpdateStrategy.of(2), strategy("{\"batch_size\": 2}"));
    assertEquals(
        new BatchUpdateStrategy(2, false),
        strategy("{\"batch_size\": 2, \"autopause_after_batch\": false}"));
    assertEquals(
        new VariableBatchUpdateStrategy(List.of(1, 2, 5), true),
        strategy("{\"batch_sizes\": [1, 2, 5], \"autopause_after_batch\": true}"));
    // A batch strategy always writes autopause_after_batch, so it never reads back as a queue.
    Job batch =
        HelloWorld.job().toBuilder()
            .updateConfig(
                io.nixaurora.api.model.UpdateConfig.builder()
                    .updateStrategy(BatchUpdateStrategy.of(3))
                    .build())
            .build();
    assertInstanceOf(
        BatchUpdateStrategy.class, json.read(json.write(batch)).updateConfig().updateStrategy());
  }

  @Test
  void cronCollisionPolicyIsCaseInsensitiveLikeAurora() throws Exception {
    assertEquals(
        io.nixaurora.api.model.CronCollisionPolicy.RUN_OVERLAP,
        job("\"cron_collision_policy\": \"run_overlap\"").cronCollisionPolicy());
  }

  @Test
  void unsetFieldsAreLeftOut() throws Exception {
    Job job = json.read(json.write(HelloWorld.job()));
    assertNull(job.updateConfig());
    assertNull(job.container());
    assertTrue(!json.write(job).contains("null"));
  }

  private Job job(String extraField) throws Exception {
    String base = json.write(HelloWorld.job());
    return json.read(base.replaceFirst("\\{", "{" + extraField + ","));
  }

  private Object container(String container) throws Exception {
    return job("\"container\": " + container).container();
  }

  private Object strategy(String strategy) throws Exception {
    return job("\"update_config\": {\"update_strategy\": " + strategy + "}")
        .updateConfig()
        .updateStrategy();
  }
}
