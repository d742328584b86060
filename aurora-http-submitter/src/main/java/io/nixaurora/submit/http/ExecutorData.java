package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The executor's {@code data}: the job serialised the way Aurora's client does it (aurora-spec
 * §3.2): pystachio's {@code json_dumps()} of the interpolated {@code MesosJob} minus {@code
 * update_config} and {@code instances}. Every schema default is written, Empty fields are left out,
 * and keys come in CPython 2.7 dict order, which follows from each struct's field order in Aurora's
 * schema files through pystachio's chain of dicts (class body → TYPEMAP → schema data → {@code
 * get()}).
 *
 * <p>Deterministic: the same job JSON always gives the same string.
 */
final class ExecutorData {

  /** Thrown for a job JSON that Aurora's client would refuse to load or convert. */
  static final class InvalidJob extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidJob(String message) {
      super(message);
    }
  }

  private enum Kind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    STRUCT,
    LIST,
    STRING_MAP,
    CHOICE
  }

  /**
   * One schema field.
   *
   * @param type the struct name (STRUCT, LIST of structs), element kind name (LIST of scalars) or
   *     comma-separated struct names (CHOICE)
   * @param defaultValue the default as JSON input (parsed once, never changed), or null for none
   *     (Empty)
   */
  private record Field(String name, Kind kind, String type, JsonNode defaultValue) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Aurora HEAD's schema (aurora-spec §1.2/§1.3), fields in source order. */
  private static final Map<String, List<Field>> SCHEMA = new HashMap<>();

  private static final Map<String, List<String>> SCHEMA_DATA_ORDER = new HashMap<>();

  static {
    struct(
        "MesosJob",
        f("name", Kind.STRING, null, null), // default {{task.name}}, resolved below
        f("role", Kind.STRING, null, null),
        f("contact", Kind.STRING, null, null),
        f("cluster", Kind.STRING, null, null),
        f("environment", Kind.STRING, null, null),
        f("instances", Kind.INTEGER, null, "1"),
        f("task", Kind.STRUCT, "Task", null),
        f("announce", Kind.STRUCT, "Announcer", null),
        f("tier", Kind.STRING, null, null),
        f("cron_schedule", Kind.STRING, null, null),
        f("cron_collision_policy", Kind.STRING, null, "\"KILL_EXISTING\""),
        f("update_config", Kind.STRUCT, "UpdateConfig", "{}"),
        f("constraints", Kind.STRING_MAP, null, null),
        f("metadata", Kind.LIST, "Metadata", "[]"),
        f("service", Kind.BOOLEAN, null, "false"),
        f("max_task_failures", Kind.INTEGER, null, "1"),
        f("production", Kind.BOOLEAN, null, "false"),
        f("priority", Kind.INTEGER, null, "0"),
        f("health_check_config", Kind.STRUCT, "HealthCheckConfig", "{}"),
        f("lifecycle", Kind.STRUCT, "LifecycleConfig", "{\"http\":{}}"),
        f("task_links", Kind.STRING_MAP, null, null),
        f("executor_config", Kind.STRUCT, "ExecutorConfig", "{}"),
        f("enable_hooks", Kind.BOOLEAN, null, "false"),
        f("partition_policy", Kind.STRUCT, "PartitionPolicy", null),
        f(
            "sla_policy",
            Kind.CHOICE,
            "CoordinatorSlaPolicy,CountSlaPolicy,PercentageSlaPolicy",
            null),
        f("container", Kind.CHOICE, "Container,Docker,Mesos", null));
    struct(
        "Task",
        f("name", Kind.STRING, null, null), // default {{processes[0].name}}
        f("processes", Kind.LIST, "Process", null),
        f("constraints", Kind.LIST, "Constraint", "[]"),
        f("resources", Kind.STRUCT, "Resources", null),
        f("max_failures", Kind.INTEGER, null, "1"),
        f("max_concurrency", Kind.INTEGER, null, "0"),
        f("finalization_wait", Kind.INTEGER, null, "30"),
        f("user", Kind.STRING, null, null));
    struct(
        "Process",
        f("cmdline", Kind.STRING, null, null),
        f("name", Kind.STRING, null, null),
        f("resources", Kind.STRUCT, "Resources", null),
        f("max_failures", Kind.INTEGER, null, "1"),
        f("daemon", Kind.BOOLEAN, null, "false"),
        f("ephemeral", Kind.BOOLEAN, null, "false"),
        f("min_duration", Kind.INTEGER, null, "5"),
        f("final", Kind.BOOLEAN, null, "false"),
        f("logger", Kind.STRUCT, "Logger", null));
    struct(
        "Resources",
        f("cpu", Kind.FLOAT, null, null),
        f("ram", Kind.INTEGER, null, null),
        f("disk", Kind.INTEGER, null, null),
        f("gpu", Kind.INTEGER, null, "0"));
    struct("Constraint", f("order", Kind.LIST, "STRING", null));
    struct(
        "Logger",
        f("destination", Kind.STRING, null, "\"file\""),
        f("mode", Kind.STRING, null, "\"standard\""),
        f("rotate", Kind.STRUCT, "RotatePolicy", null));
    struct(
        "RotatePolicy",
        f("log_size", Kind.INTEGER, null, "104857600"),
        f("backups", Kind.INTEGER, null, "5"));
    struct(
        "UpdateConfig",
        f("batch_size", Kind.INTEGER, null, "1"),
        f("watch_secs", Kind.INTEGER, null, "45"),
        f("max_per_shard_failures", Kind.INTEGER, null, "0"),
        f("max_total_failures", Kind.INTEGER, null, "0"),
        f("rollback_on_failure", Kind.BOOLEAN, null, "true"),
        f("wait_for_batch_completion", Kind.BOOLEAN, null, "false"),
        f("pulse_interval_secs", Kind.INTEGER, null, null),
        f("sla_aware", Kind.BOOLEAN, null, "false"),
        f(
            "update_strategy",
            Kind.CHOICE,
            "QueueUpdateStrategy,BatchUpdateStrategy,VariableBatchUpdateStrategy",
            null));
    struct("QueueUpdateStrategy", f("batch_size", Kind.INTEGER, null, "1"));
    struct(
        "BatchUpdateStrategy",
        f("batch_size", Kind.INTEGER, null, "1"),
        f("autopause_after_batch", Kind.BOOLEAN, null, "false"));
    struct(
        "VariableBatchUpdateStrategy",
        f("batch_sizes", Kind.LIST, "INTEGER", null),
        f("autopause_after_batch", Kind.BOOLEAN, null, "false"));
    struct(
        "HealthCheckConfig",
        f("health_checker", Kind.STRUCT, "HealthCheckerConfig", "{\"http\":{}}"),
        f("initial_interval_secs", Kind.FLOAT, null, "15.0"),
        f("interval_secs", Kind.FLOAT, null, "10.0"),
        f("max_consecutive_failures", Kind.INTEGER, null, "0"),
        f("min_consecutive_successes", Kind.INTEGER, null, "1"),
        f("timeout_secs", Kind.FLOAT, null, "1.0"));
    struct(
        "HealthCheckerConfig",
        f("http", Kind.STRUCT, "HttpHealthChecker", null),
        f("shell", Kind.STRUCT, "ShellHealthChecker", null));
    struct(
        "HttpHealthChecker",
        f("endpoint", Kind.STRING, null, "\"/health\""),
        f("expected_response", Kind.STRING, null, "\"ok\""),
        f("expected_response_code", Kind.INTEGER, null, "0"));
    struct("ShellHealthChecker", f("shell_command", Kind.STRING, null, null));
    struct("LifecycleConfig", f("http", Kind.STRUCT, "HttpLifecycleConfig", null));
    struct(
        "HttpLifecycleConfig",
        f("port", Kind.STRING, null, "\"health\""),
        f("graceful_shutdown_endpoint", Kind.STRING, null, "\"/quitquitquit\""),
        f("shutdown_endpoint", Kind.STRING, null, "\"/abortabortabort\""),
        f("graceful_shutdown_wait_secs", Kind.INTEGER, null, "5"),
        f("shutdown_wait_secs", Kind.INTEGER, null, "5"));
    struct(
        "Announcer",
        f("primary_port", Kind.STRING, null, "\"http\""),
        f("portmap", Kind.STRING_MAP, null, "{\"aurora\":\"{{primary_port}}\"}"),
        f("zk_path", Kind.STRING, null, null));
    struct(
        "Docker",
        f("image", Kind.STRING, null, null),
        f("parameters", Kind.LIST, "Parameter", "[]"));
    struct("Parameter", f("name", Kind.STRING, null, null), f("value", Kind.STRING, null, null));
    struct("Container", f("docker", Kind.STRUCT, "Docker", null));
    struct(
        "Mesos",
        f("image", Kind.CHOICE, "AppcImage,DockerImage", null),
        f("volumes", Kind.LIST, "Volume", "[]"));
    struct("AppcImage", f("name", Kind.STRING, null, null), f("image_id", Kind.STRING, null, null));
    struct("DockerImage", f("name", Kind.STRING, null, null), f("tag", Kind.STRING, null, null));
    struct(
        "Volume",
        f("container_path", Kind.STRING, null, null),
        f("host_path", Kind.STRING, null, null),
        f("mode", Kind.STRING, null, null));
    struct("Metadata", f("key", Kind.STRING, null, null), f("value", Kind.STRING, null, null));
    struct(
        "ExecutorConfig",
        f("name", Kind.STRING, null, "\"AuroraExecutor\""),
        f("data", Kind.STRING, null, "\"\""));
    struct(
        "PartitionPolicy",
        f("reschedule", Kind.BOOLEAN, null, "true"),
        f("delay_secs", Kind.INTEGER, null, "0"));
    struct(
        "PercentageSlaPolicy",
        f("percentage", Kind.FLOAT, null, null),
        f("duration_secs", Kind.INTEGER, null, null));
    struct(
        "CountSlaPolicy",
        f("count", Kind.INTEGER, null, null),
        f("duration_secs", Kind.INTEGER, null, null));
    struct(
        "CoordinatorSlaPolicy",
        f("coordinator_url", Kind.STRING, null, null),
        f("status_key", Kind.STRING, null, "\"drain\""));
  }

  private static Field f(String name, Kind kind, String type, String defaultJson) {
    return new Field(name, kind, type, defaultJson == null ? null : parse(defaultJson));
  }

  private static void struct(String name, Field... fields) {
    SCHEMA.put(name, List.of(fields));
    // The class body's namespace dict gets __module__ first, then each field in source order;
    // pystachio then builds TYPEMAP from its items() and _schema_data from TYPEMAP's items().
    List<String> body = new ArrayList<>();
    body.add("__module__");
    for (Field field : fields) {
      body.add(field.name());
    }
    List<String> parameters = new ArrayList<>(PyDictOrder.order(body));
    parameters.remove("__module__");
    List<String> typemap = PyDictOrder.order(parameters);
    SCHEMA_DATA_ORDER.put(name, PyDictOrder.order(typemap));
  }

  /** The references the executor binds at run time (aurora-spec §1.4); they pass through. */
  private static final Pattern EXECUTOR_BOUND =
      Pattern.compile(
          "\\{\\{(mesos\\.instance|mesos\\.hostname|thermos\\.task_id|thermos\\.ports\\[[^\\]]+\\])\\}\\}");

  private static final Pattern MUSTACHE = Pattern.compile("\\{\\{(.*?)\\}\\}");

  private final String role;
  private final String cluster;

  private ExecutorData(String role, String cluster) {
    this.role = role;
    this.cluster = cluster;
  }

  /**
   * The {@code data} string for a job JSON object (after the tier backfill).
   *
   * @throws InvalidJob naming the field for JSON Aurora's client would not load
   */
  static String of(ObjectNode job) throws InvalidJob {
    ObjectNode copy = job.deepCopy();
    copy.remove("update_config");
    copy.remove("instances");
    ExecutorData data =
        new ExecutorData(copy.path("role").asText(""), copy.path("cluster").asText(""));
    JsonNode value = data.struct("MesosJob", copy, "", true);
    return PythonJson.dumps(value);
  }

  /** The job with every default filled in, as pystachio sees it (keys in dict order). */
  static ObjectNode withDefaults(ObjectNode job) throws InvalidJob {
    ExecutorData data =
        new ExecutorData(job.path("role").asText(""), job.path("cluster").asText(""));
    return data.struct("MesosJob", job, "", false);
  }

  private ObjectNode struct(String name, JsonNode input, String path, boolean dropAliased)
      throws InvalidJob {
    if (!input.isObject()) {
      throw new InvalidJob(label(path) + ": expected an object for " + name);
    }
    List<Field> fields = SCHEMA.get(name);
    Map<String, Field> byName = new LinkedHashMap<>();
    for (Field field : fields) {
      byName.put(field.name(), field);
    }
    for (Iterator<String> it = input.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!byName.containsKey(key)) {
        throw new InvalidJob(
            label(join(path, key)) + ": unknown key (Unknown schema attribute " + key + ")");
      }
    }
    Map<String, JsonNode> values = new HashMap<>();
    for (Field field : fields) {
      if (dropAliased
          && (field.name().equals("update_config") || field.name().equals("instances"))) {
        continue; // filter_aliased_fields sets them Empty: left out, defaults and all
      }
      JsonNode given = input.get(field.name());
      String fieldPath = join(path, field.name());
      JsonNode value;
      if (given != null && !given.isNull()) {
        value = convert(field, given, fieldPath);
      } else if (field.defaultValue() != null) {
        value = convert(field, field.defaultValue(), fieldPath);
      } else {
        continue;
      }
      if (value != null) {
        values.put(field.name(), value);
      }
    }
    resolveTemplates(name, values, path);
    ObjectNode out = NODES.objectNode();
    List<String> present = new ArrayList<>();
    for (String key : SCHEMA_DATA_ORDER.get(name)) {
      if (values.containsKey(key)) {
        present.add(key);
      }
    }
    for (String key : PyDictOrder.order(present)) {
      out.set(key, values.get(key));
    }
    return out;
  }

  /** The schema's own template defaults: job name, task name and the announcer's portmap. */
  private void resolveTemplates(String struct, Map<String, JsonNode> values, String path)
      throws InvalidJob {
    if (struct.equals("Task") && !values.containsKey("name")) {
      JsonNode processes = values.get("processes");
      if (processes == null || processes.isEmpty()) {
        throw new InvalidJob(label(join(path, "processes")) + ": is required");
      }
      values.put("name", processes.get(0).get("name"));
    }
    if (struct.equals("MesosJob") && !values.containsKey("name")) {
      JsonNode task = values.get("task");
      if (task != null && task.has("name")) {
        values.put("name", task.get("name"));
      }
    }
    if (struct.equals("Announcer")) {
      ObjectNode portmap = (ObjectNode) values.get("portmap");
      String primary = values.get("primary_port").textValue();
      for (Iterator<Map.Entry<String, JsonNode>> it = portmap.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getValue().textValue().equals("{{primary_port}}")) {
          entry.setValue(NODES.textNode(primary));
        }
      }
    }
  }

  private JsonNode convert(Field field, JsonNode given, String path) throws InvalidJob {
    return switch (field.kind()) {
      case STRUCT -> struct(field.type(), given, path, false);
      case CHOICE -> choice(field.type().split(","), given, path);
      case LIST -> list(field.type(), given, path);
      case STRING_MAP -> stringMap(given, path, field.name().equals("portmap"));
      default -> scalar(field.kind(), given, path);
    };
  }

  private JsonNode list(String element, JsonNode given, String path) throws InvalidJob {
    if (!given.isArray()) {
      throw new InvalidJob(label(path) + ": expected a list");
    }
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < given.size(); i++) {
      String itemPath = path + "[" + i + "]";
      if (element.equals("STRING")) {
        out.add(scalar(Kind.STRING, given.get(i), itemPath));
      } else if (element.equals("INTEGER")) {
        out.add(scalar(Kind.INTEGER, given.get(i), itemPath));
      } else {
        out.add(struct(element, given.get(i), itemPath, false));
      }
    }
    return out;
  }

  /**
   * A {@code Map(String, String)}: json.loads builds a dict in text order, pystachio copies it
   * ({@code dict.copy()}), keeps its items as a tuple and {@code get()} rebuilds a dict from it.
   */
  private JsonNode stringMap(JsonNode given, String path, boolean templatesAllowed)
      throws InvalidJob {
    if (!given.isObject()) {
      throw new InvalidJob(label(path) + ": expected an object of strings");
    }
    List<String> textOrder = new ArrayList<>();
    given.fieldNames().forEachRemaining(textOrder::add);
    List<String> tuple = PyDictOrder.insertedInOrder(textOrder).copy().keys();
    ObjectNode out = NODES.objectNode();
    for (String key : PyDictOrder.order(tuple)) {
      JsonNode value = given.get(key);
      if (templatesAllowed && value.isTextual() && value.textValue().equals("{{primary_port}}")) {
        out.put(key, value.textValue());
      } else {
        out.set(key, scalar(Kind.STRING, value, path + "[" + key + "]"));
      }
    }
    return out;
  }

  private JsonNode choice(String[] alternatives, JsonNode given, String path) throws InvalidJob {
    if (!given.isObject()) {
      throw new InvalidJob(label(path) + ": expected an object");
    }
    for (String alternative : alternatives) {
      if (fits(alternative, given)) {
        return struct(alternative, given, path, false);
      }
    }
    throw new InvalidJob(
        label(path) + ": matches none of " + String.join(", ", alternatives).replace(",", ", "));
  }

  /** Whether pystachio's Choice would take this alternative: its keys all belong to it. */
  private static boolean fits(String struct, JsonNode given) {
    List<Field> fields = SCHEMA.get(struct);
    for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Field field =
          fields.stream().filter(x -> x.name().equals(entry.getKey())).findFirst().orElse(null);
      if (field == null) {
        return false;
      }
      // Docker's image is a string, Mesos's an object: the shape decides between them.
      if (field.kind() == Kind.STRING && entry.getValue().isContainerNode()) {
        return false;
      }
      if (field.kind() != Kind.STRING
          && field.kind() != Kind.INTEGER
          && field.kind() != Kind.FLOAT
          && field.kind() != Kind.BOOLEAN
          && entry.getValue().isValueNode()) {
        return false;
      }
    }
    return true;
  }

  private JsonNode scalar(Kind kind, JsonNode given, String path) throws InvalidJob {
    switch (kind) {
      case STRING -> {
        if (given.isTextual()) {
          return NODES.textNode(interpolate(given.textValue(), path));
        }
        if (given.isNumber() || given.isBoolean()) {
          return NODES.textNode(given.asText());
        }
        throw new InvalidJob(label(path) + ": expected a string");
      }
      case INTEGER -> {
        if (given.isIntegralNumber()) {
          return NODES.numberNode(given.bigIntegerValue());
        }
        if (given.isFloatingPointNumber()) {
          return NODES.numberNode(given.decimalValue().toBigInteger()); // int() truncates
        }
        if (given.isTextual()) {
          try {
            return NODES.numberNode(new java.math.BigInteger(given.textValue().trim()));
          } catch (NumberFormatException e) {
            throw new InvalidJob(
                label(path) + ": expected an integer, got '" + given.textValue() + "'");
          }
        }
        throw new InvalidJob(label(path) + ": expected an integer");
      }
      case FLOAT -> {
        if (given.isNumber()) {
          return NODES.numberNode(given.doubleValue());
        }
        if (given.isTextual()) {
          try {
            return NODES.numberNode(Double.parseDouble(given.textValue().trim()));
          } catch (NumberFormatException e) {
            throw new InvalidJob(
                label(path) + ": expected a number, got '" + given.textValue() + "'");
          }
        }
        throw new InvalidJob(label(path) + ": expected a number");
      }
      case BOOLEAN -> {
        if (given.isBoolean()) {
          return given;
        }
        if (given.isNumber()) {
          return NODES.booleanNode(given.doubleValue() != 0);
        }
        if (given.isTextual()) {
          switch (given.textValue()) {
            case "true", "1" -> {
              return NODES.booleanNode(true);
            }
            case "false", "0" -> {
              return NODES.booleanNode(false);
            }
            default -> {}
          }
        }
        throw new InvalidJob(label(path) + ": expected a boolean");
      }
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /**
   * Binds what Aurora's client binds ({@code mesos.role}, {@code mesos.cluster}, {@code
   * thermos.user}), leaves what the executor binds, and refuses any other template.
   */
  private String interpolate(String text, String path) throws InvalidJob {
    if (!text.contains("{{")) {
      return text;
    }
    Matcher m = MUSTACHE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1);
      String replacement;
      if (ref.equals("mesos.role") || ref.equals("thermos.user")) {
        replacement = role;
      } else if (ref.equals("mesos.cluster")) {
        replacement = cluster;
      } else if (EXECUTOR_BOUND.matcher(m.group()).matches()) {
        replacement = m.group();
      } else {
        throw new InvalidJob(
            label(path)
                + ": contains unbound variable {{"
                + ref
                + "}} (Aurora's client refuses it)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String label(String path) {
    return path.isEmpty() ? "job" : path;
  }
}
