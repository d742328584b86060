package io.nixaurora.submit.http;

import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.Submitter;
import io.nixaurora.tck.SubmitterContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shared Submitter contract, against a WireMock scheduler speaking TJSON. */
class HttpSubmitterContractTest extends SubmitterContract {
  private static final List<String> UPDATE_STATUSES =
      List.of(
          "ROLLING_FORWARD",
          "ROLLING_BACK",
          "ROLL_FORWARD_PAUSED",
          "ROLL_BACK_PAUSED",
          "ROLLED_FORWARD",
          "ROLLED_BACK",
          "ABORTED",
          "ERROR",
          "FAILED",
          "ROLL_FORWARD_AWAITING_PULSE",
          "ROLL_BACK_AWAITING_PULSE");

  /** What {@code reject} turns down: the writes, and the diff (the scheduler checks it too). */
  private static final List<String> REFUSED =
      List.of("createJob", "scheduleCronJob", "startJobUpdate", "killTasks", "getJobUpdateDiff");

  private static final Pattern JOB_KEY =
      Pattern.compile(
          "\\{\"1\":\\{\"str\":\"([^\"]+)\"\\},\"2\":\\{\"str\":\"([^\"]+)\"\\},\"3\":\\{\"str\":\"([^\"]+)\"\\}\\}");
  private static final Map<String, Operation> OPERATIONS =
      Map.of(
          "createJob", Operation.CREATE_JOB,
          "scheduleCronJob", Operation.SCHEDULE_CRON,
          "startJobUpdate", Operation.START_UPDATE,
          "getJobUpdateSummaries", Operation.UPDATE_STATUS,
          "killTasks", Operation.KILL_JOB,
          "getTasksWithoutConfigs", Operation.JOB_STATUS,
          "getJobUpdateDiff", Operation.UPDATE_DIFF);

  /** The fake cluster: a WireMock scheduler whose answers the contract sets. */
  static final class WireMockCluster implements FakeCluster {
    final FakeScheduler scheduler = new FakeScheduler();

    @Override
    public void accept(List<JobStatus.Task> tasks, String updateId, String updateStatus) {
      scheduler.server.resetMappings();
      scheduler.tiers();
      scheduler.answer("createJob", FakeScheduler.OK);
      scheduler.answer("scheduleCronJob", FakeScheduler.OK);
      scheduler.answer("killTasks", FakeScheduler.OK, "Tasks killed.");
      scheduler.jobSummary();
      scheduler.tasks(tasks);
      scheduler.updates(KEY, updateId, UPDATE_STATUSES.indexOf(updateStatus));
    }

    @Override
    public void reject(Failure failure, String clusterMessage) {
      scheduler.server.resetMappings();
      scheduler.tiers();
      scheduler.tasks(List.of());
      int code =
          switch (failure) {
            case INVALID_CONFIGURATION -> FakeScheduler.INVALID_REQUEST;
            case COMMAND_FAILED -> FakeScheduler.ERROR;
            case AUTHENTICATION -> FakeScheduler.AUTH_FAILED;
          };
      for (String method : REFUSED) {
        scheduler.answer(method, code, clusterMessage);
      }
    }

    @Override
    public void answerDiff(JobDiff diff) {
      // getJobUpdateDiff's result: added, removed, updated, unchanged, each a set of instance
      // groups whose ranges here hold one instance each.
      TJson.Struct result = new TJson.Struct();
      Map<Short, List<Integer>> groups =
          Map.of(
              AuroraApi.GetJobUpdateDiffResult.ADD, diff.added(),
              AuroraApi.GetJobUpdateDiffResult.REMOVE, diff.removed(),
              AuroraApi.GetJobUpdateDiffResult.UPDATE, diff.updated(),
              AuroraApi.GetJobUpdateDiffResult.UNCHANGED, diff.unchanged());
      groups.forEach(
          (field, instances) -> {
            List<TJson.Struct> ranges =
                instances.stream().map(i -> FakeScheduler.range(i, i)).toList();
            result.set(
                field,
                TJson.set(
                    "rec",
                    ranges.isEmpty() ? List.of() : List.of(FakeScheduler.configGroup(ranges))));
          });
      scheduler.answer(
          "getJobUpdateDiff",
          FakeScheduler.OK,
          List.of(),
          AuroraApi.Result.GET_JOB_UPDATE_DIFF_RESULT,
          result);
    }

    @Override
    public List<Call> calls() {
      List<Call> calls = new ArrayList<>();
      for (String body : scheduler.allBodies()) {
        String method = body.startsWith("[1,\"") ? body.substring(4, body.indexOf('"', 4)) : "";
        Operation operation = OPERATIONS.get(method);
        if (operation == null) {
          continue;
        }
        Matcher m = JOB_KEY.matcher(body);
        if (!m.find()) {
          throw new AssertionError("no job key in " + body);
        }
        calls.add(
            new Call(operation, new JobKey("devcluster", m.group(1), m.group(2), m.group(3))));
      }
      return calls;
    }

    @Override
    public void close() {
      scheduler.close();
    }
  }

  @Override
  protected FakeCluster startCluster() {
    return new WireMockCluster();
  }

  @Override
  protected Submitter newSubmitter(FakeCluster cluster) {
    return new HttpSubmitterFactory()
        .create(
            Map.of(
                "scheduler_uri", ((WireMockCluster) cluster).scheduler.uri(),
                "cluster", "devcluster",
                "owner", "vagrant",
                "retry_budget_seconds", "5"));
  }

  @Override
  protected String expectedName() {
    return "http";
  }

  @Override
  protected boolean expectsSchedulerDiff() {
    return true;
  }
}
