package io.nixaurora.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import io.nixaurora.api.InvalidJobException.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds mustache references ({@code {{…}}}) that Aurora would not bind.
 *
 * <p>Aurora's client interpolates every string of the job with pystachio and refuses the job if a
 * reference stays unbound ("Config contains unbound variables", docs/aurora-spec.md §1.4), except
 * those the executor binds: {@code mesos.instance}, {@code mesos.hostname}, {@code thermos.task_id}
 * and {@code thermos.ports[NAME]}. pystachio looks a reference up in the struct that holds the
 * string, then in each enclosing struct, each with every field that is set or has a default; the
 * client also binds {@code mesos.role}, {@code mesos.cluster} and {@code thermos.user}. So {@code
 * {{role}}}, {@code {{environment}}}, {@code {{cluster}}}, {@code {{instances}}} and {@code
 * {{task.name}}} work anywhere, and {@code {{name}}} is the innermost struct's name (a process's
 * own in a process). Both submitters bind these before sending (the cli one through the client
 * itself). Anything else, including {@code {{&x}}} (which the client binds again on a later pass),
 * is a violation.
 */
final class Templates {

  /** What the executor binds at run time and the client's aliases for the job's fields. */
  static final Pattern BOUND_OUTSIDE =
      Pattern.compile(
          "mesos\\.instance|mesos\\.hostname|mesos\\.role|mesos\\.cluster"
              + "|thermos\\.task_id|thermos\\.user|thermos\\.ports\\[[A-Za-z0-9_-]+\\]");

  /** pystachio's MustacheParser: a reference has no braces inside. */
  private static final Pattern REFERENCE = Pattern.compile("\\{\\{(&)?([^{}]+?)\\}\\}");

  private static final Pattern COMPONENT =
      Pattern.compile("\\.([A-Za-z_]\\w*)|\\[([\\w\\-./]+)\\]");

  /**
   * The struct type of each struct-valued field (Choice fields: the union of their alternatives),
   * and the fields pystachio fills with a default when a job leaves them out.
   */
  private record Schema(Map<String, String> structs, Set<String> defaulted) {}

