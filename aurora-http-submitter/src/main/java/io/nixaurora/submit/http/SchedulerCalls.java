package io.nixaurora.submit.http;

import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.submit.http.AuroraApi.AssignedTask;
import io.nixaurora.submit.http.AuroraApi.ConfigGroup;
import io.nixaurora.submit.http.AuroraApi.CreateJobArgs;
import io.nixaurora.submit.http.AuroraApi.ExecutorConfig;
import io.nixaurora.submit.http.AuroraApi.GetJobSummaryArgs;
import io.nixaurora.submit.http.AuroraApi.GetJobUpdateDiffArgs;
import io.nixaurora.submit.http.AuroraApi.GetJobUpdateDiffResult;
import io.nixaurora.submit.http.AuroraApi.GetJobUpdateSummariesArgs;
import io.nixaurora.submit.http.AuroraApi.GetJobUpdateSummariesResult;
import io.nixaurora.submit.http.AuroraApi.GetTasksStatusArgs;
import io.nixaurora.submit.http.AuroraApi.GetTasksWithoutConfigsArgs;
import io.nixaurora.submit.http.AuroraApi.JobUpdateKey;
import io.nixaurora.submit.http.AuroraApi.JobUpdateQuery;
import io.nixaurora.submit.http.AuroraApi.JobUpdateState;
import io.nixaurora.submit.http.AuroraApi.JobUpdateStatus;
import io.nixaurora.submit.http.AuroraApi.JobUpdateSummary;
import io.nixaurora.submit.http.AuroraApi.KillTasksArgs;
import io.nixaurora.submit.http.AuroraApi.Range;
import io.nixaurora.submit.http.AuroraApi.ResponseCode;
import io.nixaurora.submit.http.AuroraApi.Result;
import io.nixaurora.submit.http.AuroraApi.ScheduleCronJobArgs;
import io.nixaurora.submit.http.AuroraApi.ScheduleStatus;
import io.nixaurora.submit.http.AuroraApi.ScheduleStatusResult;
import io.nixaurora.submit.http.AuroraApi.ScheduledTask;
import io.nixaurora.submit.http.AuroraApi.StartJobUpdateArgs;
import io.nixaurora.submit.http.AuroraApi.StartJobUpdateResult;
import io.nixaurora.submit.http.AuroraApi.TaskConfig;
import io.nixaurora.submit.http.AuroraApi.TaskQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler API calls of the http submitter, on one scheduler: each builds its Thrift
 * arguments, makes the call, checks the response code and reads the result into values
 * (docs/aurora-spec.md §4.3, §5.4). Calls that change the scheduler's state are never repeated
 * after a transport error ({@link SchedulerClient.OutcomeUnknown}); read-only calls are.
 */
final class SchedulerCalls {
  /** The most instances a diff may name (Aurora's own limit is 4,000 tasks per job by default). */
  static final int MAX_DIFF_INSTANCES = 100_000;

  /**
   * An update the scheduler accepted.
   *
   * @param id the update's id, or empty when the scheduler found nothing to change
   * @param details the scheduler's details
   */
  record StartedUpdate(Optional<String> id, String details) {}

  private final SchedulerClient client;

  SchedulerCalls(SchedulerClient client) {
    this.client = client;
  }

  /** The job's page in the scheduler's UI. */
  String jobUrl(JobKey key) {
    return client
        .base()
        .resolve("scheduler/" + key.role() + "/" + key.environment() + "/" + key.name())
        .toString();
  }

  /** Whether {@code status} (a {@link JobStatus.Task#status()}) is one of ACTIVE_STATES. */
  static boolean active(String status) {
    return AuroraApi.ACTIVE_STATES.stream().anyMatch(s -> s.name().equals(status));
  }

  /**
   * createJob, or scheduleCronJob for a cron job: not repeated after a transport error.
   *
   * @param jobConfiguration the JobConfiguration
   */
  void createJob(JobKey key, TJson.Struct jobConfiguration, boolean cron)
      throws SubmitException, SchedulerClient.OutcomeUnknown {
    String method = cron ? ScheduleCronJobArgs.METHOD : CreateJobArgs.METHOD;
    // Both calls take the job as their first argument, `description`.
    TJson.Struct args =
        new TJson.Struct()
            .set(
                cron ? ScheduleCronJobArgs.DESCRIPTION : CreateJobArgs.DESCRIPTION,
                jobConfiguration);
    Responses.check(method, client.call(method, args, false), key);
  }

  /** killTasks for every instance of the job; the scheduler's details. */
  String killTasks(JobKey key) throws SubmitException, SchedulerClient.OutcomeUnknown {
    TJson.Struct args = new TJson.Struct().set(KillTasksArgs.JOB, JobConverter.jobKey(key));
    TJsonReply.Struct response = client.call(KillTasksArgs.METHOD, args, false);
    Responses.check(KillTasksArgs.METHOD, response, key);
    return Responses.details(response);
  }

