package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.nixaurora.api.JobKey;
import java.util.Objects;

/**
 * An Aurora job ({@code MesosJob}); a service is a job with {@code service = true}.
 *
 * <p>Its JSON form (Jackson) is exactly Aurora's job JSON (aurora-spec §1). Unset (null) fields
 * take Aurora's defaults.
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
  "contact",
  "tier",
  "priority",
  "task"
})
public record Job(
    @JsonProperty("cluster") String cluster,
    @JsonProperty("role") String role,
    @JsonProperty("environment") String environment,
    @JsonProperty("name") String name,
    @JsonProperty("task") Task task,
    @JsonProperty("service") Boolean service,
    @JsonProperty("instances") Integer instances,
    @JsonProperty("cron_schedule") String cronSchedule,
    @JsonProperty("contact") String contact,
    @JsonProperty("tier") String tier,
    @JsonProperty("priority") Integer priority) {

  public Job {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
  }

  /** The job's key. */
  @JsonIgnore
  public JobKey key() {
    return new JobKey(cluster, role, environment, name);
  }

  /** Whether this is a service. */
  @JsonIgnore
  public boolean isService() {
    return Boolean.TRUE.equals(service);
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
    b.contact = contact;
    b.tier = tier;
    b.priority = priority;
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
    private String contact;
    private String tier;
    private Integer priority;

    public Builder key(JobKey key) {
      this.cluster = key.cluster();
      this.role = key.role();
      this.environment = key.environment();
      this.name = key.name();
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
          contact,
          tier,
          priority);
    }
  }
}
