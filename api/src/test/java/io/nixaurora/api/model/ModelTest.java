package io.nixaurora.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.JobKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Model values are immutable, equal by value, readable, and refuse bad values naming the field. */
class ModelTest {

  static Process process(String name) {
    return Process.builder().name(name).cmdline("echo " + name).build();
  }

  static Task task() {
    return Task.builder()
        .process(process("a"))
        .resources(Resources.of(1, Units.MB, 8 * Units.MB))
        .build();
  }

  static Job.Builder job() {
    return Job.builder()
        .key("devcluster", "vagrant", "devel", "hello_world")
        .service(true)
        .task(task());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad(
            "job without task",
            () -> Job.builder().cluster("c").role("r").environment("devel").name("n").build(),
            "job.task: is required"),
        bad(
            "job without role",
            () -> Job.builder().cluster("c").environment("devel").name("n").task(task()).build(),
            "job.role: is required"),
        bad("zero instances", () -> job().instances(0).build(), "job.instances: must be >= 1"),
        bad(
            "max_task_failures below -1",
            () -> job().maxTaskFailures(-2).build(),
            "job.max_task_failures: must be >= -1"),
        bad("blank cron schedule", () -> job().cronSchedule(" ").build(), "job.cron_schedule"),
        bad(
            "blank placement constraint key",
            () -> job().placementConstraint(" ", "x").build(),
            "job.constraints: keys must not be blank"),
        bad(
            "null placement constraint value",
            () -> job().placementConstraint("host", null).build(),
            "job.constraints.host: is required"),
        bad("null metadata", () -> job().metadata((Metadata) null).build(), "job.metadata[0]"),
        bad(
            "task without processes",
            () -> Task.builder().resources(Resources.of(1, Units.MB, Units.MB)).build(),
            "task.processes"),
        bad(
            "task without resources",
            () -> Task.builder().process(process("a")).build(),
            "task.resources: is required"),
        bad(
            "negative task max_failures",
            () -> task().toBuilder().maxFailures(-1).build(),
            "task.max_failures"),
        bad(
            "negative max_concurrency",
            () -> task().toBuilder().maxConcurrency(-1).build(),
            "task.max_concurrency"),
        bad(
            "process without name",
            () -> Process.builder().cmdline("x").build(),
            "process.name: is required"),
        bad(
            "process with empty name",
            () -> Process.builder().name("").cmdline("x").build(),
            "process.name"),
        bad(
            "process without cmdline",
            () -> Process.builder().name("a").build(),
            "process.cmdline: is required"),
        bad("zero cpu", () -> Resources.of(0, Units.MB, Units.MB), "resources.cpu"),
        bad("NaN cpu", () -> Resources.of(Double.NaN, Units.MB, Units.MB), "resources.cpu"),
        bad("ram below 1 MiB", () -> Resources.of(1, Units.MB - 1, Units.MB), "resources.ram"),
        bad("disk below 1 MiB", () -> Resources.of(1, Units.MB, 0), "resources.disk"),
        bad("negative gpu", () -> new Resources(1, Units.MB, Units.MB, -1), "resources.gpu"),
        bad("empty order", () -> new Constraint(List.of()), "constraint.order"),
        bad("blank name in order", () -> Constraint.order("a", " "), "constraint.order[1]"),
        bad(
            "rotate policy in standard mode",
            () -> new Logger(null, Logger.Mode.STANDARD, RotatePolicy.of(Units.MB, 1)),
            "logger.rotate"),
        bad("zero log size", () -> RotatePolicy.of(0, 1), "rotate.log_size"),
        bad("negative backups", () -> RotatePolicy.of(Units.MB, -1), "rotate.backups"),
        bad(
            "zero batch size",
            () -> UpdateConfig.builder().batchSize(0).build(),
            "update_config.batch_size"),
        bad(
            "negative watch_secs",
            () -> UpdateConfig.builder().watchSecs(-1).build(),
            "update_config.watch_secs"),
        bad(
            "negative max_total_failures",
            () -> UpdateConfig.builder().maxTotalFailures(-1).build(),
            "update_config.max_total_failures"),
        bad(
            "short pulse interval",
            () -> UpdateConfig.builder().pulseIntervalSecs(59).build(),
            "update_config.pulse_interval_secs"),
        bad(
            "strategy and wait_for_batch_completion",
            () ->
                UpdateConfig.builder()
                    .waitForBatchCompletion(true)
                    .updateStrategy(QueueUpdateStrategy.of(1))
                    .build(),
            "update_config.update_strategy"),
        bad(
            "strategy and batch_size 2",
            () ->
                UpdateConfig.builder()
                    .batchSize(2)
                    .updateStrategy(BatchUpdateStrategy.of(2))
                    .build(),
            "update_config.update_strategy"),
        bad("zero queue size", () -> QueueUpdateStrategy.of(0), "update_strategy.batch_size"),
        bad(
            "zero batch strategy size",
            () -> BatchUpdateStrategy.of(0),
            "update_strategy.batch_size"),
        bad(
            "no variable batch sizes",
            () -> VariableBatchUpdateStrategy.of(),
            "update_strategy.batch_sizes"),
        bad(
            "zero variable batch size",
            () -> VariableBatchUpdateStrategy.of(1, 0),
            "update_strategy.batch_sizes[1]"),
        bad(
            "negative initial interval",
            () -> HealthCheckConfig.builder().initialIntervalSecs(-1).build(),
            "health_check_config.initial_interval_secs"),
        bad(
            "infinite interval",
            () -> HealthCheckConfig.builder().intervalSecs(Double.POSITIVE_INFINITY).build(),
            "health_check_config.interval_secs"),
        bad(
            "negative max failures",
            () -> HealthCheckConfig.builder().maxConsecutiveFailures(-1).build(),
            "health_check_config.max_consecutive_failures"),
        bad(
            "negative min successes",
            () -> HealthCheckConfig.builder().minConsecutiveSuccesses(-1).build(),
            "health_check_config.min_consecutive_successes"),
        bad(
            "zero timeout",
            () -> HealthCheckConfig.builder().timeoutSecs(0).build(),
            "health_check_config.timeout_secs"),
        bad(
            "both checkers",
            () ->
                new HealthCheckerConfig(
                    HttpHealthChecker.defaults(), ShellHealthChecker.of("true")),
            "health_checker"),
        bad("blank shell command", () -> ShellHealthChecker.of(" "), "shell.shell_command"),
        bad(
            "endpoint without slash",
            () -> new HttpHealthChecker("health", null, null),
            "http.endpoint"),
        bad(
            "negative response code",
            () -> new HttpHealthChecker(null, null, -1),
            "http.expected_response_code"),
        bad(
            "negative lifecycle wait",
            () -> new HttpLifecycleConfig(null, null, null, -1, null),
            "http.graceful_shutdown_wait_secs"),
        bad("blank primary port", () -> Announcer.primaryPort(""), "announce.primary_port"),
        bad(
            "null portmap value",
            () -> new Announcer(null, nullValueMap("http"), null),
            "announce.portmap.http"),
        bad("docker without image", () -> Docker.of(" "), "docker.image"),
        bad("parameter without name", () -> Parameter.of(null, "v"), "parameter.name"),
        bad("parameter without value", () -> Parameter.of("n", null), "parameter.value"),
        bad("legacy container without docker", () -> new LegacyContainer(null), "container.docker"),
        bad("appc image without id", () -> AppcImage.of("n", null), "image.image_id"),
        bad("docker image without tag", () -> DockerImage.of("n", ""), "image.tag"),
        bad("volume without mode", () -> Volume.of("/a", "/b", null), "volume.mode"),
        bad(
            "volume without host path",
            () -> Volume.of("/a", null, Volume.Mode.RO),
            "volume.host_path"),
        bad("null volume", () -> new Mesos(null, nullList()), "mesos.volumes[0]"),
        bad("metadata without key", () -> Metadata.of(null, "v"), "metadata.key"),
        bad("blank executor name", () -> ExecutorConfig.of(" ", "x"), "executor_config.name"),
        bad(
            "negative partition delay",
            () -> PartitionPolicy.of(true, -1),
            "partition_policy.delay_secs"),
        bad("zero sla count", () -> CountSlaPolicy.of(0, 10), "sla_policy.count"),
        bad("negative sla duration", () -> CountSlaPolicy.of(1, -1), "sla_policy.duration_secs"),
        bad("zero sla percentage", () -> PercentageSlaPolicy.of(0, 10), "sla_policy.percentage"),
        bad(
            "sla percentage above 100",
            () -> PercentageSlaPolicy.of(100.5, 10),
            "sla_policy.percentage"),
        bad(
            "coordinator without url",
            () -> CoordinatorSlaPolicy.of(null),
            "sla_policy.coordinator_url"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValuesAreRefusedNamingTheField(String why, Supplier<Object> build, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get, why);
    assertTrue(e.getMessage().startsWith(field), why + ": " + e.getMessage());
  }

  @Test
  void valuesAreEqualByValue() {
    Job a = job().placementConstraint("x", "1").metadata(Metadata.of("k", "v")).build();
    Job b = job().placementConstraint("x", "1").metadata(Metadata.of("k", "v")).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, b.toBuilder().instances(2).build());
    assertEquals(a, a.toBuilder().build());
    assertEquals(FullModel.job(), FullModel.job().toBuilder().build());
    assertEquals(FullModel.job().task(), FullModel.job().task().toBuilder().build());
  }

