package io.nixaurora.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.model.Announcer;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Constraint;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the compiler adds to a job, and what it refuses. */
class JobCompilerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final JobCompiler compiler = new JobCompiler();

  @Test
  void everyProcessGetsAnInitBeforeItAndTheUsersConstraintsAreKept() throws Exception {
    JsonNode task = compile(FullJob.job()).get("task");
    List<String> names = new ArrayList<>();
    task.get("processes").forEach(p -> names.add(p.get("name").asText()));
    assertEquals(
        List.of(
            "nix_init_setup",
            "nix_init_nginx",
            "nix_init_stats",
            "nix_init_cleanup",
            "setup",
            "nginx",
            "stats",
            "cleanup"),
        names);
    assertEquals(
        MAPPER.readTree(
            "[{\"order\": [\"nix_init_setup\", \"setup\"]},"
                + " {\"order\": [\"nix_init_nginx\", \"nginx\"]},"
                + " {\"order\": [\"nix_init_stats\", \"stats\"]},"
                + " {\"order\": [\"nix_init_cleanup\", \"cleanup\"]},"
                + " {\"order\": [\"setup\", \"nginx\"]}]"),
        task.get("constraints"));
  }

  @Test
  void initsAreNeverDaemonOrEphemeralAndFinalOnlyWithTheirProcess() throws Exception {
    JsonNode processes = compile(FullJob.job()).get("task").get("processes");
    for (int i = 0; i < 4; i++) {
      JsonNode init = processes.get(i);
      assertNull(init.get("daemon"), init.toString());
      assertNull(init.get("ephemeral"), init.toString());
      assertEquals(Set.of("name", "cmdline", "final").containsAll(fields(init)), true);
    }
    // nginx is a daemon and stats ephemeral: their inits stay plain processes.
    assertTrue(processes.get(5).get("daemon").asBoolean());
    assertTrue(processes.get(6).get("ephemeral").asBoolean());
    assertNull(processes.get(1).get("final"));
    // cleanup is final, so its init must be final too (Thermos plans them separately).
    assertTrue(processes.get(3).get("final").asBoolean());
    assertTrue(processes.get(7).get("final").asBoolean());
  }

  @Test
  void initCmdlineComesFromTheInitCommandForThatProcessesScript() throws Exception {
    JsonNode processes = compile(FullJob.job()).get("task").get("processes");
    BuiltJob built = HelloWorld.built(FullJob.job());
    assertEquals(
        HelloWorld.INIT.cmdline(built.script("nginx")), processes.get(1).get("cmdline").asText());
    assertTrue(processes.get(1).get("cmdline").asText().contains(".gc/nginx "));
  }

  @Test
  void taskNameDefaultsToTheFirstUserProcessNotTheInit() throws Exception {
    Job job = HelloWorld.job();
    assertNull(job.task().name());
    assertEquals("hello_world", compile(job).get("task").get("name").asText());
    Job named = job.toBuilder().task(job.task().toBuilder().name("greeter").build()).build();
    assertEquals("greeter", compile(named).get("task").get("name").asText());
  }

  @Test
  void servicesSayServiceTrueAndPlainJobsDoNot() throws Exception {
    assertTrue(compile(HelloWorld.job()).get("service").asBoolean());
    Job batch =
        Job.builder()
            .key("devcluster", "vagrant", "devel", "hello_world")
            .task(HelloWorld.job().task())
            .build();
    AuroraJobConfig config = compiler.compile(HelloWorld.built(batch), HelloWorld.INIT);
    assertFalse(config.service());
    assertNull(MAPPER.readTree(config.json()).get("service"));
  }

  @Test
  void cronJobsAreMarked() throws Exception {
    Job cron = HelloWorld.job().toBuilder().service(false).cronSchedule("*/5 * * * *").build();
    AuroraJobConfig config = compiler.compile(HelloWorld.built(cron), HelloWorld.INIT);
    assertTrue(config.cron());
    assertFalse(config.service());
  }

  @Test
  void outputHasOnlyAuroraSchemaKeys() throws Exception {
    List<String> unknown = new ArrayList<>();
    AuroraSchema.check(compile(FullJob.job()), "Job", "", unknown);
    assertEquals(List.of(), unknown);
  }

  @Test
  void outputHasNoTemplatesButTheUsersAllowedOnes() throws Exception {
    String json = compiler.compile(HelloWorld.built(FullJob.job()), HelloWorld.INIT).json();
    List<InvalidJobException.Violation> unbound = new ArrayList<>();
    Templates.check(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), "", unbound);
    assertEquals(List.of(), unbound);
    Matcher m = Pattern.compile("\\{\\{[^}]*\\}\\}").matcher(json);
    int count = 0;
    while (m.find()) {
      count++;
    }
    assertEquals(count, json.split("\\{\\{", -1).length - 1);
    assertEquals(4, count); // the three in FullJob's cmdlines and the one in its task link
  }

  @Test
  void bytesDoNotDependOnTheOrderMapsWereFilledIn() throws Exception {
    Job a =
        FullJob.job().toBuilder()
            .placementConstraints(null)
            .placementConstraint("rack", "r1")
            .placementConstraint("dedicated", "x/y")
            .announce(new Announcer("http", orderedMap("b", "http", "a", "health"), null))
            .taskLinks(null)
            .taskLink("z", "http://z")
            .taskLink("a", "http://a")
            .build();
    Job b =
        FullJob.job().toBuilder()
            .placementConstraints(null)
            .placementConstraint("dedicated", "x/y")
            .placementConstraint("rack", "r1")
            .announce(new Announcer("http", orderedMap("a", "health", "b", "http"), null))
            .taskLinks(null)
            .taskLink("a", "http://a")
            .taskLink("z", "http://z")
            .build();
    assertEquals(a, b);
    assertArrayEquals(
        compiler.compile(HelloWorld.built(a), HelloWorld.INIT).bytes(),
        compiler.compile(HelloWorld.built(b), HelloWorld.INIT).bytes());
  }

  @Test
  void compilingTheFullJobTwiceGivesIdenticalBytes() throws Exception {
    assertArrayEquals(
        compiler.compile(HelloWorld.built(FullJob.job()), HelloWorld.INIT).bytes(),
        new JobCompiler().compile(HelloWorld.built(FullJob.job()), HelloWorld.INIT).bytes());
  }

  @Test
  void anInitCommandWithBracesIsRefused() {
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class,
            () -> compiler.compile(HelloWorld.built(), script -> "echo {{oops}}"));
    assertEquals("nix_init_hello_world.cmdline", e.violations().get(0).path());
  }

  @Test
  void anEmptyInitCommandIsRefused() {
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class, () -> compiler.compile(HelloWorld.built(), s -> ""));
    assertEquals("nix_init_hello_world.cmdline", e.violations().get(0).path());
  }

  @Test
  void aScriptForAnotherProcessIsRefused() {
    Map<String, ProcessScript> scripts = new LinkedHashMap<>();
    scripts.put(
        "hello_world", new ProcessScript("other", StorePath.of(HelloWorld.SCRIPT), "x86_64-linux"));
    BuiltJob built = new BuiltJob(HelloWorld.job(), scripts, "x86_64-linux");
    InvalidJobException e =
        assertThrows(InvalidJobException.class, () -> compiler.compile(built, HelloWorld.INIT));
    assertEquals("nix_init_hello_world.cmdline", e.violations().get(0).path());
  }

  @Test
  void unbuiltPackageReferencesAreRefused() {
    Process p =
        Process.builder()
            .name("hello_world")
            .cmdline(Cmdline.builder().pkg("pkgs.hello").text("/bin/hello").build())
            .build();
    Job job =
        HelloWorld.job().toBuilder()
            .task(HelloWorld.job().task().toBuilder().processes(List.of(p)).build())
            .build();
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class,
            () -> compiler.compile(HelloWorld.built(job), HelloWorld.INIT));
    assertEquals("task.processes[0].cmdline", e.violations().get(0).path());
    assertTrue(e.getMessage().contains("${pkgs.hello}"), e.getMessage());
  }

  @Test
  void anInvalidJobEmitsNothingAndReportsEveryViolation() {
    Task task =
        HelloWorld.job().task().toBuilder()
            .process(Process.builder().name("nix_init_x").cmdline("true").build())
            .constraint(Constraint.order("hello_world", "missing"))
            .build();
    Job job = HelloWorld.job().toBuilder().task(task).environment("qa").build();
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class,
            () -> compiler.compile(HelloWorld.built(job), HelloWorld.INIT));
    assertEquals(
        List.of("environment", "task.processes[1].name", "task.constraints[0].order[1]"),
        e.violations().stream().map(InvalidJobException.Violation::path).toList());
    assertEquals(3, e.exitCode());
  }

  @Test
  void theOutputReadsBackAsAJobWithTheInitsAdded() throws Exception {
    JobJson json = new JobJson();
    String out = compiler.compile(HelloWorld.built(FullJob.job()), HelloWorld.INIT).json();
    Job read = json.read(out);
    assertEquals(8, read.task().processes().size());
    assertEquals(FullJob.job().task().processes(), read.task().processes().subList(4, 8));
    assertEquals(out, json.write(read));
  }

  @Test
  void validateReturnsNothingForValidJobs() {
    assertEquals(List.of(), compiler.validate(HelloWorld.job()));
    assertEquals(List.of(), compiler.validate(FullJob.job()));
  }

  private JsonNode compile(Job job) throws Exception {
    return MAPPER.readTree(compiler.compile(HelloWorld.built(job), HelloWorld.INIT).json());
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> orderedMap(String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  /**
   * Aurora's schema (docs/aurora-spec.md §1.2, §1.3): the keys each struct accepts, and their
   * types.
   */
  static final class AuroraSchema {
    private static final Map<String, Map<String, String>> STRUCTS =
        Map.ofEntries(
            Map.entry(
                "Job",
                schema(
                    "name",
                    "",
                    "role",
                    "",
                    "contact",
                    "",
                    "cluster",
                    "",
                    "environment",
                    "",
                    "instances",
                    "",
                    "task",
                    "Task",
                    "announce",
                    "Announcer",
                    "tier",
                    "",
                    "cron_schedule",
                    "",
                    "cron_collision_policy",
                    "",
                    "update_config",
                    "UpdateConfig",
                    "constraints",
                    "*",
                    "metadata",
                    "Metadata",
                    "service",
                    "",
                    "max_task_failures",
                    "",
                    "production",
                    "",
                    "priority",
                    "",
                    "health_check_config",
                    "HealthCheckConfig",
                    "lifecycle",
                    "LifecycleConfig",
                    "task_links",
                    "*",
                    "executor_config",
                    "ExecutorConfig",
                    "enable_hooks",
                    "",
                    "partition_policy",
                    "PartitionPolicy",
                    "sla_policy",
                    "SlaPolicy",
                    "container",
                    "Container")),
            Map.entry(
                "Task",
                schema(
                    "name",
                    "",
                    "processes",
                    "Process",
                    "constraints",
                    "Constraint",
                    "resources",
                    "Resources",
                    "max_failures",
                    "",
                    "max_concurrency",
                    "",
                    "finalization_wait",
                    "",
                    "user",
                    "")),
            Map.entry(
                "Process",
                schema(
                    "cmdline",
                    "",
                    "name",
                    "",
                    "resources",
                    "Resources",
                    "max_failures",
                    "",
                    "daemon",
                    "",
                    "ephemeral",
                    "",
                    "min_duration",
                    "",
                    "final",
                    "",
                    "logger",
                    "Logger")),
            Map.entry("Resources", schema("cpu", "", "ram", "", "disk", "", "gpu", "")),
            Map.entry("Constraint", schema("order", "")),
            Map.entry("Logger", schema("destination", "", "mode", "", "rotate", "RotatePolicy")),
            Map.entry("RotatePolicy", schema("log_size", "", "backups", "")),
            Map.entry(
                "UpdateConfig",
                schema(
                    "batch_size",
                    "",
                    "watch_secs",
                    "",
                    "max_per_shard_failures",
                    "",
                    "max_total_failures",
                    "",
                    "rollback_on_failure",
                    "",
                    "wait_for_batch_completion",
                    "",
                    "pulse_interval_secs",
                    "",
                    "sla_aware",
                    "",
                    "update_strategy",
                    "UpdateStrategy")),
            Map.entry(
                "UpdateStrategy",
                schema("batch_size", "", "batch_sizes", "", "autopause_after_batch", "")),
            Map.entry(
                "HealthCheckConfig",
                schema(
                    "health_checker",
                    "HealthCheckerConfig",
                    "initial_interval_secs",
                    "",
                    "interval_secs",
                    "",
                    "max_consecutive_failures",
                    "",
                    "min_consecutive_successes",
                    "",
                    "timeout_secs",
                    "")),
            Map.entry("HealthCheckerConfig", schema("http", "HttpHealthChecker", "shell", "Shell")),
            Map.entry(
                "HttpHealthChecker",
                schema("endpoint", "", "expected_response", "", "expected_response_code", "")),
            Map.entry("Shell", schema("shell_command", "")),
            Map.entry("LifecycleConfig", schema("http", "HttpLifecycleConfig")),
            Map.entry(
                "HttpLifecycleConfig",
                schema(
                    "port",
                    "",
                    "graceful_shutdown_endpoint",
                    "",
                    "shutdown_endpoint",
                    "",
                    "graceful_shutdown_wait_secs",
                    "",
                    "shutdown_wait_secs",
                    "")),
            Map.entry("Announcer", schema("primary_port", "", "portmap", "*", "zk_path", "")),
            Map.entry(
                "Container",
                schema(
                    "docker",
                    "Docker",
                    "image",
                    "",
                    "parameters",
                    "Parameter",
                    "volumes",
                    "Volume")),
            Map.entry("Docker", schema("image", "", "parameters", "Parameter")),
            Map.entry("Parameter", schema("name", "", "value", "")),
            Map.entry("Volume", schema("container_path", "", "host_path", "", "mode", "")),
            Map.entry("Metadata", schema("key", "", "value", "")),
            Map.entry("ExecutorConfig", schema("name", "", "data", "")),
            Map.entry("PartitionPolicy", schema("reschedule", "", "delay_secs", "")),
            Map.entry(
                "SlaPolicy",
                schema(
                    "coordinator_url",
                    "",
                    "status_key",
                    "",
                    "count",
                    "",
                    "percentage",
                    "",
                    "duration_secs",
                    "")));

    private static Map<String, String> schema(String... keysAndTypes) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < keysAndTypes.length; i += 2) {
        m.put(keysAndTypes[i], keysAndTypes[i + 1]);
      }
      return m;
    }

    /** Adds the path of every key of {@code node} that struct {@code type} does not have. */
    static void check(JsonNode node, String type, String path, List<String> unknown) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          check(node.get(i), type, path + "[" + i + "]", unknown);
        }
        return;
      }
      Map<String, String> struct = STRUCTS.get(type);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (!struct.containsKey(e.getKey())) {
          unknown.add(child);
          continue;
        }
        String childType = struct.get(e.getKey());
        if (!childType.isEmpty() && !childType.equals("*") && e.getValue().isContainerNode()) {
          // A Mesos image is an object under "image"; a Docker image is a string.
          check(e.getValue(), childType, child, unknown);
        }
      }
    }
  }
}
