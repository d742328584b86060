package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Thermos task: processes, their ordering constraints and the task's resources.
 *
 * @param name the task name (Aurora default: the first process's name)
 * @param processes the processes, at least one
 * @param constraints ordering constraints
 * @param resources the task's resources
 * @param maxFailures failed processes before the task fails (default 1; 0 = unlimited)
 * @param maxConcurrency processes run at once (default 0 = unlimited)
 * @param finalizationWait seconds for final processes (default 30)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "processes",
  "constraints",
  "resources",
  "max_failures",
  "max_concurrency",
  "finalization_wait"
})
public record Task(
    @JsonProperty("name") String name,
    @JsonProperty("processes") List<Process> processes,
    @JsonProperty("constraints") List<Constraint> constraints,
    @JsonProperty("resources") Resources resources,
    @JsonProperty("max_failures") Integer maxFailures,
    @JsonProperty("max_concurrency") Integer maxConcurrency,
    @JsonProperty("finalization_wait") Integer finalizationWait) {

  public Task {
    processes = List.copyOf(Objects.requireNonNull(processes, "task.processes"));
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    Objects.requireNonNull(resources, "task.resources");
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

    /** Replaces the ordering constraints. */
    public Builder constraints(List<Constraint> constraints) {
      this.constraints.clear();
      this.constraints.addAll(constraints);
      return this;
    }

    public Builder constraint(Constraint constraint) {
      constraints.add(constraint);
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

    public Task build() {
      return new Task(
          name, processes, constraints, resources, maxFailures, maxConcurrency, finalizationWait);
    }
  }
}