  @Test
  void mapsAreSortedWhateverTheInsertionOrder() {
    Job a = job().placementConstraint("b", "1").placementConstraint("a", "2").build();
    Job b = job().placementConstraint("a", "2").placementConstraint("b", "1").build();
    assertEquals(a, b);
    assertEquals(List.of("a", "b"), new ArrayList<>(a.placementConstraints().keySet()));
    assertEquals(a.toString(), b.toString());
  }

  @Test
  void collectionsCannotBeChangedAfterBuilding() {
    List<Process> processes = new ArrayList<>(List.of(process("a")));
    Task task =
        new Task(
            null, processes, null, Resources.of(1, Units.MB, Units.MB), null, null, null, null);
    processes.add(process("b"));
    assertEquals(1, task.processes().size());
    assertThrows(UnsupportedOperationException.class, () -> task.processes().add(process("c")));
    assertThrows(UnsupportedOperationException.class, () -> task.constraints().clear());
    Job job = job().placementConstraint("a", "b").build();
    assertThrows(
        UnsupportedOperationException.class, () -> job.placementConstraints().put("c", "d"));
    Task.Builder builder = task().toBuilder();
    Task before = builder.build();
    builder.process(process("b"));
    assertEquals(1, before.processes().size());
  }

  @Test
  void toStringIsReadable() {
    String s = job().build().toString();
    assertTrue(s.contains("cluster=devcluster"), s);
    assertTrue(s.contains("name=a"), s);
    assertTrue(s.contains("cmdline=echo a"), s);
  }

