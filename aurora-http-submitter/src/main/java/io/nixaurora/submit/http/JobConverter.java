package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.JobKey;
import io.nixaurora.submit.http.AuroraApi.AppcImage;
import io.nixaurora.submit.http.AuroraApi.BatchJobUpdateStrategy;
import io.nixaurora.submit.http.AuroraApi.Constraint;
import io.nixaurora.submit.http.AuroraApi.Container;
import io.nixaurora.submit.http.AuroraApi.CoordinatorSlaPolicy;
import io.nixaurora.submit.http.AuroraApi.CountSlaPolicy;
import io.nixaurora.submit.http.AuroraApi.CronCollisionPolicy;
import io.nixaurora.submit.http.AuroraApi.DockerContainer;
import io.nixaurora.submit.http.AuroraApi.DockerImage;
import io.nixaurora.submit.http.AuroraApi.DockerParameter;
import io.nixaurora.submit.http.AuroraApi.ExecutorConfig;
import io.nixaurora.submit.http.AuroraApi.Identity;
import io.nixaurora.submit.http.AuroraApi.Image;
import io.nixaurora.submit.http.AuroraApi.JobConfiguration;
import io.nixaurora.submit.http.AuroraApi.JobUpdateRequest;
import io.nixaurora.submit.http.AuroraApi.JobUpdateSettings;
import io.nixaurora.submit.http.AuroraApi.JobUpdateStrategy;
import io.nixaurora.submit.http.AuroraApi.LimitConstraint;
import io.nixaurora.submit.http.AuroraApi.MesosContainer;
import io.nixaurora.submit.http.AuroraApi.Metadata;
import io.nixaurora.submit.http.AuroraApi.Mode;
import io.nixaurora.submit.http.AuroraApi.PartitionPolicy;
import io.nixaurora.submit.http.AuroraApi.PercentageSlaPolicy;
import io.nixaurora.submit.http.AuroraApi.QueueJobUpdateStrategy;
import io.nixaurora.submit.http.AuroraApi.Resource;
import io.nixaurora.submit.http.AuroraApi.SlaPolicy;
import io.nixaurora.submit.http.AuroraApi.TaskConfig;
import io.nixaurora.submit.http.AuroraApi.TaskConstraint;
import io.nixaurora.submit.http.AuroraApi.ValueConstraint;
import io.nixaurora.submit.http.AuroraApi.VariableBatchJobUpdateStrategy;
import io.nixaurora.submit.http.AuroraApi.Volume;
import io.nixaurora.submit.http.ExecutorData.InvalidJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Aurora's client-side {@code convert()} (docs/aurora-spec.md §3): the compiled job JSON, after the
 * tier backfill, to the Thrift {@code JobConfiguration}, {@code TaskConfig} and {@code
 * JobUpdateRequest}. Works on the JSON tree, so it needs no model classes; sets with no natural
 * order are written sorted, so the same job always gives the same bytes.
 */
final class JobConverter {
  private static final long MB = 1024L * 1024L;
  private static final Pattern IDENTIFIER =
      Pattern.compile(AuroraApi.GOOD_IDENTIFIER_PATTERN_PYTHON);
  private static final Pattern PROCESS_NAME = Pattern.compile("^[^./][^/]*$");
  private static final Pattern THERMOS_PORT =
      Pattern.compile("\\{\\{thermos\\.ports\\[([^\\]]+)\\]\\}\\}");
  static final String UPDATE_ID_KEY = "org.apache.aurora.client.update_id";

  /**
   * A converted job.
   *
   * @param key the job key from the JSON
   * @param job the job JSON with every default filled in
   * @param taskConfig TaskConfig
   * @param jobConfiguration JobConfiguration
   * @param instanceCount {@code instances}
   * @param executorData the TaskConfig's executorConfig.data: what identifies this configuration
   *     among a job's tasks when a create's answer was lost ({@link OutcomeRecovery})
   */
  record Converted(
      JobKey key,
      ObjectNode job,
      TJson.Struct taskConfig,
      TJson.Struct jobConfiguration,
      int instanceCount,
      String executorData) {}

