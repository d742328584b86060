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
 * is read before anything is said: active tasks that carry the configuration that was sent confirm
 * a create, tasks that are all KILLING confirm a kill; anything else is reported as unknown, with
 * what the scheduler lists.
 */
final class OutcomeRecovery {
  private OutcomeRecovery() {}

  /**
   * The create the task list confirms. Tasks alone confirm nothing: the job may have existed
   * before, and then the scheduler refused the create ("job already exists") while its old tasks
   * run on. So the active tasks' executor data, which holds the whole Thermos task, must be the
   * data that was sent. (The same configuration created earlier cannot be told apart; it is what
   * was asked for either way.)
   *
   * @param action {@link SubmitResult.Action#CREATE} or {@link SubmitResult.Action#SCHEDULE_CRON}
   * @param method the call whose answer was lost
   * @param executorData the executorConfig.data of the JobConfiguration that was sent
   * @throws SubmitException.Network when the task list confirms nothing, or cannot be read
   */
  static SubmitResult afterLostCreate(
      SchedulerCalls calls,
      JobKey key,
      SubmitResult.Action action,
      String method,
      String executorData,
      SchedulerClient.OutcomeUnknown lost)
      throws SubmitException {
    List<SchedulerCalls.ConfiguredTask> tasks;
    try {
      tasks = calls.tasksWithConfigs(key);
    } catch (SubmitException e) {
      throw unreadable(key, method, lost, e);
    }
    List<SchedulerCalls.ConfiguredTask> active =
        tasks.stream().filter(t -> SchedulerCalls.active(t.status())).toList();
    long ours =
        active.stream().filter(t -> t.executorData().equals(Optional.of(executorData))).count();
    String why = lost.getMessage();
    if (!active.isEmpty() && ours == active.size()) {
      String url = calls.jobUrl(key);
      return new SubmitResult(
          key,
          action,
          "Job create succeeded (confirmed by the scheduler's task list after "
              + why
              + ": its active tasks run the configuration that was sent): job url="
              + url,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    if (ours < active.size()) {
      throw new SubmitException.Network(
          unknown(key, method, lost)
              + "; "
              + (active.size() - ours)
              + " of the job's "
              + active.size()
              + " active task(s) run another configuration (the job may have existed before, and"
              + " then the scheduler refused the create). It was not retried, since repeating it"
              + " is not safe; check with status before trying again",
          lost.getCause());
    }
    throw notConfirmed(key, method, lost, active.size());
  }

  /**
   * The kill the task list confirms: every active task is KILLING.
   *
   * @throws SubmitException.Network when the task list confirms nothing, or cannot be read
   */
  static SubmitResult afterLostKill(
      SchedulerCalls calls, JobKey key, String method, SchedulerClient.OutcomeUnknown lost)
      throws SubmitException {
    JobStatus status;
    try {
      status = calls.tasks(key);
    } catch (SubmitException e) {
      throw unreadable(key, method, lost, e);
    }
    List<JobStatus.Task> active =
        status.tasks().stream().filter(t -> SchedulerCalls.active(t.status())).toList();
    if (active.stream().allMatch(t -> t.status().equals(ScheduleStatus.KILLING.name()))) {
      return new SubmitResult(
          key,
          SubmitResult.Action.KILL,
          "Kill of " + key + " confirmed by the scheduler's task list after " + lost.getMessage(),
          Optional.of(calls.jobUrl(key)),
          Optional.empty(),
          Optional.empty());
    }
    throw notConfirmed(key, method, lost, active.size());
  }

  private static String unknown(JobKey key, String method, SchedulerClient.OutcomeUnknown lost) {
    return "the outcome of " + method + " for " + key + " is unknown: " + lost.getMessage();
  }

  private static SubmitException.Network unreadable(
      JobKey key, String method, SchedulerClient.OutcomeUnknown lost, SubmitException e) {
    return new SubmitException.Network(
        unknown(key, method, lost)
            + ", and the job's state could not be read ("
            + e.getMessage()
            + "); check with status before trying again",
        lost.getCause());
  }

  private static SubmitException.Network notConfirmed(
      JobKey key, String method, SchedulerClient.OutcomeUnknown lost, int active) {
    return new SubmitException.Network(
        unknown(key, method, lost)
            + "; the scheduler lists "
            + active
            + " active task(s). It was not retried, since repeating it is not safe; check with"
            + " status before trying again",
        lost.getCause());
  }
}
