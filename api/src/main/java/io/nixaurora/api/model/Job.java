package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Aurora job ({@code MesosJob}); a service is a job with {@code service = true}.
 *
 * <p>Its JSON form (Jackson) is exactly Aurora's job JSON (docs/aurora-spec.md §1.3): snake_case
 * keys, only schema keys, unset (null) fields left out so that Aurora applies its defaults. Maps
 * are kept sorted by key, so equal jobs always give equal JSON. Build one with {@link #builder()};
 * the constructor checks single values (required fields, ranges), the compiler checks the rest
 * (identifiers, process names, ordering, templates, cross-field rules) all at once.
 *
 * @param cluster the cluster, required
 * @param role the role (the Unix user the tasks run as), required
 * @param environment the environment, required
 * @param name the job name, required
 * @param service whether this is a service (rescheduled whenever it ends); written when set
 * @param instances instance count (default 1), >= 1
 * @param cronSchedule a cron schedule (five fields); cron jobs are not services
 * @param cronCollisionPolicy what to do when a cron run overlaps the previous one
 * @param contact the owner's e-mail address
 * @param tier the tier (the client fills it in when unset)
 * @param priority scheduling priority (default 0)
 * @param production deprecated, use {@code tier} (default false)
 * @param maxTaskFailures task failures before a non-service job fails (default 1; -1 = unlimited)
 * @param enableHooks run client hooks (default false)
 * @param task the task, required
 * @param announce the ZooKeeper announcer
 * @param updateConfig how updates roll out
 * @param healthCheckConfig how health is checked
 * @param lifecycle how tasks are shut down
 * @param placementConstraints Mesos placement constraints ({@code constraints} in JSON): attribute
 *     name to value, {@code !value} (negated), {@code a,b} (any of) or {@code limit:N}
 * @param metadata metadata attached to the tasks, in order
 * @param taskLinks links shown in the UI (unsupported by Aurora, AURORA-739)
 * @param executorConfig the executor
 * @param partitionPolicy what to do with tasks on partitioned agents
 * @param slaPolicy the SLA policy
 * @param container the container (default: the Mesos containerizer without an image)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "cluster",
  "role",
  "environment",
  "name",
  "service",
  "instances",
  "cron_schedule",
  "cron_collision_policy",
  "contact",
  "tier",
  "priority",
  "production",
  "max_task_failures",
  "enable_hooks",
  "task",
  "announce",
  "update_config",
  "health_check_config",
  "lifecycle",
  "constraints",
  "metadata",
  "task_links",
  "executor_config",
  "partition_policy",
  "sla_policy",
  "container"
})
public record Job(
    @JsonProperty(value = "cluster", required = true) String cluster,
    @JsonProperty(value = "role", required = true) String role,
    @JsonProperty(value = "environment", required = true) String environment,
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "task", required = true) Task task,
    @JsonProperty("service") Boolean service,
    @JsonProperty("instances") Integer instances,
    @JsonProperty("cron_schedule") String cronSchedule,
    @JsonProperty("cron_collision_policy")
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES)
        CronCollisionPolicy cronCollisionPolicy,
    @JsonProperty("contact") String contact,
    @JsonProperty("tier") String tier,
    @JsonProperty("priority") Integer priority,
    @JsonProperty("production") Boolean production,
    @JsonProperty("max_task_failures") Integer maxTaskFailures,
    @JsonProperty("enable_hooks") Boolean enableHooks,
    @JsonProperty("announce") Announcer announce,
    @JsonProperty("update_config") UpdateConfig updateConfig,
    @JsonProperty("health_check_config") HealthCheckConfig healthCheckConfig,
    @JsonProperty("lifecycle") LifecycleConfig lifecycle,
    @JsonProperty("constraints") Map<String, String> placementConstraints,
    @JsonProperty("metadata") List<Metadata> metadata,
    @JsonProperty("task_links") Map<String, String> taskLinks,
    @JsonProperty("executor_config") ExecutorConfig executorConfig,
    @JsonProperty("partition_policy") PartitionPolicy partitionPolicy,
    @JsonProperty("sla_policy") SlaPolicy slaPolicy,
    @JsonProperty("container") Container container) {

  public Job {
    Require.present(cluster, "job.cluster");
    Require.present(role, "job.role");
    Require.present(environment, "job.environment");
    Require.present(name, "job.name");
    Require.present(task, "job.task");
    Require.atLeast(instances, 1, "job.instances");
    Require.nonBlankIfSet(cronSchedule, "job.cron_schedule");
    Require.nonBlankIfSet(tier, "job.tier");
    Require.atLeast(maxTaskFailures, -1, "job.max_task_failures");
    placementConstraints = Require.sortedMapOrNull(placementConstraints, "job.constraints");
    metadata = Require.listOrNull(metadata, "job.metadata");
    taskLinks = Require.sortedMapOrNull(taskLinks, "job.task_links");
  }

  /** Whether this is a service. */
  @JsonIgnore
  public boolean isService() {
    return Boolean.TRUE.equals(service);
  }

  /** Whether this is a cron job (it has a cron schedule). */
  @JsonIgnore
  public boolean isCron() {
    return cronSchedule != null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this job's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.cluster = cluster;
    b.role = role;
    b.environment = environment;
    b.name = name;
    b.task = task;
    b.service = service;
    b.instances = instances;
    b.cronSchedule = cronSchedule;
    b.cronCollisionPolicy = cronCollisionPolicy;
    b.contact = contact;
    b.tier = tier;
    b.priority = priority;
    b.production = production;
    b.maxTaskFailures = maxTaskFailures;
    b.enableHooks = enableHooks;
    b.announce = announce;
    b.updateConfig = updateConfig;
    b.healthCheckConfig = healthCheckConfig;
    b.lifecycle = lifecycle;
    b.placementConstraints =
        placementConstraints == null ? null : new TreeMap<>(placementConstraints);
    b.metadata = metadata == null ? null : new ArrayList<>(metadata);
    b.taskLinks = taskLinks == null ? null : new TreeMap<>(taskLinks);
    b.executorConfig = executorConfig;
    b.partitionPolicy = partitionPolicy;
    b.slaPolicy = slaPolicy;
    b.container = container;
    return b;
  }

  /** Builds a job. */
  public static final class Builder {
    private String cluster;
    private String role;
    private String environment;
    private String name;
    private Task task;
    private Boolean service;
    private Integer instances;
    private String cronSchedule;
    private CronCollisionPolicy cronCollisionPolicy;
    private String contact;
    private String tier;
    private Integer priority;
    private Boolean production;
    private Integer maxTaskFailures;
    private Boolean enableHooks;
    private Announcer announce;
    private UpdateConfig updateConfig;
    private HealthCheckConfig healthCheckConfig;
    private LifecycleConfig lifecycle;
    private Map<String, String> placementConstraints;
    private List<Metadata> metadata;
    private Map<String, String> taskLinks;
    private ExecutorConfig executorConfig;
    private PartitionPolicy partitionPolicy;
    private SlaPolicy slaPolicy;
    private Container container;

    /** Sets the four parts of the job key ({@code cluster/role/environment/name}) at once. */
    public Builder key(String cluster, String role, String environment, String name) {
      this.cluster = cluster;
      this.role = role;
      this.environment = environment;
      this.name = name;
      return this;
    }

    public Builder cluster(String cluster) {
      this.cluster = cluster;
      return this;
    }

    public Builder role(String role) {
      this.role = role;
      return this;
    }

    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder task(Task task) {
      this.task = task;
      return this;
    }

    public Builder service(boolean service) {
      this.service = service;
      return this;
    }

    public Builder instances(int instances) {
      this.instances = instances;
      return this;
    }

    public Builder cronSchedule(String cronSchedule) {
      this.cronSchedule = cronSchedule;
      return this;
    }

    public Builder cronCollisionPolicy(CronCollisionPolicy cronCollisionPolicy) {
      this.cronCollisionPolicy = cronCollisionPolicy;
      return this;
    }

    public Builder contact(String contact) {
      this.contact = contact;
      return this;
    }

    public Builder tier(String tier) {
      this.tier = tier;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder production(boolean production) {
      this.production = production;
      return this;
    }

    public Builder maxTaskFailures(int maxTaskFailures) {
      this.maxTaskFailures = maxTaskFailures;
      return this;
    }

    public Builder enableHooks(boolean enableHooks) {
      this.enableHooks = enableHooks;
      return this;
    }

    public Builder announce(Announcer announce) {
      this.announce = announce;
      return this;
    }

    public Builder updateConfig(UpdateConfig updateConfig) {
      this.updateConfig = updateConfig;
      return this;
    }

    public Builder healthCheckConfig(HealthCheckConfig healthCheckConfig) {
      this.healthCheckConfig = healthCheckConfig;
      return this;
    }

    public Builder lifecycle(LifecycleConfig lifecycle) {
      this.lifecycle = lifecycle;
      return this;
    }

    /** Adds the placement constraint {@code attribute -> value} (replacing one of that name). */
    public Builder placementConstraint(String attribute, String value) {
      if (placementConstraints == null) {
        placementConstraints = new TreeMap<>();
      }
      placementConstraints.put(attribute, value);
      return this;
    }

    /** Replaces the placement constraints; null unsets them. */
    public Builder placementConstraints(Map<String, String> placementConstraints) {
      this.placementConstraints =
          placementConstraints == null ? null : new TreeMap<>(placementConstraints);
      return this;
    }

    /** Adds a metadata entry. */
    public Builder metadata(Metadata entry) {
      if (metadata == null) {
        metadata = new ArrayList<>();
      }
      metadata.add(entry);
      return this;
    }

    /** Replaces the metadata; null unsets it. */
    public Builder metadata(List<Metadata> metadata) {
      this.metadata = metadata == null ? null : new ArrayList<>(metadata);
      return this;
    }

    /** Adds a task link {@code name -> url}. */
    public Builder taskLink(String name, String url) {
      if (taskLinks == null) {
        taskLinks = new TreeMap<>();
      }
      taskLinks.put(name, url);
      return this;
    }

    /** Replaces the task links; null unsets them. */
    public Builder taskLinks(Map<String, String> taskLinks) {
      this.taskLinks = taskLinks == null ? null : new TreeMap<>(taskLinks);
      return this;
    }

    public Builder executorConfig(ExecutorConfig executorConfig) {
      this.executorConfig = executorConfig;
      return this;
    }

    public Builder partitionPolicy(PartitionPolicy partitionPolicy) {
      this.partitionPolicy = partitionPolicy;
      return this;
    }

    public Builder slaPolicy(SlaPolicy slaPolicy) {
      this.slaPolicy = slaPolicy;
      return this;
    }

    public Builder container(Container container) {
      this.container = container;
      return this;
    }

    /**
     * The job.
     *
     * @throws IllegalArgumentException naming the field when a required field is missing or a value
     *     is out of range
     */
    public Job build() {
      return new Job(
          cluster,
          role,
          environment,
          name,
          task,
          service,
          instances,
          cronSchedule,
          cronCollisionPolicy,
          contact,
          tier,
          priority,
          production,
          maxTaskFailures,
          enableHooks,
          announce,
          updateConfig,
          healthCheckConfig,
          lifecycle,
          placementConstraints,
          metadata,
          taskLinks,
          executorConfig,
          partitionPolicy,
          slaPolicy,
          container);
    }
  }
}