  private JobConverter() {}

  /** The Thrift JobKey of {@code key}. */
  static TJson.Struct jobKey(JobKey key) {
    return new TJson.Struct()
        .set(AuroraApi.JobKey.ROLE, TJson.str(key.role()))
        .set(AuroraApi.JobKey.ENVIRONMENT, TJson.str(key.environment()))
        .set(AuroraApi.JobKey.NAME, TJson.str(key.name()));
  }

  /**
   * Converts a job whose {@code tier} and {@code production} are already backfilled.
   *
   * @throws InvalidJob with Aurora's reason when {@code convert()} would refuse the job
   */
  static Converted convert(ObjectNode input, String cluster, String owner) throws InvalidJob {
    if (!input.has("cluster")) {
      throw new InvalidJob("Cluster required for job \"" + input.path("name").asText() + "\"");
    }
    if (!input.has("task")) {
      throw new InvalidJob("MesosJob[task] is required.");
    }
    ExecutorData.Loaded loaded = ExecutorData.load(input);
    String data = loaded.executorData();
    ObjectNode job = loaded.job();
    for (String field : List.of("role", "environment", "name")) {
      JsonNode value = job.get(field);
      if (value == null || !value.isTextual() || !IDENTIFIER.matcher(value.textValue()).matches()) {
        throw new InvalidJob(
            "Invalid " + field + " '" + (value == null ? "" : value.asText()) + "'");
      }
    }
    JsonNode task = job.get("task");
    if (!task.has("processes") || task.get("processes").isEmpty()) {
      throw new InvalidJob("Task[processes] is required.");
    }
    for (JsonNode process : task.get("processes")) {
      for (String required : List.of("name", "cmdline")) {
        if (!process.has(required)) {
          throw new InvalidJob("Task is invalid: Process[" + required + "] is required.");
        }
      }
      String name = process.get("name").textValue();
      if (!PROCESS_NAME.matcher(name).matches()) {
        throw new InvalidJob("Task is invalid: Process name '" + name + "' is invalid");
      }
    }
    JsonNode resources = task.get("resources");
    if (resources == null) {
      throw new InvalidJob("Task must specify resources!");
    }
    for (String required : List.of("cpu", "ram", "disk")) {
      if (!resources.has(required)) {
        throw new InvalidJob("Task is invalid: Resources[" + required + "] is required.");
      }
    }
    long ram = resources.get("ram").longValue();
    long disk = resources.get("disk").longValue();
    if (ram == 0 || disk == 0) {
      throw new InvalidJob("Must specify ram and disk resources, got ram " + ram + " disk " + disk);
    }
    double cpu = resources.get("cpu").doubleValue();
    long ramMb = Math.floorDiv(ram, MB);
    long diskMb = Math.floorDiv(disk, MB);
    if (cpu <= 0 || ramMb <= 0 || diskMb <= 0) {
      throw new InvalidJob(
          "Task has invalid resources.  cpu/ramMb/diskMb must all be positive: "
              + "cpu:"
              + PythonJson.floatRepr(cpu)
              + " ramMb:"
              + ramMb
              + " diskMb:"
              + diskMb);
    }
    JobKey key =
        new JobKey(
            cluster,
            job.get("role").textValue(),
            job.get("environment").textValue(),
            job.get("name").textValue());
    TJson.Struct identity = new TJson.Struct().set(Identity.USER, TJson.str(owner));

    List<TJson.Value> resourceSet = new ArrayList<>();
    resourceSet.add(new TJson.Struct().set(Resource.NUM_CPUS, TJson.dbl(cpu)));
    resourceSet.add(new TJson.Struct().set(Resource.RAM_MB, TJson.i64(ramMb)));
    resourceSet.add(new TJson.Struct().set(Resource.DISK_MB, TJson.i64(diskMb)));
    checkStaticPorts(job);
    for (String port : namedPorts(job)) {
      resourceSet.add(new TJson.Struct().set(Resource.NAMED_PORT, TJson.str(port)));
    }
    long gpu = resources.path("gpu").asLong(0);
    if (gpu != 0) {
      resourceSet.add(new TJson.Struct().set(Resource.NUM_GPUS, TJson.i64(gpu)));
    }

    JsonNode executor = job.get("executor_config");
    String executorName = executor.get("name").textValue();
    String executorData =
        executorName.equals(AuroraApi.AURORA_EXECUTOR_NAME)
            ? data
            : executor.get("data").textValue();
    TJson.Struct taskConfig =
        new TJson.Struct()
            .set(TaskConfig.JOB, jobKey(key))
            .set(TaskConfig.OWNER, identity)
            .set(TaskConfig.IS_SERVICE, TJson.bool(job.get("service").booleanValue()))
            .set(TaskConfig.PRIORITY, TJson.i32(job.get("priority").longValue()))
            .set(TaskConfig.MAX_TASK_FAILURES, TJson.i32(job.get("max_task_failures").longValue()))
            .set(TaskConfig.PRODUCTION, TJson.bool(job.get("production").booleanValue()))
            .set(TaskConfig.RESOURCES, TJson.set("rec", resourceSet))
            .set(
                TaskConfig.CONSTRAINTS,
                TJson.set("rec", placementConstraints(job.get("constraints"))))
            .set(TaskConfig.TASK_LINKS, TJson.stringMap(Map.of()))
            .set(TaskConfig.EXECUTOR_CONFIG, executorConfig(executorName, executorData))
            .set(TaskConfig.METADATA, TJson.set("rec", metadata(job.get("metadata"))))
            .set(TaskConfig.CONTAINER, container(job.get("container")));
    if (job.has("tier")) {
      taskConfig.set(TaskConfig.TIER, TJson.str(job.get("tier").textValue()));
    }
    if (job.has("contact")) {
      taskConfig.set(TaskConfig.CONTACT_EMAIL, TJson.str(job.get("contact").textValue()));
    }
    if (job.has("partition_policy")) {
      JsonNode policy = job.get("partition_policy");
      taskConfig.set(
          TaskConfig.PARTITION_POLICY,
          new TJson.Struct()
              .set(PartitionPolicy.RESCHEDULE, TJson.bool(policy.get("reschedule").booleanValue()))
              .set(PartitionPolicy.DELAY_SECS, TJson.i64(policy.get("delay_secs").longValue())));
    }
    if (job.has("sla_policy")) {
      taskConfig.set(TaskConfig.SLA_POLICY, slaPolicy(job.get("sla_policy")));
    }

    long instances = job.get("instances").longValue();
    TJson.Struct jobConfiguration =
        new TJson.Struct()
            .set(JobConfiguration.KEY, jobKey(key))
            .set(JobConfiguration.OWNER, identity)
            .set(
                JobConfiguration.CRON_COLLISION_POLICY,
                TJson.i32(cronCollisionPolicy(job.get("cron_collision_policy").textValue())))
            .set(JobConfiguration.TASK_CONFIG, taskConfig)
            .set(JobConfiguration.INSTANCE_COUNT, TJson.i32(instances));
    if (job.has("cron_schedule")) {
      jobConfiguration.set(
          JobConfiguration.CRON_SCHEDULE, TJson.str(job.get("cron_schedule").textValue()));
    }
    return new Converted(key, job, taskConfig, jobConfiguration, (int) instances, executorData);
  }

