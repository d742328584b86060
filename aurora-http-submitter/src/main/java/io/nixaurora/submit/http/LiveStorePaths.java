package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.SubmitException;
import io.nixaurora.submit.http.AuroraApi.GetJobUpdateDetailsArgs;
import io.nixaurora.submit.http.AuroraApi.GetJobsArgs;
import io.nixaurora.submit.http.AuroraApi.GetTasksStatusArgs;
import io.nixaurora.submit.http.AuroraApi.JobUpdateQuery;
import io.nixaurora.submit.http.AuroraApi.Response;
import io.nixaurora.submit.http.AuroraApi.TaskQuery;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store paths a cluster's jobs still use, read with three read-only calls that need no
 * authentication: {@code getTasksStatus} for every active task of every job (with configurations,
 * unlike getTasksWithoutConfigs), {@code getJobs} with no role (every job's configuration, cron
 * templates included), and {@code getJobUpdateDetails} for every update in progress (its initial
 * and desired states). Every store path named anywhere in those configurations (process scripts in
 * executorConfig.data) is live. Any failure or non-OK answer fails the whole read.
 */
final class LiveStorePaths {
  private static final Pattern STORE_PATH =
      Pattern.compile("/nix/store/[0-9a-z]{32}-[A-Za-z0-9+._?=-]+");

  private LiveStorePaths() {}

  /** The live store paths of the cluster {@code calls} speaks to. */
  static Set<StorePath> read(SchedulerCalls calls) throws SubmitException {
    Set<StorePath> live = new TreeSet<>();
    TJson.Struct activeTasks =
        new TJson.Struct().set(TaskQuery.STATUSES, values(AuroraApi.ACTIVE_STATES));
    collect(
        calls,
        GetTasksStatusArgs.METHOD,
        new TJson.Struct().set(GetTasksStatusArgs.QUERY, activeTasks),
        live);
    collect(calls, GetJobsArgs.METHOD, new TJson.Struct(), live);
    TJson.Struct activeUpdates =
        new TJson.Struct()
            .set(JobUpdateQuery.UPDATE_STATUSES, values(AuroraApi.ACTIVE_JOB_UPDATE_STATES));
    collect(
        calls,
        GetJobUpdateDetailsArgs.METHOD,
        new TJson.Struct().set(GetJobUpdateDetailsArgs.QUERY, activeUpdates),
        live);
    return live;
  }

  /** A {@code set<enum>}, in value order so that the same query is always the same bytes. */
  private static TJson.Collection values(Set<? extends AuroraApi.ThriftEnum> constants) {
    return TJson.set(
        "i32",
        constants.stream()
            .map(AuroraApi.ThriftEnum::value)
            .sorted(Comparator.naturalOrder())
            .map(TJson::i32)
            .toList());
  }

  private static void collect(
      SchedulerCalls calls, String method, TJson.Struct args, Set<StorePath> into)
      throws SubmitException {
    TJsonReply.Struct response = calls.readOnly(method, args);
    if (!Responses.ok(response)) {
      String details = Responses.details(response);
      throw new SubmitException.CommandFailed(
          method
              + " failed (response code "
              + Responses.code(response)
              + "): "
              + (details.isEmpty() ? "(no details)" : details)
              + "; the live configurations cannot be read");
    }
    if (response.struct(Response.RESULT).isEmpty()) {
      throw new SubmitException.ApiError(method + ": the scheduler's answer has no result");
    }
    storePaths(response.node(), into);
  }

  /** Every store path in every string of {@code node}. */
  private static void storePaths(JsonNode node, Set<StorePath> into) {
    if (node.isTextual()) {
      Matcher m = STORE_PATH.matcher(node.asText());
      while (m.find()) {
        if (StorePath.isValid(m.group())) {
          into.add(StorePath.of(m.group()));
        }
      }
      return;
    }
    for (JsonNode child : node) {
      storePaths(child, into);
    }
  }
}
