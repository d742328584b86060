package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A Thermos task: processes, their ordering constraints and the task's resources.
 *
 * @param name the task name (Aurora default: the first process's name)
 * @param processes the processes, at least one
 * @param constraints ordering constraints (never null; empty when there are none, and then left out
 *     of the JSON)
 * @param resources the task's resources, required
 * @param maxFailures failed processes before the task fails (default 1; 0 = unlimited)
 * @param maxConcurrency processes run at once (default 0 = unlimited)
 * @param finalizationWait seconds for final processes (default 30)
 * @param user the user to run as (a Mesos workaround, MESOS-3546; normally unset)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "processes",
  "constraints",
  "resources",
  "max_failures",
  "max_concurrency",
  "finalization_wait",
  "user"
})
public record Task(
    @JsonProperty("name") String name,
    @JsonProperty(value = "processes", required = true) List<Process> processes,
    @JsonProperty("constraints") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Constraint> constraints,
    @JsonProperty(value = "resources", required = true) Resources resources,
    @JsonProperty("max_failures") Integer maxFailures,
    @JsonProperty("max_concurrency") Integer maxConcurrency,
    @JsonProperty("finalization_wait") Integer finalizationWait,
    @JsonProperty("user") String user) {

  public Task {
    Require.nonBlankIfSet(name, "task.name");
    processes = Require.listOrNull(Require.present(processes, "task.processes"), "task.processes");
    if (processes.isEmpty()) {
      throw new IllegalArgumentException("task.processes: must have at least one process");
    }
    constraints =
        constraints == null ? List.of() : Require.listOrNull(constraints, "task.constraints");
    Require.present(resources, "task.resources");
    // Aurora's client takes any integer here; these two break the task under Thermos (checked
    // with the real runner); a negative finalization_wait does not (no finalization wait).
    if (maxFailures != null && maxFailures < 0) {
      throw new IllegalArgumentException(
          "task.max_failures: must be >= 0, got "
              + maxFailures
              + "; Thermos fails such a task at once without running a process");
    }
    if (maxConcurrency != null && maxConcurrency < 0) {
      throw new IllegalArgumentException(
          "task.max_concurrency: must be >= 0 (0: no limit), got "
              + maxConcurrency
              + "; Thermos never starts a process of such a task");
    }
    Require.nonBlankIfSet(user, "task.user");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this task's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.processes.addAll(processes);
    b.constraints.addAll(constraints);
    b.resources = resources;
    b.maxFailures = maxFailures;
    b.maxConcurrency = maxConcurrency;
    b.finalizationWait = finalizationWait;
    b.user = user;
    return b;
  }

  /** Builds a task. */
  public static final class Builder {
    private String name;
    private final List<Process> processes = new ArrayList<>();
    private final List<Constraint> constraints = new ArrayList<>();
    private Resources resources;
    private Integer maxFailures;
    private Integer maxConcurrency;
    private Integer finalizationWait;
    private String user;

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder process(Process process) {
      processes.add(process);
      return this;
    }

    /** Replaces the processes. */
    public Builder processes(List<Process> processes) {
      this.processes.clear();
      this.processes.addAll(processes);
      return this;
    }

    public Builder constraint(Constraint constraint) {
      constraints.add(constraint);
      return this;
    }

    /** Replaces the ordering constraints. */
    public Builder constraints(List<Constraint> constraints) {
      this.constraints.clear();
      this.constraints.addAll(constraints);
      return this;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public Builder maxFailures(int maxFailures) {
      this.maxFailures = maxFailures;
      return this;
    }

    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    public Builder finalizationWait(int finalizationWait) {
      this.finalizationWait = finalizationWait;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * The task.
     *
     * @throws IllegalArgumentException naming the field when a required field is missing or a value
     *     is out of range
     */
    public Task build() {
      return new Task(
          name,
          processes,
          constraints,
          resources,
          maxFailures,
          maxConcurrency,
          finalizationWait,
          user);
    }
  }
}