  /**
   * JobUpdateRequest for {@code aurora update start} (docs/aurora-spec.md §3.3).
   *
   * @param updateId the client's update id (metadata), or null to leave metadata out (for a diff)
   * @throws InvalidJob when {@code update_config} breaks the client's rules
   */
  static TJson.Struct updateRequest(Converted converted, String updateId) throws InvalidJob {
    TJson.Struct request =
        new TJson.Struct()
            .set(JobUpdateRequest.TASK_CONFIG, converted.taskConfig())
            .set(JobUpdateRequest.INSTANCE_COUNT, TJson.i32(converted.instanceCount()))
            .set(JobUpdateRequest.SETTINGS, updateSettings(converted.job()));
    if (updateId != null) {
      request.set(
          JobUpdateRequest.METADATA,
          TJson.set(
              "rec",
              List.of(
                  new TJson.Struct()
                      .set(Metadata.KEY, TJson.str(UPDATE_ID_KEY))
                      .set(Metadata.VALUE, TJson.str(updateId)))));
    }
    return request;
  }

  /** JobUpdateSettings from {@code update_config}, with the client's checks. */
  static TJson.Struct updateSettings(ObjectNode job) throws InvalidJob {
    JsonNode config = job.get("update_config");
    long batchSize = config.get("batch_size").longValue();
    long watchSecs = config.get("watch_secs").longValue();
    long maxTotalFailures = config.get("max_total_failures").longValue();
    boolean waitForBatch = config.get("wait_for_batch_completion").booleanValue();
    if (batchSize <= 0) {
      throw new InvalidJob("update_config.batch_size: must be positive, got " + batchSize);
    }
    if (watchSecs < 0) {
      throw new InvalidJob("update_config.watch_secs: must be non-negative, got " + watchSecs);
    }
    if (maxTotalFailures >= job.get("instances").longValue()) {
      throw new InvalidJob(
          "update_config.max_total_failures ("
              + maxTotalFailures
              + ") must be lower than instances ("
              + job.get("instances").longValue()
              + ")");
    }
    if (config.has("pulse_interval_secs") && config.get("pulse_interval_secs").longValue() < 60) {
      throw new InvalidJob(
          "update_config.pulse_interval_secs: must be at least 60, got "
              + config.get("pulse_interval_secs").longValue());
    }
    // UpdaterConfig.to_thrift_update_settings: an explicit strategy sets the group size (and a
    // batch strategy waitForBatchCompletion). 0.22 reads them as update_strategy.groupSize, which
    // raises AttributeError; what is sent here is what that code means. Its third branch tests
    // BatchUpdateStrategy again, so a variable batch strategy leaves both as update_config has
    // them.
    long groupSize = batchSize;
    TJson.Struct strategy;
    if (config.has("update_strategy")) {
      if (waitForBatch) {
        throw new InvalidJob(
            "update_config: Ambiguous update configuration. Cannot combine"
                + " wait_batch_completion with an explicit update strategy.");
      }
      if (batchSize > 1) {
        throw new InvalidJob(
            "update_config: Ambiguous update configuration. Cannot combine update strategy with"
                + " batch size. Please set batch size inside of update strategy instead.");
      }
      JsonNode given = config.get("update_strategy");
      if (given.has("batch_sizes")) {
        List<TJson.Value> sizes = new ArrayList<>();
        for (JsonNode size : given.get("batch_sizes")) {
          sizes.add(TJson.i32(size.longValue()));
        }
        strategy =
            new TJson.Struct()
                .set(
                    JobUpdateStrategy.VAR_BATCH_STRATEGY,
                    new TJson.Struct()
                        .set(VariableBatchJobUpdateStrategy.GROUP_SIZES, TJson.list("i32", sizes))
                        .set(
                            VariableBatchJobUpdateStrategy.AUTOPAUSE_AFTER_BATCH,
                            TJson.bool(given.get("autopause_after_batch").booleanValue())));
      } else if (given.has("autopause_after_batch")) {
        groupSize = given.get("batch_size").longValue();
        waitForBatch = true;
        strategy = batchStrategy(groupSize, given.get("autopause_after_batch").booleanValue());
      } else {
        groupSize = given.get("batch_size").longValue();
        strategy = queueStrategy(groupSize);
      }
    } else if (waitForBatch) {
      strategy = batchStrategy(batchSize, false);
    } else {
      strategy = queueStrategy(batchSize);
    }
    TJson.Struct settings =
        new TJson.Struct()
            .set(JobUpdateSettings.UPDATE_GROUP_SIZE, TJson.i32(groupSize))
            .set(
                JobUpdateSettings.MAX_PER_INSTANCE_FAILURES,
                TJson.i32(config.get("max_per_shard_failures").longValue()))
            .set(JobUpdateSettings.MAX_FAILED_INSTANCES, TJson.i32(maxTotalFailures))
            .set(JobUpdateSettings.MIN_WAIT_IN_INSTANCE_RUNNING_MS, TJson.i32(watchSecs * 1000))
            .set(
                JobUpdateSettings.ROLLBACK_ON_FAILURE,
                TJson.bool(config.get("rollback_on_failure").booleanValue()))
            .set(JobUpdateSettings.WAIT_FOR_BATCH_COMPLETION, TJson.bool(waitForBatch))
            .set(JobUpdateSettings.SLA_AWARE, TJson.bool(config.get("sla_aware").booleanValue()));
    if (config.has("pulse_interval_secs")) {
      settings.set(
          JobUpdateSettings.BLOCK_IF_NO_PULSES_AFTER_MS,
          TJson.i32(config.get("pulse_interval_secs").longValue() * 1000));
    }
    settings.set(JobUpdateSettings.UPDATE_STRATEGY, strategy);
    return settings;
  }