  private static final Map<String, Schema> SCHEMAS =
      Map.ofEntries(
          Map.entry(
              "Job",
              new Schema(
                  Map.of(
                      "task", "Task",
                      "announce", "Announcer",
                      "update_config", "UpdateConfig",
                      "metadata", "Metadata",
                      "health_check_config", "HealthCheckConfig",
                      "lifecycle", "LifecycleConfig",
                      "executor_config", "ExecutorConfig",
                      "partition_policy", "PartitionPolicy",
                      "sla_policy", "SlaPolicy",
                      "container", "Container"),
                  Set.of(
                      "name",
                      "instances",
                      "tier", // backfilled from the scheduler's tiers before the job is converted
                      "cron_collision_policy",
                      "update_config",
                      "metadata",
                      "service",
                      "max_task_failures",
                      "production",
                      "priority",
                      "health_check_config",
                      "lifecycle",
                      "executor_config",
                      "enable_hooks"))),
          Map.entry(
              "Task",
              new Schema(
                  Map.of(
                      "processes",
                      "Process",
                      "constraints",
                      "Constraint",
                      "resources",
                      "Resources"),
                  Set.of(
                      "name",
                      "constraints",
                      "max_failures",
                      "max_concurrency",
                      "finalization_wait"))),
          Map.entry(
              "Process",
              new Schema(
                  Map.of("resources", "Resources", "logger", "Logger"),
                  Set.of("max_failures", "daemon", "ephemeral", "min_duration", "final"))),
          Map.entry("Resources", new Schema(Map.of(), Set.of("gpu"))),
          Map.entry("Constraint", new Schema(Map.of(), Set.of())),
          Map.entry(
              "Logger",
              new Schema(Map.of("rotate", "RotatePolicy"), Set.of("destination", "mode"))),
          Map.entry("RotatePolicy", new Schema(Map.of(), Set.of("log_size", "backups"))),
          Map.entry(
              "UpdateConfig",
              new Schema(
                  Map.of("update_strategy", "UpdateStrategy"),
                  Set.of(
                      "batch_size",
                      "watch_secs",
                      "max_per_shard_failures",
                      "max_total_failures",
                      "rollback_on_failure",
                      "wait_for_batch_completion",
                      "sla_aware"))),
          Map.entry(
              "UpdateStrategy",
              new Schema(Map.of(), Set.of("batch_size", "autopause_after_batch"))),
          Map.entry(
              "HealthCheckConfig",
              new Schema(
                  Map.of("health_checker", "HealthCheckerConfig"),
                  Set.of(
                      "health_checker",
                      "initial_interval_secs",
                      "interval_secs",
                      "max_consecutive_failures",
                      "min_consecutive_successes",
                      "timeout_secs"))),
          Map.entry(
              "HealthCheckerConfig",
              new Schema(
                  Map.of("http", "HttpHealthChecker", "shell", "ShellHealthChecker"), Set.of())),
          Map.entry(
              "HttpHealthChecker",
              new Schema(
                  Map.of(), Set.of("endpoint", "expected_response", "expected_response_code"))),
          Map.entry("ShellHealthChecker", new Schema(Map.of(), Set.of())),
          Map.entry("LifecycleConfig", new Schema(Map.of("http", "HttpLifecycleConfig"), Set.of())),
          Map.entry(
              "HttpLifecycleConfig",
              new Schema(
                  Map.of(),
                  Set.of(
                      "port",
                      "graceful_shutdown_endpoint",
                      "shutdown_endpoint",
                      "graceful_shutdown_wait_secs",
                      "shutdown_wait_secs"))),
          Map.entry("Announcer", new Schema(Map.of(), Set.of("primary_port", "portmap"))),
          Map.entry("Metadata", new Schema(Map.of(), Set.of())),
          Map.entry("ExecutorConfig", new Schema(Map.of(), Set.of("name", "data"))),
          Map.entry("PartitionPolicy", new Schema(Map.of(), Set.of("reschedule", "delay_secs"))),
          Map.entry("SlaPolicy", new Schema(Map.of(), Set.of("status_key"))),
          Map.entry(
              "Container",
              new Schema(
                  Map.of(
                      "docker", "Container",
                      "image", "Image",
                      "parameters", "Parameter",
                      "volumes", "Volume"),
                  Set.of("parameters", "volumes"))),
          Map.entry("Image", new Schema(Map.of(), Set.of())),
          Map.entry("Parameter", new Schema(Map.of(), Set.of())),
          Map.entry("Volume", new Schema(Map.of(), Set.of())));

  /** An enclosing struct: its schema and its JSON. */
  private record Scope(Schema schema, JsonNode node) {}

  private Templates() {}

  /** Adds a violation for every reference Aurora would not bind in any string of the job. */
  static void check(JsonNode job, String path, List<Violation> out) {
    walkStruct("Job", job, path, new ArrayList<>(), out);
  }