  /**
   * A task with what identifies its configuration.
   *
   * @param instance the instance id
   * @param status the {@link ScheduleStatus} name, or {@code UNKNOWN(n)}
   * @param executorData the task's executorConfig.data, if the scheduler sent one
   */
  record ConfiguredTask(int instance, String status, Optional<String> executorData) {}

  /** The job's tasks (getTasksWithoutConfigs), by instance. */
  JobStatus tasks(JobKey key) throws SubmitException {
    TJsonReply.Struct response =
        taskQuery(GetTasksWithoutConfigsArgs.METHOD, GetTasksWithoutConfigsArgs.QUERY, key);
    List<JobStatus.Task> tasks = new ArrayList<>();
    for (TJsonReply.Struct task : scheduledTasks(response)) {
      Optional<TJsonReply.Struct> assigned = task.struct(ScheduledTask.ASSIGNED_TASK);
      tasks.add(
          new JobStatus.Task(
              instance(assigned),
              assigned.flatMap(a -> a.str(AssignedTask.TASK_ID)),
              status(task),
              assigned.flatMap(a -> a.str(AssignedTask.SLAVE_HOST)).filter(h -> !h.isEmpty())));
    }
    tasks.sort(Comparator.comparingInt(JobStatus.Task::instance));
    return new JobStatus(key, tasks, response.node().toString());
  }

  /**
   * The job's tasks with their configurations (getTasksStatus), by instance: only what tells one
   * configuration from another is kept.
   */
  List<ConfiguredTask> tasksWithConfigs(JobKey key) throws SubmitException {
    List<ConfiguredTask> tasks = new ArrayList<>();
    for (TJsonReply.Struct task :
        scheduledTasks(taskQuery(GetTasksStatusArgs.METHOD, GetTasksStatusArgs.QUERY, key))) {
      Optional<TJsonReply.Struct> assigned = task.struct(ScheduledTask.ASSIGNED_TASK);
      tasks.add(
          new ConfiguredTask(
              instance(assigned),
              status(task),
              assigned
                  .flatMap(a -> a.struct(AssignedTask.TASK))
                  .flatMap(t -> t.struct(TaskConfig.EXECUTOR_CONFIG))
                  .flatMap(e -> e.str(ExecutorConfig.DATA))));
    }
    tasks.sort(Comparator.comparingInt(ConfiguredTask::instance));
    return tasks;
  }

  /**
   * getTasksWithoutConfigs or getTasksStatus for every task of the job; the response, checked.
   *
   * @param queryField the call's TaskQuery argument
   */
  private TJsonReply.Struct taskQuery(String method, short queryField, JobKey key)
      throws SubmitException {
    TJson.Struct query =
        new TJson.Struct()
            .set(TaskQuery.JOB_KEYS, TJson.set("rec", List.of(JobConverter.jobKey(key))));
    TJsonReply.Struct response = readOnly(method, new TJson.Struct().set(queryField, query));
    Responses.check(method, response, key);
    return response;
  }

  private static List<TJsonReply.Struct> scheduledTasks(TJsonReply.Struct response) {
    return Responses.result(response, Result.SCHEDULE_STATUS_RESULT)
        .map(r -> r.structs(ScheduleStatusResult.TASKS))
        .orElse(List.of());
  }

  private static int instance(Optional<TJsonReply.Struct> assigned) {
    return assigned.flatMap(a -> a.integer(AssignedTask.INSTANCE_ID)).orElse(0L).intValue();
  }

  private static String status(TJsonReply.Struct task) {
    long status = task.integer(ScheduledTask.STATUS).orElse(-1L);
    return AuroraApi.ThriftEnum.of(ScheduleStatus.class, status)
        .map(Enum::name)
        .orElse("UNKNOWN(" + status + ")");
  }

  /** The role's job summary (getJobSummary), as the scheduler wrote it. */
  String jobSummary(JobKey key) throws SubmitException {
    TJsonReply.Struct summary =
        readOnly(
            GetJobSummaryArgs.METHOD,
            new TJson.Struct().set(GetJobSummaryArgs.ROLE, TJson.str(key.role())));
    Responses.check(GetJobSummaryArgs.METHOD, summary, key);
    return summary.node().toString();
  }

  /**
   * startJobUpdate: repeated after a transport error, since the scheduler refuses a second update
   * of the same job while the first is in progress.
   *
   * @param request the JobUpdateRequest
   */
  StartedUpdate startJobUpdate(JobKey key, TJson.Struct request) throws SubmitException {
    TJsonReply.Struct response =
        readOnly(
            StartJobUpdateArgs.METHOD, new TJson.Struct().set(StartJobUpdateArgs.REQUEST, request));
    Optional<TJsonReply.Struct> updateKey =
        Responses.result(response, Result.START_JOB_UPDATE_RESULT)
            .flatMap(r -> r.struct(StartJobUpdateResult.KEY));
    Optional<String> running = updateKey.flatMap(k -> k.str(JobUpdateKey.ID));
    if (Responses.is(response, ResponseCode.INVALID_REQUEST) && running.isPresent()) {
      // The scheduler names the update already in progress: not a configuration problem.
      throw new SubmitException.CommandFailed(
          StartJobUpdateArgs.METHOD
              + " for "
              + key
              + " failed: "
              + Responses.details(response)
              + " (update "
              + running.get()
              + " is in progress)");
    }
    Responses.check(StartJobUpdateArgs.METHOD, response, key);
    return new StartedUpdate(
        updateKey.map(k -> k.str(JobUpdateKey.ID).orElse("")), Responses.details(response));
  }