  /** JobUpdateStrategy with a QueueJobUpdateStrategy. */
  private static TJson.Struct queueStrategy(long groupSize) {
    return new TJson.Struct()
        .set(
            JobUpdateStrategy.QUEUE_STRATEGY,
            new TJson.Struct().set(QueueJobUpdateStrategy.GROUP_SIZE, TJson.i32(groupSize)));
  }

  /** JobUpdateStrategy with a BatchJobUpdateStrategy. */
  private static TJson.Struct batchStrategy(long groupSize, boolean autopause) {
    return new TJson.Struct()
        .set(
            JobUpdateStrategy.BATCH_STRATEGY,
            new TJson.Struct()
                .set(BatchJobUpdateStrategy.GROUP_SIZE, TJson.i32(groupSize))
                .set(BatchJobUpdateStrategy.AUTOPAUSE_AFTER_BATCH, TJson.bool(autopause)));
  }

  private static int cronCollisionPolicy(String policy) throws InvalidJob {
    return switch (policy.toUpperCase(Locale.ROOT)) {
      case "KILL_EXISTING" -> CronCollisionPolicy.KILL_EXISTING.value();
      case "CANCEL_NEW" -> CronCollisionPolicy.CANCEL_NEW.value();
      case "RUN_OVERLAP" -> CronCollisionPolicy.RUN_OVERLAP.value();
      default ->
          throw new InvalidJob(
              "cron_collision_policy: must be KILL_EXISTING, CANCEL_NEW or RUN_OVERLAP, got '"
                  + policy
                  + "'");
    };
  }