  private static void walkStruct(
      String type, JsonNode node, String path, List<Scope> scopes, List<Violation> out) {
    if (!node.isObject()) {
      walkValue(node, path, scopes, out);
      return;
    }
    Schema schema = SCHEMAS.get(type);
    scopes.add(new Scope(schema, node));
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      String fieldType = schema.structs().get(e.getKey());
      if (fieldType == null) {
        walkValue(e.getValue(), child, scopes, out);
      } else if (e.getValue().isArray()) {
        for (int i = 0; i < e.getValue().size(); i++) {
          walkStruct(fieldType, e.getValue().get(i), child + "[" + i + "]", scopes, out);
        }
      } else {
        walkStruct(fieldType, e.getValue(), child, scopes, out);
      }
    }
    scopes.remove(scopes.size() - 1);
  }

  /** Strings, lists of strings and maps (keys and values) in the current scopes. */
  private static void walkValue(
      JsonNode node, String path, List<Scope> scopes, List<Violation> out) {
    if (node.isTextual()) {
      checkString(node.textValue(), path, scopes, out);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walkValue(node.get(i), path + "[" + i + "]", scopes, out);
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path + "." + e.getKey();
        checkString(e.getKey(), child + " (key)", scopes, out);
        walkValue(e.getValue(), child, scopes, out);
      }
    }
  }

  private static void checkString(
      String text, String path, List<Scope> scopes, List<Violation> out) {
    int from = 0;
    while (true) {
      int start = text.indexOf("{{", from);
      if (start < 0) {
        return;
      }
      Matcher ref = REFERENCE.matcher(text).region(start, text.length());
      if (ref.lookingAt() && ref.group(1) == null && binds(ref.group(2), scopes)) {
        from = ref.end();
        continue;
      }
      String shown;
      if (ref.lookingAt()) {
        shown = ref.group();
      } else {
        int close = text.indexOf("}}", start);
        shown = close < 0 ? text.substring(start) : text.substring(start, close + 2);
      }
      if (shown.length() > 60) {
        shown = shown.substring(0, 57) + "...";
      }
      out.add(
          new Violation(
              path,
              "'"
                  + shown
                  + "' is not a template Aurora binds; allowed are {{mesos.instance}},"
                  + " {{mesos.hostname}}, {{thermos.task_id}}, {{thermos.ports[NAME]}},"
                  + " {{mesos.role}}, {{mesos.cluster}}, {{thermos.user}} and the fields of the"
                  + " enclosing structs, such as {{role}}, {{environment}}, {{cluster}},"
                  + " {{instances}}, {{task.name}} and {{name}}"));
      int close = text.indexOf("}}", start + 2);
      from = close < 0 ? text.length() : close + 2;
    }
  }

  /** Whether pystachio (or the executor) binds {@code ref} from these scopes. */
  static boolean binds(String ref, List<Scope> scopes) {
    if (BOUND_OUTSIDE.matcher(ref).matches()) {
      return true;
    }
    String address = ref.startsWith("[") ? ref : "." + ref;
    List<String> parts = new ArrayList<>();
    Matcher m = COMPONENT.matcher(address);
    int at = 0;
    while (at < address.length() && m.find(at) && m.start() == at) {
      parts.add(m.group(1) != null ? m.group(1) : m.group(2));
      at = m.end();
    }
    if (at != address.length() || parts.isEmpty() || ref.startsWith("[")) {
      return false;
    }
    for (int i = scopes.size() - 1; i >= 0; i--) {
      if (found(scopes.get(i), parts, i == scopes.size() - 1)) {
        return true;
      }
    }
    return false;
  }

  /** Struct.find over the JSON, counting a defaulted field that is left out as present. */
  private static boolean found(Scope scope, List<String> parts, boolean innermost) {
    Schema schema = scope.schema();
    JsonNode node = scope.node();
    int i = 0;
    if (parts.get(0).equals("self") && innermost) {
      i = 1;
    }
    for (; i < parts.size(); i++) {
      String part = parts.get(i);
      if (node.isArray()) {
        int index;
        try {
          index = Integer.parseInt(part);
        } catch (NumberFormatException e) {
          return false;
        }
        if (index < 0 || index >= node.size()) {
          return false;
        }
        node = node.get(index);
        continue;
      }
      if (!node.isObject()) {
        return false;
      }
      JsonNode next = node.get(part);
      if (next == null || next.isNull()) {
        // Left out: bound if it has a default, which must be text unless the reference goes on
        // into it (the parts inside a default are not checked).
        if (schema == null || !schema.defaulted().contains(part)) {
          return false;
        }
        boolean last = i == parts.size() - 1;
        return !last || !(schema.structs().containsKey(part) || part.equals("portmap"));
      }
      String type = schema == null ? null : schema.structs().get(part);
      schema = type == null ? null : SCHEMAS.get(type);
      node = next;
    }
    // pystachio would write a struct, list or map as its repr; the submitters refuse that.
    return node.isValueNode();
  }
}