  @Test
  void keyAndFlags() {
    Job job = job().build();
    assertEquals(JobKey.parse("devcluster/vagrant/devel/hello_world"), JobKey.of(job));
    assertTrue(job.isService());
    assertTrue(!job.isCron());
    assertTrue(job().cronSchedule("0 * * * *").service(false).build().isCron());
  }

  @Test
  void serviceIsAJobWithServiceTrue() {
    Job service = Service.builder().key("c", "r", "devel", "n").task(task()).build();
    assertTrue(service.isService());
    assertEquals(Boolean.TRUE, service.service());
  }

  @Test
  void choiceTypesAreSealed() {
    assertEquals(3, Container.class.getPermittedSubclasses().length);
    assertEquals(3, SlaPolicy.class.getPermittedSubclasses().length);
    assertEquals(3, UpdateStrategy.class.getPermittedSubclasses().length);
    assertEquals(2, MesosImage.class.getPermittedSubclasses().length);
  }

  private static Arguments bad(String why, Supplier<Object> build, String field) {
    return Arguments.of(why, build, field);
  }

  private static Map<String, String> nullValueMap(String key) {
    Map<String, String> m = new HashMap<>();
    m.put(key, null);
    return m;
  }

  private static List<Volume> nullList() {
    List<Volume> l = new ArrayList<>();
    l.add(null);
    return l;
  }

  /** Every kind of value, built through the builders. */
  static final class FullModel {
    static Job job() {
      return ModelTest.job()
          .instances(2)
          .cronCollisionPolicy(CronCollisionPolicy.KILL_EXISTING)
          .announce(Announcer.primaryPort("http"))
          .updateConfig(
              UpdateConfig.builder()
                  .updateStrategy(VariableBatchUpdateStrategy.of(1, 2))
                  .maxTotalFailures(1)
                  .build())
          .healthCheckConfig(
              HealthCheckConfig.builder()
                  .healthChecker(HealthCheckerConfig.shell(ShellHealthChecker.of("true")))
                  .build())
          .lifecycle(LifecycleConfig.http(HttpLifecycleConfig.defaults()))
          .executorConfig(ExecutorConfig.of("custom", "{}"))
          .partitionPolicy(PartitionPolicy.of(false, 0))
          .slaPolicy(PercentageSlaPolicy.of(50, 60))
          .container(Mesos.of(AppcImage.of("a", "sha512-1"), Volume.of("/a", "/b", Volume.Mode.RW)))
          .task(
              task().toBuilder()
                  .process(
                      Process.builder()
                          .name("b")
                          .cmdline("x")
                          .logger(Logger.to(Logger.Destination.NONE))
                          .build())
                  .constraint(Constraint.order("a", "b"))
                  .user("nobody")
                  .build())
          .build();
    }
  }
}