  /**
   * The named ports the client requests (AuroraConfig.ports()): the {@code thermos.ports[NAME]}
   * references of the task's processes, each replaced by what the announcer's portmap resolves it
   * to, plus every portmap value that resolves to a name rather than a number.
   */
  static TreeSet<String> namedPorts(ObjectNode job) throws InvalidJob {
    TreeSet<String> referenced = new TreeSet<>();
    for (JsonNode process : job.get("task").path("processes")) {
      collectPorts(process, referenced);
    }
    Map<String, Object> portmap = new TreeMap<>();
    JsonNode announce = job.get("announce");
    if (announce != null) {
      announce
          .get("portmap")
          .fields()
          .forEachRemaining(e -> portmap.put(e.getKey(), portValue(e.getValue().textValue())));
    }
    Map<String, Object> resolved = new TreeMap<>();
    for (String name : portmap.keySet()) {
      resolved.put(name, resolveOne(portmap, name));
    }
    TreeSet<String> ports = new TreeSet<>();
    for (Object value : resolved.values()) {
      if (value instanceof String port) {
        ports.add(port);
      }
    }
    for (String ref : referenced) {
      Object value = resolved.getOrDefault(ref, ref);
      if (value instanceof String port) {
        ports.add(port);
      }
    }
    return ports;
  }

