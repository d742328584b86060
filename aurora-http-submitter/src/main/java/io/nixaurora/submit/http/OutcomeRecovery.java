package io.nixaurora.submit.http;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.submit.http.AuroraApi.ScheduleStatus;
import java.util.List;
import java.util.Optional;

/**
 * What happened when a call that changes the scheduler's state lost its answer (createJob or
 * killTasks, which are not repeated: {@link SchedulerClient.OutcomeUnknown}). The job's task list
 * is read before anything is said: tasks that are there confirm a create, tasks that are all
 * KILLING confirm a kill; anything else is reported as unknown, with what the scheduler lists.
 */
final class OutcomeRecovery {
  private OutcomeRecovery() {}

  /**
   * The result the task list confirms.
   *
   * @param action {@link SubmitResult.Action#CREATE} or {@link SubmitResult.Action#KILL}
   * @param method the call whose answer was lost
   * @throws SubmitException.Network when the task list confirms nothing, or cannot be read
   */
  static SubmitResult afterLostAnswer(
      SchedulerCalls calls,
      JobKey key,
      SubmitResult.Action action,
      String method,
      SchedulerClient.OutcomeUnknown lost)
      throws SubmitException {
    String why = lost.getMessage();
    String unknown = "the outcome of " + method + " for " + key + " is unknown: " + why;
    JobStatus status;
    try {
      status = calls.tasks(key);
    } catch (SubmitException e) {
      throw new SubmitException.Network(
          unknown
              + ", and the job's state could not be read ("
              + e.getMessage()
              + "); check with status before trying again",
          lost.getCause());
    }
    List<JobStatus.Task> active =
        status.tasks().stream().filter(t -> SchedulerCalls.active(t.status())).toList();
    String url = calls.jobUrl(key);
    if (action == SubmitResult.Action.CREATE && !active.isEmpty()) {
      return new SubmitResult(
          key,
          action,
          "Job create succeeded (confirmed by the scheduler's task list after "
              + why
              + "): job url="
              + url,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    if (action == SubmitResult.Action.KILL
        && active.stream().allMatch(t -> t.status().equals(ScheduleStatus.KILLING.name()))) {
      return new SubmitResult(
          key,
          action,
          "Kill of " + key + " confirmed by the scheduler's task list after " + why,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    throw new SubmitException.Network(
        unknown
            + "; the scheduler lists "
            + active.size()
            + " active task(s). It was not retried, since repeating it is not safe; check with"
            + " status before trying again",
        lost.getCause());
  }
}