  /** The update's status (getJobUpdateSummaries), if the scheduler lists it. */
  Optional<String> updateStatus(JobKey key, String updateId) throws SubmitException {
    TJson.Struct query =
        new TJson.Struct()
            .set(
                JobUpdateQuery.KEY,
                new TJson.Struct()
                    .set(JobUpdateKey.JOB, JobConverter.jobKey(key))
                    .set(JobUpdateKey.ID, TJson.str(updateId)));
    TJsonReply.Struct summaries =
        readOnly(
            GetJobUpdateSummariesArgs.METHOD,
            new TJson.Struct().set(GetJobUpdateSummariesArgs.JOB_UPDATE_QUERY, query));
    Responses.check(GetJobUpdateSummariesArgs.METHOD, summaries, key);
    return Responses.result(summaries, Result.GET_JOB_UPDATE_SUMMARIES_RESULT).stream()
        .flatMap(r -> r.structs(GetJobUpdateSummariesResult.UPDATE_SUMMARIES).stream())
        .findFirst()
        .flatMap(s -> s.struct(JobUpdateSummary.STATE))
        .flatMap(s -> s.integer(JobUpdateState.STATUS))
        .map(
            s ->
                AuroraApi.ThriftEnum.of(JobUpdateStatus.class, s)
                    .map(Enum::name)
                    .orElse("UNKNOWN(" + s + ")"));
  }

  /**
   * What an update to {@code request} would change (getJobUpdateDiff).
   *
   * @param request the JobUpdateRequest
   */
  JobDiff updateDiff(JobKey key, TJson.Struct request) throws SubmitException {
    TJsonReply.Struct result =
        readResult(
            GetJobUpdateDiffArgs.METHOD,
            new TJson.Struct().set(GetJobUpdateDiffArgs.REQUEST, request),
            key,
            Result.GET_JOB_UPDATE_DIFF_RESULT,
            "the answer has no diff");
    // No detail text: the instance lists are the whole answer, and the CLI prints them once.
    return new JobDiff(
        instances(result, GetJobUpdateDiffResult.ADD),
        instances(result, GetJobUpdateDiffResult.REMOVE),
        instances(result, GetJobUpdateDiffResult.UPDATE),
        instances(result, GetJobUpdateDiffResult.UNCHANGED),
        "");
  }

  /**
   * A read-only call's result: the response checked, then its {@code field} of Result.
   *
   * @param missing what is said when the answer has no such result
   */
  TJsonReply.Struct readResult(
      String method, TJson.Struct args, JobKey key, short field, String missing)
      throws SubmitException {
    TJsonReply.Struct response = readOnly(method, args);
    Responses.check(method, response, key);
    return Responses.result(response, field)
        .orElseThrow(() -> new SubmitException.ApiError(method + ": " + missing));
  }

  /** A read-only call (retried after transport errors); the response, not yet checked. */
  TJsonReply.Struct readOnly(String method, TJson.Struct args) throws SubmitException {
    try {
      return client.call(method, args, true);
    } catch (SchedulerClient.OutcomeUnknown e) {
      throw new IllegalStateException("retried calls never report an unknown outcome", e);
    }
  }

  /**
   * The instances of one group of a diff. Ranges are expanded, so a hostile or broken answer with a
   * huge range is refused rather than expanded until the heap is full.
   */
  private static List<Integer> instances(TJsonReply.Struct diff, short field)
      throws SubmitException {
    List<Integer> out = new ArrayList<>();
    for (TJsonReply.Struct group : diff.structs(field)) {
      for (TJsonReply.Struct range : group.structs(ConfigGroup.INSTANCES)) {
        long first = range.integer(Range.FIRST).orElse(0L);
        long last = range.integer(Range.LAST).orElse(-1L);
        if (first < 0
            || last >= Integer.MAX_VALUE
            || last - first >= MAX_DIFF_INSTANCES
            || out.size() + Math.max(0, last - first + 1) > MAX_DIFF_INSTANCES) {
          throw new SubmitException.ApiError(
              GetJobUpdateDiffArgs.METHOD
                  + ": the scheduler's answer names the instance range "
                  + first
                  + "-"
                  + last
                  + "; more than "
                  + MAX_DIFF_INSTANCES
                  + " instances, or negative ones, are not a real job");
        }
        for (long i = first; i <= last; i++) {
          out.add((int) i);
        }
      }
    }
    out.sort(null);
    return out;
  }
}
