package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job as Aurora's client sees it after loading and interpolation, and the executor's {@code
 * data}: pystachio's {@code json_dumps()} of the interpolated {@code MesosJob} minus {@code
 * update_config} and {@code instances} (docs/aurora-spec.md §3.2). Every schema default is written,
 * Empty fields are left out.
 *
 * <p>Key order is CPython 2.7 dict order, and it depends on the pystachio <em>class</em> a struct
 * value has, not only on its type: a struct class written in a schema file ({@code class
 * Process(Struct)}) builds its TYPEMAP from the class body's namespace dict, while the class
 * pystachio makes for a field's type (deserialized from {@code type_parameters()}) builds it from
 * the <em>sorted</em> attribute names. Both then go through {@code TYPEMAP} → {@code _schema_data}
 * → {@code get()}, each a dict built by insertion ({@link PyDictOrder}). Which class a value has
 * depends on how the job was loaded ({@link Origin}):
 *
 * <ul>
 *   <li>{@code --read-json}: {@code Job(dict)} is the schema's class; every nested value is coerced
 *       to its field's (sorted) class.
 *   <li>an {@code .aurora} file: every struct the author wrote with its constructor keeps the
 *       schema's class; defaults are always the sorted class (they are deserialized with the
 *       TYPEMAP).
 * </ul>
 *
 * <p>Templates are bound as pystachio binds them: a reference is looked up in the struct that holds
 * the string, then in each enclosing struct (so {@code {{name}}} in a process is the process's
 * name, in a job's {@code contact} the job's), then in the client's standard bindings ({@code
 * mesos.role}, {@code mesos.cluster}, {@code thermos.user}); the value's text replaces the
 * reference and the string is interpolated again until nothing changes. What stays unbound must be
 * the executor's ({@code mesos.instance}, {@code mesos.hostname}, {@code thermos.task_id}, {@code
 * thermos.ports[NAME]}).
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

  /** How the reference client loaded the job, which decides the struct classes (see above). */
  enum Origin {
    /** {@code aurora job create --read-json}. */
    READ_JSON,
    /** An {@code .aurora} file with every struct written with its constructor. */
    DSL
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

  /** A struct value: its schema name and whether its class is the schema's own (body order). */
  private record StructClass(String name, boolean body) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Aurora 0.22's schema (apache/aurora/config/schema/base.py), fields in source order. */
  private static final Map<String, List<Field>> SCHEMA = new HashMap<>();

  /** {@code _schema_data} order of the schema file's class of each struct. */
  private static final Map<String, List<String>> BODY_ORDER = new HashMap<>();

  /** {@code _schema_data} order of the class pystachio deserializes for a field's type. */
  private static final Map<String, List<String>> SORTED_ORDER = new HashMap<>();

  /**
   * The alternatives of each Choice field that {@code --read-json} loads: pystachio 0.8.5 tries
   * only the first one on a dict (the others fail with "Unknown schema attribute").
   */
  private static final Map<String, String> FIRST_ALTERNATIVE =
      Map.of(
          "container", "Container",
          "update_config.update_strategy", "QueueUpdateStrategy",
          "sla_policy", "CoordinatorSlaPolicy");

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
    // pystachio builds the parameters from its items(), TYPEMAP from the parameters and
    // _schema_data from TYPEMAP's items().
    List<String> body = new ArrayList<>();
    body.add("__module__");
    List<String> names = new ArrayList<>();
    for (Field field : fields) {
      body.add(field.name());
      names.add(field.name());
    }
    List<String> parameters = new ArrayList<>(PyDictOrder.order(body));
    parameters.remove("__module__");
    BODY_ORDER.put(name, PyDictOrder.order(PyDictOrder.order(parameters)));
    // type_parameters() sorts the attributes; the deserialized class's TYPEMAP follows them.
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null); // the names are ASCII: String order is Python's str order
    SORTED_ORDER.put(name, PyDictOrder.order(PyDictOrder.order(sorted)));
  }

  /**
   * The references the executor binds at run time (docs/aurora-spec.md §1.4); they stay unbound.
   */
  private static final Pattern EXECUTOR_BOUND =
      Pattern.compile(
          "mesos\\.instance|mesos\\.hostname|thermos\\.task_id|thermos\\.ports\\[[^\\]]+\\]");

  /** pystachio's MustacheParser: {@code {{ref}}}, {@code {{&ref}}} escapes. */
  private static final Pattern MUSTACHE = Pattern.compile("\\{\\{(&)?([^{}]+?)(?:&)?\\}\\}");

  /** pystachio's Ref grammar. */
  private static final Pattern REF_COMPONENT =
      Pattern.compile("\\.([^\\d\\W]\\w*)|\\[([\\w\\-./]+)\\]", Pattern.UNICODE_CHARACTER_CLASS);

  /** AuroraConfig.standard_bindings: the deprecated names, bound after every struct's fields. */
  private static final Map<String, String> STANDARD_BINDINGS =
      Map.of("mesos.role", "{{role}}", "mesos.cluster", "{{cluster}}", "thermos.user", "{{role}}");

  private static final int MAX_ITERATIONS = 100;

  private final Origin origin;
  private final Map<JsonNode, StructClass> classes = new IdentityHashMap<>();

  private ExecutorData(Origin origin) {
    this.origin = origin;
  }

  /**
   * The Choice fields whose alternative {@code --read-json} cannot load (paths such as {@code
   * container}), empty when the real client can read the job from JSON.
   */
  static List<String> unloadableChoices(JsonNode job) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> choice : new java.util.TreeMap<>(FIRST_ALTERNATIVE).entrySet()) {
      JsonNode value = job;
      for (String part : choice.getKey().split("\\.")) {
        value = value == null ? null : value.get(part);
      }
      if (value != null && value.isObject() && !fits(choice.getValue(), value)) {
        out.add(choice.getKey());
      }
    }
    return out;
  }

  /** How the reference client would load this job: from JSON when it can, else from an .aurora. */
  static Origin originOf(JsonNode job) {
    return unloadableChoices(job).isEmpty() ? Origin.READ_JSON : Origin.DSL;
  }

  /**
   * The job as the client converts it: every default filled in, every template the client binds
   * bound (after the tier backfill).
   *
   * @throws InvalidJob naming the field for JSON Aurora's client would not load or bind
   */
  static Loaded load(ObjectNode job) throws InvalidJob {
    ExecutorData data = new ExecutorData(originOf(job));
    ObjectNode loaded = data.struct("MesosJob", job, "", true, false);
    // pystachio interpolates every string in scopes holding the raw (uninterpolated) values, so
    // the bound strings are all computed first and written afterwards.
    List<Runnable> writes = new ArrayList<>();
    data.interpolate(loaded, new ArrayList<>(), "", writes);
    writes.forEach(Runnable::run);
    return new Loaded(data, loaded);
  }

  /** A loaded, interpolated job. */
  static final class Loaded {
    private final ExecutorData data;
    private final ObjectNode job;

    private Loaded(ExecutorData data, ObjectNode job) {
      this.data = data;
      this.job = job;
    }

    /** The job with defaults and bindings; keys in no particular order. */
    ObjectNode job() {
      return job;
    }

    /** How the reference client loads the job. */
    Origin origin() {
      return data.origin;
    }

    /** The executor's {@code data}: the job minus {@code update_config} and {@code instances}. */
    String executorData() {
      return PythonJson.dumps(data.ordered(job, Set.of("update_config", "instances")));
    }
  }

  /** The {@code data} string for a job JSON object (after the tier backfill). */
  static String of(ObjectNode job) throws InvalidJob {
    return load(job).executorData();
  }

  // ---- loading: defaults and struct classes ----

  /**
   * @param body whether this value has the schema file's class
   * @param inDefault whether this value comes from a schema default (always the sorted class)
   */
  private ObjectNode struct(
      String name, JsonNode input, String path, boolean body, boolean inDefault) throws InvalidJob {
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
    ObjectNode out = NODES.objectNode();
    classes.put(out, new StructClass(name, body));
    for (Field field : fields) {
      JsonNode given = input.get(field.name());
      String fieldPath = join(path, field.name());
      JsonNode value;
      if (given != null && !given.isNull()) {
        value = convert(field, given, fieldPath, inDefault);
      } else if (field.defaultValue() != null) {
        value = convert(field, field.defaultValue(), fieldPath, true);
      } else if (name.equals("MesosJob") && field.name().equals("name")) {
        value = NODES.textNode("{{task.name}}");
      } else if (name.equals("Task") && field.name().equals("name")) {
        value = NODES.textNode("{{processes[0].name}}");
      } else {
        continue;
      }
      out.set(field.name(), value);
    }
    return out;
  }

  /** The class a nested value gets: the schema's own only for a constructor in an .aurora file. */
  private boolean nestedBody(boolean inDefault) {
    return origin == Origin.DSL && !inDefault;
  }

  private JsonNode convert(Field field, JsonNode given, String path, boolean inDefault)
      throws InvalidJob {
    return switch (field.kind()) {
      case STRUCT -> struct(field.type(), given, path, nestedBody(inDefault), inDefault);
      case CHOICE -> choice(field.type().split(","), given, path, inDefault);
      case LIST -> list(field.type(), given, path, inDefault);
      case STRING_MAP -> stringMap(given, path, nestedBody(inDefault));
      default -> scalar(field.kind(), given, path);
    };
  }

  private JsonNode list(String element, JsonNode given, String path, boolean inDefault)
      throws InvalidJob {
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
        out.add(struct(element, given.get(i), itemPath, nestedBody(inDefault), inDefault));
      }
    }
    return out;
  }

  /**
   * A {@code Map(String, String)}: json.loads builds a dict in text order (an .aurora file's dict
   * literal a presized one), pystachio copies it ({@code dict.copy()}), keeps its items as a tuple
   * and {@code get()} rebuilds a dict from it.
   */
  private JsonNode stringMap(JsonNode given, String path, boolean literal) throws InvalidJob {
    if (!given.isObject()) {
      throw new InvalidJob(label(path) + ": expected an object of strings");
    }
    List<String> textOrder = new ArrayList<>();
    given.fieldNames().forEachRemaining(textOrder::add);
    PyDictOrder loaded =
        literal ? PyDictOrder.literal(textOrder) : PyDictOrder.insertedInOrder(textOrder);
    List<String> tuple = loaded.copy().keys();
    ObjectNode out = NODES.objectNode();
    for (String key : PyDictOrder.order(tuple)) {
      out.set(key, scalar(Kind.STRING, given.get(key), path + "[" + key + "]"));
    }
    return out;
  }

  private JsonNode choice(String[] alternatives, JsonNode given, String path, boolean inDefault)
      throws InvalidJob {
    if (!given.isObject()) {
      throw new InvalidJob(label(path) + ": expected an object");
    }
    for (String alternative : alternatives) {
      if (fits(alternative, given)) {
        return struct(alternative, given, path, nestedBody(inDefault), inDefault);
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
          return given;
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

  // ---- interpolation ----

  /**
   * Binds every string under {@code node}; {@code scopes} are the enclosing structs. The new values
   * go to {@code writes}, so that every lookup sees the raw job.
   */
  private void interpolate(
      JsonNode node, List<ObjectNode> scopes, String path, List<Runnable> writes)
      throws InvalidJob {
    boolean isStruct = classes.containsKey(node);
    if (isStruct) {
      scopes.add((ObjectNode) node);
    }
    try {
      if (node.isObject()) {
        ObjectNode object = (ObjectNode) node;
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
          String child = isStruct ? join(path, key) : path + "[" + key + "]";
          JsonNode value = object.get(key);
          if (value.isTextual()) {
            TextNode bound = NODES.textNode(bind(value.textValue(), scopes, child));
            writes.add(() -> object.set(key, bound));
          } else {
            interpolate(value, scopes, child, writes);
          }
        }
      } else if (node.isArray()) {
        ArrayNode array = (ArrayNode) node;
        for (int i = 0; i < array.size(); i++) {
          String child = path + "[" + i + "]";
          if (array.get(i).isTextual()) {
            TextNode bound = NODES.textNode(bind(array.get(i).textValue(), scopes, child));
            int index = i;
            writes.add(() -> array.set(index, bound));
          } else {
            interpolate(array.get(i), scopes, child, writes);
          }
        }
      }
    } finally {
      if (isStruct) {
        scopes.remove(scopes.size() - 1);
      }
    }
  }

  /**
   * MustacheParser.resolve in the scopes of the string's own place; what stays unbound must be the
   * executor's.
   */
  private String bind(String text, List<ObjectNode> scopes, String path) throws InvalidJob {
    if (!text.contains("{{")) {
      return text;
    }
    String stream = resolveAll(text, scopes, true, path);
    Matcher left = MUSTACHE.matcher(stream);
    while (left.find()) {
      if (!EXECUTOR_BOUND.matcher(left.group(2)).matches()) {
        throw new InvalidJob(
            label(path)
                + ": contains unbound variable {{"
                + left.group(2)
                + "}} (Aurora's client refuses it: Config contains unbound variables)");
      }
    }
    return stream;
  }

  /**
   * Replaces every reference found in {@code scopes} (innermost last) by its value's text, again
   * until nothing more resolves (MustacheParser.resolve); unresolved references stay.
   *
   * @param standard whether the client's standard bindings follow the scopes (they are bound on the
   *     job, so a string reached by dereferencing a struct's field does not see them)
   */
  private String resolveAll(String text, List<ObjectNode> scopes, boolean standard, String path)
      throws InvalidJob {
    String stream = text;
    for (int iteration = 0; ; iteration++) {
      if (iteration >= MAX_ITERATIONS) {
        throw new InvalidJob(
            label(path) + ": Unable to interpolate " + text + "!  Maximum replacements reached.");
      }
      Matcher m = MUSTACHE.matcher(stream);
      StringBuilder out = new StringBuilder();
      boolean changed = false;
      while (m.find()) {
        if (m.group(1) != null) {
          throw new InvalidJob(
              label(path)
                  + ": '{{&"
                  + m.group(2)
                  + "}}' escapes a template, which Aurora's client binds again on a later pass;"
                  + " write the text it should become instead");
        }
        String value = resolve(m.group(2), scopes, standard, path);
        if (value == null || value.equals(m.group())) {
          m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
        } else {
          changed = true;
          m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
      }
      m.appendTail(out);
      stream = out.toString();
      if (!changed) {
        return stream;
      }
    }
  }

  /**
   * The text of {@code ref}: looked up in the innermost scope that has its first name. A string
   * reached through further components ({@code task.name}) is interpolated in the structs walked
   * through (pystachio's {@code find} scopes it there and {@code unicode()} interpolates it); a
   * string named directly comes back raw, and its references are resolved where it is used. Null
   * when no scope has it.
   */
  private String resolve(String ref, List<ObjectNode> scopes, boolean standard, String path)
      throws InvalidJob {
    List<String> parts = parseRef(ref, path);
    for (int i = scopes.size() - 1; i >= 0; i--) {
      List<ObjectNode> walked = new ArrayList<>();
      JsonNode found = find(scopes.get(i), parts, i == scopes.size() - 1, walked);
      if (found != null) {
        if (found.isTextual() && !walked.isEmpty()) {
          return resolveAll(found.textValue(), walked, false, path);
        }
        return text(found, ref, path);
      }
    }
    return standard ? STANDARD_BINDINGS.get(ref) : null;
  }

  /** Ref.from_address: a name, then {@code .name} or {@code [index]} components. */
  private static List<String> parseRef(String ref, String path) throws InvalidJob {
    String address = ref.startsWith("[") ? ref : "." + ref;
    List<String> parts = new ArrayList<>();
    Matcher m = REF_COMPONENT.matcher(address);
    int at = 0;
    while (at < address.length() && m.find(at) && m.start() == at) {
      parts.add(m.group(1) != null ? m.group(1) : m.group(2));
      at = m.end();
    }
    if (at != address.length() || parts.isEmpty() || ref.startsWith("[")) {
      throw new InvalidJob(label(path) + ": '{{" + ref + "}}' is not a valid reference");
    }
    return parts;
  }

  /**
   * Struct.find: the first part names a present field (or {@code self}); the rest go inside. Every
   * struct a later part is looked up in is added to {@code walked} (innermost last).
   */
  private JsonNode find(
      ObjectNode scope, List<String> parts, boolean innermost, List<ObjectNode> walked) {
    JsonNode value;
    if (parts.get(0).equals("self") && innermost) {
      value = scope;
    } else {
      value = scope.get(parts.get(0));
    }
    if (value == null) {
      return null;
    }
    for (int i = 1; i < parts.size(); i++) {
      String part = parts.get(i);
      if (value.isArray()) {
        int index;
        try {
          index = Integer.parseInt(part);
        } catch (NumberFormatException e) {
          return null;
        }
        value = index >= 0 && index < value.size() ? value.get(index) : null;
      } else if (value.isObject()) {
        if (classes.containsKey(value)) {
          walked.add((ObjectNode) value);
        }
        value = value.get(part);
      } else {
        return null;
      }
      if (value == null) {
        return null;
      }
    }
    return value;
  }

  /** {@code unicode(value)} of a scalar, as MustacheParser.join writes it. */
  private static String text(JsonNode value, String ref, String path) throws InvalidJob {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "True" : "False";
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isFloatingPointNumber()) {
      return floatStr(value.doubleValue());
    }
    throw new InvalidJob(
        label(path)
            + ": '{{"
            + ref
            + "}}' refers to a "
            + (value.isArray() ? "list" : "struct or map")
            + "; refer to one of its fields instead");
  }

  /** Python 2.7's {@code str(float)}: 12 significant digits, '%g' style, with ".0" for integers. */
  static String floatStr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal rounded = new BigDecimal(d).round(new MathContext(12)).stripTrailingZeros();
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= 12) {
      String digits = rounded.unscaledValue().abs().toString();
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d < 0 ? "-" : "")
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }
    String plain = rounded.toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }

  // ---- output order ----

  /** A copy of {@code node} whose structs have their class's {@code get()} key order. */
  private JsonNode ordered(JsonNode node, Set<String> leaveOut) {
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(item -> out.add(ordered(item, Set.of())));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    StructClass type = classes.get(node);
    ObjectNode out = NODES.objectNode();
    if (type == null) { // a map: already in its dict order
      node.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
      return out;
    }
    List<String> present = new ArrayList<>();
    for (String key : (type.body() ? BODY_ORDER : SORTED_ORDER).get(type.name())) {
      if (node.has(key) && !leaveOut.contains(key)) {
        present.add(key);
      }
    }
    for (String key : PyDictOrder.order(present)) {
      out.set(key, ordered(node.get(key), Set.of()));
    }
    return out;
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