  /**
   * The client's announce check (client/config.py): a portmap may name a static port only in a job
   * with a {@code dedicated} placement constraint.
   */
  private static void checkStaticPorts(ObjectNode job) throws InvalidJob {
    JsonNode announce = job.get("announce");
    if (announce == null || job.path("constraints").has("dedicated")) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = announce.get("portmap").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (portValue(entry.getValue().textValue()) instanceof java.math.BigInteger) {
        throw new InvalidJob(
            "announce.portmap."
                + entry.getKey()
                + ": Job must be dedicated in order to specify static ports! (add a 'dedicated'"
                + " placement constraint)");
      }
    }
  }

  /** Python's {@code int(value)} when it parses (a static port), else the name. */
  private static Object portValue(String value) {
    String trimmed = value.strip();
    if (trimmed.matches("[+-]?\\d+")) {
      return new java.math.BigInteger(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
    }
    return value;
  }

  /** PortResolver.resolve_one: follow aliases until a number or a name the map lacks. */
  private static Object resolveOne(Map<String, Object> portmap, String name) throws InvalidJob {
    Set<Object> visited = new HashSet<>();
    Object root = portmap.get(name);
    while (root instanceof String alias && portmap.containsKey(alias)) {
      visited.add(alias);
      if (visited.contains(portmap.get(alias))) {
        throw new InvalidJob("announce.portmap: Found cycle in portmap!");
      }
      root = portmap.get(alias);
    }
    return root;
  }

  private static void collectPorts(JsonNode node, TreeSet<String> ports) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      Matcher m = THERMOS_PORT.matcher(node.textValue());
      while (m.find()) {
        ports.add(m.group(1));
      }
    }
    for (JsonNode child : node) {
      collectPorts(child, ports);
    }
  }

  private static List<TJson.Value> placementConstraints(JsonNode constraints) throws InvalidJob {
    List<TJson.Value> out = new ArrayList<>();
    if (constraints == null) {
      return out;
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    constraints.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().textValue()));
    for (Map.Entry<String, String> entry : sorted.entrySet()) {
      String value = entry.getValue();
      TJson.Struct taskConstraint;
      if (value.startsWith("limit:")) {
        long limit;
        try {
          limit = Long.parseLong(value.substring("limit:".length()));
        } catch (NumberFormatException e) {
          throw new InvalidJob("constraints[" + entry.getKey() + "]: bad limit '" + value + "'");
        }
        taskConstraint =
            new TJson.Struct()
                .set(
                    TaskConstraint.LIMIT,
                    new TJson.Struct().set(LimitConstraint.LIMIT, TJson.i32(limit)));
      } else {
        boolean negated = value.startsWith("!");
        String values = negated ? value.substring(1) : value;
        List<TJson.Value> set = new ArrayList<>();
        for (String v : new TreeSet<>(List.of(values.split(",", -1)))) {
          set.add(TJson.str(v));
        }
        taskConstraint =
            new TJson.Struct()
                .set(
                    TaskConstraint.VALUE,
                    new TJson.Struct()
                        .set(ValueConstraint.NEGATED, TJson.bool(negated))
                        .set(ValueConstraint.VALUES, TJson.set("str", set)));
      }
      out.add(
          new TJson.Struct()
              .set(Constraint.NAME, TJson.str(entry.getKey()))
              .set(Constraint.CONSTRAINT, taskConstraint));
    }
    return out;
  }

  private static List<TJson.Value> metadata(JsonNode metadata) {
    TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
    for (JsonNode entry : metadata) {
      sorted
          .computeIfAbsent(entry.get("key").textValue(), k -> new TreeSet<>())
          .add(entry.get("value").textValue());
    }
    List<TJson.Value> out = new ArrayList<>();
    sorted.forEach(
        (k, values) ->
            values.forEach(
                v ->
                    out.add(
                        new TJson.Struct()
                            .set(Metadata.KEY, TJson.str(k))
                            .set(Metadata.VALUE, TJson.str(v)))));
    return out;
  }

  private static TJson.Struct executorConfig(String name, String data) {
    return new TJson.Struct()
        .set(ExecutorConfig.NAME, TJson.str(name))
        .set(ExecutorConfig.DATA, TJson.str(data));
  }

  private static TJson.Struct container(JsonNode container) {
    if (container == null) {
      return new TJson.Struct().set(Container.MESOS, new TJson.Struct());
    }
    JsonNode docker = container.has("docker") ? container.get("docker") : null;
    if (docker == null && container.has("image") && container.get("image").isTextual()) {
      docker = container;
    }
    if (docker != null) {
      List<TJson.Value> parameters = new ArrayList<>();
      for (JsonNode p : docker.get("parameters")) {
        parameters.add(
            new TJson.Struct()
                .set(DockerParameter.NAME, TJson.str(p.get("name").textValue()))
                .set(DockerParameter.VALUE, TJson.str(p.get("value").textValue())));
      }
      return new TJson.Struct()
          .set(
              Container.DOCKER,
              new TJson.Struct()
                  .set(DockerContainer.IMAGE, TJson.str(docker.get("image").textValue()))
                  .set(DockerContainer.PARAMETERS, TJson.list("rec", parameters)));
    }
    TJson.Struct mesos = new TJson.Struct();
    JsonNode image = container.get("image");
    if (image != null) {
      TJson.Struct union = new TJson.Struct();
      if (image.has("image_id")) {
        union.set(
            Image.APPC,
            new TJson.Struct()
                .set(AppcImage.NAME, TJson.str(image.get("name").textValue()))
                .set(AppcImage.IMAGE_ID, TJson.str(image.get("image_id").textValue())));
      } else {
        union.set(
            Image.DOCKER,
            new TJson.Struct()
                .set(DockerImage.NAME, TJson.str(image.get("name").textValue()))
                .set(DockerImage.TAG, TJson.str(image.get("tag").textValue())));
      }
      mesos.set(MesosContainer.IMAGE, union);
    }
    List<TJson.Value> volumes = new ArrayList<>();
    for (JsonNode v : container.path("volumes")) {
      volumes.add(
          new TJson.Struct()
              .set(Volume.CONTAINER_PATH, TJson.str(v.get("container_path").textValue()))
              .set(Volume.HOST_PATH, TJson.str(v.get("host_path").textValue()))
              .set(
                  Volume.MODE,
                  TJson.i32((v.get("mode").textValue().equals("RO") ? Mode.RO : Mode.RW).value())));
    }
    mesos.set(MesosContainer.VOLUMES, TJson.list("rec", volumes));
    return new TJson.Struct().set(Container.MESOS, mesos);
  }

  private static TJson.Struct slaPolicy(JsonNode policy) {
    if (policy.has("coordinator_url")) {
      return new TJson.Struct()
          .set(
              SlaPolicy.COORDINATOR_SLA_POLICY,
              new TJson.Struct()
                  .set(
                      CoordinatorSlaPolicy.COORDINATOR_URL,
                      TJson.str(policy.get("coordinator_url").textValue()))
                  .set(
                      CoordinatorSlaPolicy.STATUS_KEY,
                      TJson.str(policy.get("status_key").textValue())));
    }
    if (policy.has("count")) {
      return new TJson.Struct()
          .set(
              SlaPolicy.COUNT_SLA_POLICY,
              new TJson.Struct()
                  .set(CountSlaPolicy.COUNT, TJson.i64(policy.get("count").longValue()))
                  .set(
                      CountSlaPolicy.DURATION_SECS,
                      TJson.i64(policy.get("duration_secs").longValue())));
    }
    return new TJson.Struct()
        .set(
            SlaPolicy.PERCENTAGE_SLA_POLICY,
            new TJson.Struct()
                .set(
                    PercentageSlaPolicy.PERCENTAGE,
                    TJson.dbl(policy.get("percentage").doubleValue()))
                .set(
                    PercentageSlaPolicy.DURATION_SECS,
                    TJson.i64(policy.get("duration_secs").longValue())));
  }
}
