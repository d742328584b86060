package io.nixaurora.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A job's tasks as the scheduler reports them.
 *
 * @param key the job
 * @param tasks one entry per task the scheduler knows (active and recently finished)
 * @param raw the submitter's raw answer (client output or response JSON), for display
 */
public record JobStatus(JobKey key, List<Task> tasks, String raw) {

  /** Aurora's {@code ACTIVE_STATES} (api.thrift): tasks the scheduler still manages. */
  public static final Set<String> ACTIVE_STATES =
      Set.of(
          "INIT",
          "THROTTLED",
          "PENDING",
          "ASSIGNED",
          "STARTING",
          "RUNNING",
          "KILLING",
          "DRAINING",
          "RESTARTING",
          "PREEMPTING");

  public JobStatus {
    Objects.requireNonNull(key, "key");
    tasks = List.copyOf(tasks);
    Objects.requireNonNull(raw, "raw");
  }

  /**
   * One task.
   *
   * @param instance the instance id
   * @param taskId the Mesos task id, when known
   * @param status the scheduler's status, such as {@code RUNNING}
   * @param host the agent host, when assigned
   */
  public record Task(int instance, Optional<String> taskId, String status, Optional<String> host) {
    public Task {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(host, "host");
    }

    /** Whether the scheduler still manages this task (one of {@link #ACTIVE_STATES}). */
    public boolean active() {
      return ACTIVE_STATES.contains(status);
    }
  }
}
