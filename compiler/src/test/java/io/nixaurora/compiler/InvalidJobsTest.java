package io.nixaurora.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.InvalidJobException.Violation;
import io.nixaurora.api.model.Job;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid jobs, each given as a change to a valid job's JSON, the field path the rejection must
 * name and a piece of its message. A job is rejected either when read ({@link JobJson#read}, for
 * shape and single-value rules) or by {@link JobCompiler#validate} (Aurora's rules across fields);
 * both are what a job goes through before it is compiled.
 */
class InvalidJobsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JobJson JSON = new JobJson();
  private static final JobCompiler COMPILER = new JobCompiler();

  /** Two processes a → b, a service, with every optional section that cases below change. */
  private static final String BASE =
      """
      {
        "cluster": "devcluster", "role": "vagrant", "environment": "devel", "name": "web",
        "instances": 2,
        "task": {
          "processes": [
            {"name": "a", "cmdline": "echo a"},
            {"name": "b", "cmdline": "echo b"}
          ],
          "constraints": [{"order": ["a", "b"]}],
          "resources": {"cpu": 1, "ram": 1048576, "disk": 8388608}
        },
        "update_config": {"batch_size": 1},
        "health_check_config": {"interval_secs": 10}
      }
      """;

  static Stream<Arguments> invalidJobs() {
    return Stream.of(
        invalid("role with a space", "role", "\"bad role\"", "role", "must match"),
        invalid("role too long", "role", "\"" + "r".repeat(256) + "\"", "role", "longer than 255"),
        invalid(
            "environment not allowed",
            "environment",
            "\"production\"",
            "environment",
            "prod, devel, test or staging"),
        invalid("name with a slash", "name", "\"a/b\"", "name", "must match"),
        invalid("empty name", "name", "\"\"", "name", "is required"),
        invalid("blank cluster", "cluster", "\" \"", "cluster", "is required"),
        invalid("cluster with a slash", "cluster", "\"dev/cluster\"", "cluster", "'/'"),
        invalid("missing role", "role", null, "role", "is required"),
        invalid("missing task", "task", null, "task", "is required"),
        invalid("zero cpu", "task.resources.cpu", "0", "task.resources.cpu", "> 0"),
        invalid("ram below 1 MiB", "task.resources.ram", "1000", "task.resources.ram", "1 MiB"),
        invalid("zero disk", "task.resources.disk", "0", "task.resources.disk", "1 MiB"),
        invalid("missing resources", "task.resources", null, "task.resources", "is required"),
        invalid("missing ram", "task.resources.ram", null, "task.resources.ram", "is required"),
        invalid("no processes", "task.processes", "[]", "task.processes", "at least one"),
        invalid(
            "process name with leading dot",
            "task.processes[0].name",
            "\".a\"",
            "task.processes[0].name",
            "^[^./][^/]*$"),
        invalid(
            "process name with a slash",
            "task.processes[0].name",
            "\"x/y\"",
            "task.processes[0].name",
            "no '/'"),
        invalid(
            "process named like an init",
            "task.processes[0].name",
            "\"nix_init_a\"",
            "task.processes[0].name",
            "reserved"),
        invalid(
            "process name with a newline",
            "task.processes[0].name",
            "\"a\\nb\"",
            "task.processes[0].name",
            "control characters"),
        invalid(
            "duplicate process names",
            "task.processes[1].name",
            "\"a\"",
            "task.processes[1].name",
            "duplicate"),
        invalid(
            "missing cmdline",
            "task.processes[0].cmdline",
            null,
            "task.processes[0].cmdline",
            "is required"),
        invalid(
            "order names an unknown process",
            "task.constraints[0].order[1]",
            "\"c\"",
            "task.constraints[0].order[1]",
            "names no process"),
        invalid(
            "order names an init process",
            "task.constraints[0].order[0]",
            "\"nix_init_a\"",
            "task.constraints[0].order[0]",
            "ordered by nix-aurora"),
        invalid(
            "empty order",
            "task.constraints[0].order",
            "[]",
            "task.constraints[0].order",
            "at least one"),
        invalid(
            "cycle",
            "task.constraints[1]",
            "{\"order\": [\"b\", \"a\"]}",
            "task.constraints",
            "cycle"),
        invalid(
            "self cycle",
            "task.constraints[0].order",
            "[\"a\", \"a\"]",
            "task.constraints",
            "cycle"),
        invalid(
            "depends on a daemon",
            "task.processes[0].daemon",
            "true",
            "task.constraints[0].order[1]",
            "daemon"),
        invalid(
            "depends on an ephemeral process",
            "task.processes[0].ephemeral",
            "true",
            "task.constraints[0].order[1]",
            "ephemeral"),
        invalid(
            "order mixes final and non-final",
            "task.processes[1].final",
            "true",
            "task.constraints[0].order",
            "final"),
        invalid(
            "final daemon",
            "task.processes[1]",
            "{\"name\": \"c\", \"cmdline\": \"x\", \"final\": true, \"daemon\": true}",
            "task.processes[1].daemon",
            "final"),
        invalid(
            "unknown template in cmdline",
            "task.processes[0].cmdline",
            "\"echo {{foo}}\"",
            "task.processes[0].cmdline",
            "{{foo}}"),
        invalid(
            "literal-brace template",
            "task.processes[1].cmdline",
            "\"echo {{&mesos.instance}}\"",
            "task.processes[1].cmdline",
            "not a template"),
        invalid(
            "unclosed template",
            "task.processes[1].cmdline",
            "\"echo {{ oops\"",
            "task.processes[1].cmdline",
            "not a template"),
        invalid(
            "template naming a field no process has",
            "task.name",
            "\"{{processes[0].nme}}\"",
            "task.name",
            "not a template"),
        invalid(
            "template in metadata",
            "metadata",
            "[{\"key\": \"k\", \"value\": \"{{x.y}}\"}]",
            "metadata[0].value",
            "not a template"),
        invalid(
            "cron service",
            "cron_schedule",
            "\"* * * * *\"",
            "cron_schedule",
            "service",
            "service",
            "true"),
        invalid(
            "cron schedule with 3 fields",
            "cron_schedule",
            "\"* * *\"",
            "cron_schedule",
            "five fields"),
        invalid(
            "unknown cron collision policy",
            "cron_collision_policy",
            "\"SOMETIMES\"",
            "cron_collision_policy",
            "SOMETIMES"),
        invalid("zero instances", "instances", "0", "instances", ">= 1"),
        invalid(
            "zero batch_size", "update_config.batch_size", "0", "update_config.batch_size", ">= 1"),
        invalid(
            "negative watch_secs",
            "update_config.watch_secs",
            "-1",
            "update_config.watch_secs",
            ">= 0"),
        invalid(
            "max_total_failures not below instances",
            "update_config.max_total_failures",
            "2",
            "update_config.max_total_failures",
            "less than instances (2)"),
        invalid(
            "dedicated job tolerating too few failures",
            "instances",
            "100",
            "update_config.max_total_failures",
            "at least 2 failed instances",
            "constraints",
            "{\"dedicated\": \"vagrant/web\"}"),
        invalid(
            "short pulse interval",
            "update_config.pulse_interval_secs",
            "10",
            "update_config.pulse_interval_secs",
            ">= 60"),
        invalid(
            "strategy with wait_for_batch_completion",
            "update_config",
            "{\"wait_for_batch_completion\": true, \"update_strategy\": {\"batch_size\": 2}}",
            "update_config.update_strategy",
            "wait_for_batch_completion"),
        invalid(
            "strategy with batch_size above 1",
            "update_config",
            "{\"batch_size\": 3, \"update_strategy\": {\"batch_size\": 2}}",
            "update_config.update_strategy",
            "batch_size > 1"),
        invalid(
            "variable batch with a zero size",
            "update_config",
            "{\"update_strategy\": {\"batch_sizes\": [1, 0]}}",
            "update_config.update_strategy.batch_sizes[1]",
            ">= 1"),
        invalid(
            "negative health-check interval",
            "health_check_config.interval_secs",
            "-1",
            "health_check_config.interval_secs",
            ">= 0"),
        invalid(
            "negative initial interval",
            "health_check_config.initial_interval_secs",
            "-0.5",
            "health_check_config.initial_interval_secs",
            ">= 0"),
        invalid(
            "negative max_consecutive_failures",
            "health_check_config.max_consecutive_failures",
            "-1",
            "health_check_config.max_consecutive_failures",
            ">= 0"),
        invalid(
            "zero health-check timeout",
            "health_check_config.timeout_secs",
            "0",
            "health_check_config.timeout_secs",
            "> 0"),
        invalid(
            "both http and shell checkers",
            "health_check_config.health_checker",
            "{\"http\": {}, \"shell\": {\"shell_command\": \"true\"}}",
            "health_check_config.health_checker",
            "only one"),
        invalid(
            "shell checker without a command",
            "health_check_config.health_checker",
            "{\"shell\": {}}",
            "health_check_config.health_checker.shell.shell_command",
            "is required"),
        invalid("unknown top-level key", "owner", "\"me\"", "owner", "unknown key"),
        invalid(
            "unknown process key",
            "task.processes[0].resources_",
            "{}",
            "task.processes[0].resources_",
            "unknown key"),
        invalid(
            "bad placement limit",
            "constraints",
            "{\"host\": \"limit:x\"}",
            "constraints.host",
            "limit:N"),
        invalid(
            "static announced port without dedicated",
            "announce",
            "{\"portmap\": {\"http\": \"8080\"}}",
            "announce.portmap.http",
            "dedicated"),
        invalid(
            "unknown log destination",
            "task.processes[0].logger",
            "{\"destination\": \"disk\"}",
            "task.processes[0].logger.destination",
            "disk"),
        invalid(
            "volume with a bad mode",
            "container",
            "{\"image\": {\"name\": \"d\", \"tag\": \"1\"}, \"volumes\": [{\"container_path\":"
                + " \"/a\", \"host_path\": \"/b\", \"mode\": \"RX\"}]}",
            "container.volumes[0].mode",
            "RX"),
        invalid(
            "docker container without image",
            "container",
            "{\"parameters\": []}",
            "container.image",
            "is required"),
        invalid(
            "sla percentage above 100",
            "sla_policy",
            "{\"percentage\": 150, \"duration_secs\": 60}",
            "sla_policy.percentage",
            "(0, 100]"),
        invalid(
            "sla policy of no known shape",
            "sla_policy",
            "{\"duration_secs\": 60}",
            "sla_policy",
            "SlaPolicy"),
        invalid(
            "negative task max_failures", "task.max_failures", "-1", "task.max_failures", ">= 0"),
        invalid(
            "negative partition delay",
            "partition_policy",
            "{\"delay_secs\": -1}",
            "partition_policy.delay_secs",
            ">= 0"),
        invalid(
            "wrong type for instances",
            "instances",
            "\"many\"",
            "instances",
            "expected a whole number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidJobs")
  void isRejectedNamingTheField(String why, String json, String path, String fragment) {
    List<Violation> violations = violations(json);
    assertFalse(violations.isEmpty(), why + ": accepted " + json);
    String all = violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    assertTrue(
        violations.stream().anyMatch(v -> v.path().equals(path) && v.message().contains(fragment)),
        why + ": expected a violation at '" + path + "' saying '" + fragment + "', got:\n" + all);
  }

  @org.junit.jupiter.api.Test
  void theBaseJobIsValid() throws Exception {
    assertEquals(List.of(), COMPILER.validate(JSON.read(BASE)));
  }

  /**
   * Values Aurora's client and scheduler take and Thermos runs without harm (checked with the real
   * runner): nix-aurora takes them too.
   */
  @org.junit.jupiter.api.Test
  void whatAuroraAndThermosTakeIsTaken() throws Exception {
    ObjectNode job = (ObjectNode) MAPPER.readTree(BASE);
    set(job, "task.processes[0].cmdline", "\"\"");
    set(job, "task.processes[0].max_failures", "-1");
    set(job, "task.processes[1].min_duration", "-5");
    set(job, "task.finalization_wait", "-1");
    set(job, "cron_schedule", "\"0 0 * JAN-JUN mon-fri\"");
    set(job, "service", "false");
    set(job, "contact", "\"j\u00f6rg@example.com\"");
    assertEquals(List.of(), COMPILER.validate(JSON.read(job.toString())));
  }

  @org.junit.jupiter.api.Test
  void thereAreAtLeastThirtyCases() {
    assertTrue(invalidJobs().count() >= 30);
  }

  @org.junit.jupiter.api.Test
  void everyViolationIsReportedAtOnce() throws Exception {
    ObjectNode job = (ObjectNode) MAPPER.readTree(BASE);
    set(job, "role", "\"bad role\"");
    set(job, "task.processes[0].name", "\"nix_init_x\"");
    set(job, "task.processes[1].cmdline", "\"{{nope}}\"");
    set(job, "update_config", "{\"max_total_failures\": 5}");
    set(job, "cron_schedule", "\"0 * * * *\"");
    set(job, "service", "true");
    InvalidJobException e =
        assertThrows(
            InvalidJobException.class,
            () -> COMPILER.compile(HelloWorld.built(JSON.read(job.toString())), HelloWorld.INIT));
    List<String> paths = e.violations().stream().map(Violation::path).toList();
    assertTrue(
        paths.containsAll(
            List.of(
                "role",
                "task.processes[0].name",
                "task.processes[1].cmdline",
                "update_config.max_total_failures",
                "cron_schedule",
                "task.constraints[0].order[0]")),
        paths.toString());
    assertTrue(e.getMessage().startsWith("invalid job, "), e.getMessage());
  }

  private static Arguments invalid(
      String why, String field, String value, String path, String fragment, String... more) {
    try {
      ObjectNode job = (ObjectNode) MAPPER.readTree(BASE);
      set(job, field, value);
      for (int i = 0; i + 1 < more.length; i += 2) {
        set(job, more[i], more[i + 1]);
      }
      return Arguments.of(why, job.toString(), path, fragment);
    } catch (Exception e) {
      throw new IllegalStateException(why, e);
    }
  }

  /** The violations of {@code json}: the one from reading it, or those of validating it. */
  private static List<Violation> violations(String json) {
    Job job;
    try {
      job = JSON.read(json);
    } catch (InvalidJobException e) {
      return e.violations();
    }
    return COMPILER.validate(job);
  }

  /** Sets (or, for a null value, removes) the field at a path like {@code a.b[1].c}. */
  static void set(ObjectNode root, String path, String json) throws Exception {
    String[] steps = path.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < steps.length; i++) {
      String step = steps[i];
      String key = step.contains("[") ? step.substring(0, step.indexOf('[')) : step;
      Integer index =
          step.contains("[")
              ? Integer.valueOf(step.substring(step.indexOf('[') + 1, step.length() - 1))
              : null;
      boolean last = i == steps.length - 1;
      ObjectNode parent = (ObjectNode) node;
      if (last && index == null) {
        if (json == null) {
          parent.remove(key);
        } else {
          parent.set(key, MAPPER.readTree(json));
        }
        return;
      }
      if (!parent.has(key)) {
        parent.set(key, index == null ? MAPPER.createObjectNode() : MAPPER.createArrayNode());
      }
      node = parent.get(key);
      if (index != null) {
        ArrayNode array = (ArrayNode) node;
        if (last) {
          if (json == null) {
            ((ObjectNode) array.get(index)).removeAll();
          } else if (index < array.size()) {
            array.set(index, MAPPER.readTree(json));
          } else {
            array.add(MAPPER.readTree(json));
          }
          return;
        }
        node = array.get(index);
      }
    }
  }
}
