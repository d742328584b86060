package io.nixaurora.submit.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.submit.http.AuroraApi.AssignedTask;
import io.nixaurora.submit.http.AuroraApi.ExecutorConfig;
import io.nixaurora.submit.http.AuroraApi.GetJobUpdateSummariesResult;
import io.nixaurora.submit.http.AuroraApi.GetTierConfigResult;
import io.nixaurora.submit.http.AuroraApi.JobUpdateKey;
import io.nixaurora.submit.http.AuroraApi.JobUpdateState;
import io.nixaurora.submit.http.AuroraApi.JobUpdateSummary;
import io.nixaurora.submit.http.AuroraApi.Response;
import io.nixaurora.submit.http.AuroraApi.ResponseCode;
import io.nixaurora.submit.http.AuroraApi.ResponseDetail;
import io.nixaurora.submit.http.AuroraApi.Result;
import io.nixaurora.submit.http.AuroraApi.ScheduleStatus;
import io.nixaurora.submit.http.AuroraApi.ScheduleStatusResult;
import io.nixaurora.submit.http.AuroraApi.ScheduledTask;
import io.nixaurora.submit.http.AuroraApi.ServerInfo;
import io.nixaurora.submit.http.AuroraApi.StartJobUpdateResult;
import io.nixaurora.submit.http.AuroraApi.TaskConfig;
import io.nixaurora.submit.http.AuroraApi.TierConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A WireMock scheduler answering the Thrift API in TJSON, as Aurora's /api does. */
final class FakeScheduler implements AutoCloseable {
  static final String TJSON = "application/vnd.apache.thrift.json";
  static final int INVALID_REQUEST = ResponseCode.INVALID_REQUEST.value();
  static final int OK = ResponseCode.OK.value();
  static final int ERROR = ResponseCode.ERROR.value();
  static final int AUTH_FAILED = ResponseCode.AUTH_FAILED.value();
  static final int ERROR_TRANSIENT = ResponseCode.ERROR_TRANSIENT.value();

  final WireMockServer server;

  FakeScheduler() {
    this(false);
  }

  /** With {@code tls}, also serves HTTPS with WireMock's own self-signed certificate. */
  FakeScheduler(boolean tls) {
    var options = options().dynamicPort().bindAddress("127.0.0.1");
    server = new WireMockServer(tls ? options.dynamicHttpsPort() : options);
    server.start();
  }

  String uri() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  /** A stub for {@code method} on /api. */
  static MappingBuilder call(String method) {
    return post(urlEqualTo("/api")).withRequestBody(containing("[1,\"" + method + "\",1,"));
  }

  void stub(MappingBuilder mapping) {
    server.stubFor(mapping);
  }

  /** Answers {@code method} with {@code code}, details and an optional result union field. */
  void answer(String method, int code, List<String> details, int resultField, TJson.Struct result) {
    server.stubFor(call(method).willReturn(reply(method, code, details, resultField, result)));
  }

  void answer(String method, int code, String... details) {
    answer(method, code, List.of(details), 0, null);
  }

  static ResponseDefinitionBuilder reply(
      String method, int code, List<String> details, int resultField, TJson.Struct result) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", TJSON)
        .withBody(replyBody(method, code, details, resultField, result));
  }

  static String replyBody(
      String method, int code, List<String> details, int resultField, TJson.Struct result) {
    List<TJson.Value> detailStructs = new ArrayList<>();
    for (String d : details) {
      detailStructs.add(new TJson.Struct().set(ResponseDetail.MESSAGE, TJson.str(d)));
    }
    TJson.Struct response =
        new TJson.Struct()
            .set(Response.RESPONSE_CODE, TJson.i32(code))
            .set(
                Response.SERVER_INFO,
                new TJson.Struct()
                    .set(ServerInfo.CLUSTER_NAME, TJson.str("devcluster"))
                    .set(ServerInfo.STATS_URL_PREFIX, TJson.str("")))
            .set(Response.DETAILS, TJson.list("rec", detailStructs));
    if (result != null) {
      response.set(Response.RESULT, new TJson.Struct().set(resultField, result));
    }
    StringBuilder out = new StringBuilder("[1,");
    TJson.string(method, out);
    out.append(",2,0,{\"0\":{\"rec\":");
    response.write(out);
    out.append("}}]");
    return out.toString();
  }

  /** The stock tiers: preferred, preemptible (default), revocable. */
  void tiers() {
    answer("getTierConfigs", OK, List.of(), Result.GET_TIER_CONFIG_RESULT, tierResult());
  }

  static TJson.Struct tierResult() {
    return new TJson.Struct()
        .set(GetTierConfigResult.DEFAULT_TIER_NAME, TJson.str("preemptible"))
        .set(
            GetTierConfigResult.TIERS,
            TJson.set(
                "rec",
                List.of(
                    tier("preferred", false, false),
                    tier("preemptible", true, false),
                    tier("revocable", true, true))));
  }

  private static TJson.Struct tier(String name, boolean preemptible, boolean revocable) {
    return new TJson.Struct()
        .set(TierConfig.NAME, TJson.str(name))
        .set(
            TierConfig.SETTINGS,
            TJson.stringMap(
                Map.of(
                    "preemptible",
                    Boolean.toString(preemptible),
                    "revocable",
                    Boolean.toString(revocable))));
  }

  /** getJobSummary answers with an empty summary. */
  void jobSummary() {
    answer("getJobSummary", OK, List.of(), Result.JOB_SUMMARY_RESULT, new TJson.Struct());
  }

  /** getTasksWithoutConfigs lists {@code tasks}. */
  void tasks(List<JobStatus.Task> tasks) {
    answer(
        "getTasksWithoutConfigs", OK, List.of(), Result.SCHEDULE_STATUS_RESULT, tasksResult(tasks));
  }

  /**
   * getTasksStatus lists {@code tasks}, each with a TaskConfig whose executorConfig.data is {@code
   * executorData}.
   */
  void tasksWithConfigs(List<JobStatus.Task> tasks, String executorData) {
    TJson.Struct taskConfig =
        new TJson.Struct()
            .set(
                TaskConfig.EXECUTOR_CONFIG,
                new TJson.Struct()
                    .set(ExecutorConfig.NAME, TJson.str(AuroraApi.AURORA_EXECUTOR_NAME))
                    .set(ExecutorConfig.DATA, TJson.str(executorData)));
    answer(
        "getTasksStatus",
        OK,
        List.of(),
        Result.SCHEDULE_STATUS_RESULT,
        tasksResult(tasks, Optional.of(taskConfig)));
  }

  static TJson.Struct tasksResult(List<JobStatus.Task> tasks) {
    return tasksResult(tasks, Optional.empty());
  }

  static TJson.Struct tasksResult(List<JobStatus.Task> tasks, Optional<TJson.Struct> taskConfig) {
    List<TJson.Value> scheduled = new ArrayList<>();
    for (JobStatus.Task t : tasks) {
      TJson.Struct assigned =
          new TJson.Struct()
              .set(AssignedTask.TASK_ID, TJson.str(t.taskId().orElse("")))
              .set(AssignedTask.INSTANCE_ID, TJson.i32(t.instance()));
      taskConfig.ifPresent(c -> assigned.set(AssignedTask.TASK, c));
      t.host().ifPresent(h -> assigned.set(AssignedTask.SLAVE_HOST, TJson.str(h)));
      scheduled.add(
          new TJson.Struct()
              .set(ScheduledTask.ASSIGNED_TASK, assigned)
              .set(ScheduledTask.STATUS, TJson.i32(statusCode(t.status()))));
    }
    return new TJson.Struct().set(ScheduleStatusResult.TASKS, TJson.list("rec", scheduled));
  }

  static int statusCode(String status) {
    return ScheduleStatus.valueOf(status).value();
  }

  static TJson.Struct updateKey(JobKey key, String id) {
    return new TJson.Struct()
        .set(JobUpdateKey.JOB, JobConverter.jobKey(key))
        .set(JobUpdateKey.ID, TJson.str(id));
  }

  /** startJobUpdate answers with update {@code id}; getJobUpdateSummaries with status code. */
  void updates(JobKey key, String id, int statusCode) {
    answer(
        "startJobUpdate",
        OK,
        List.of(),
        Result.START_JOB_UPDATE_RESULT,
        new TJson.Struct().set(StartJobUpdateResult.KEY, updateKey(key, id)));
    TJson.Struct summary =
        new TJson.Struct()
            .set(JobUpdateSummary.KEY, updateKey(key, id))
            .set(JobUpdateSummary.USER, TJson.str("vagrant"))
            .set(
                JobUpdateSummary.STATE,
                new TJson.Struct()
                    .set(JobUpdateState.STATUS, TJson.i32(statusCode))
                    .set(JobUpdateState.CREATED_TIMESTAMP_MS, TJson.i64(1))
                    .set(JobUpdateState.LAST_MODIFIED_TIMESTAMP_MS, TJson.i64(2)));
    answer(
        "getJobUpdateSummaries",
        OK,
        List.of(),
        Result.GET_JOB_UPDATE_SUMMARIES_RESULT,
        new TJson.Struct()
            .set(
                GetJobUpdateSummariesResult.UPDATE_SUMMARIES, TJson.list("rec", List.of(summary))));
  }

  /** A Range of instances, {@code first} to {@code last}. */
  static TJson.Struct range(int first, int last) {
    return new TJson.Struct()
        .set(AuroraApi.Range.FIRST, TJson.i32(first))
        .set(AuroraApi.Range.LAST, TJson.i32(last));
  }

  /** A ConfigGroup of a diff: an empty TaskConfig for the instances {@code ranges}. */
  static TJson.Struct configGroup(List<TJson.Struct> ranges) {
    return new TJson.Struct()
        .set(AuroraApi.ConfigGroup.CONFIG, new TJson.Struct())
        .set(AuroraApi.ConfigGroup.INSTANCES, TJson.set("rec", ranges));
  }

  /** Bodies of the requests for {@code method}, in order. */
  List<String> bodies(String method) {
    return requests(method).stream()
        .map(r -> new String(r.getBody(), StandardCharsets.UTF_8))
        .toList();
  }

  List<LoggedRequest> requests(String method) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/api"))
            .withRequestBody(containing("[1,\"" + method + "\",1,")));
  }

  /** The bodies of every request, oldest first. */
  List<String> allBodies() {
    List<String> bodies = new ArrayList<>();
    for (var event : server.getAllServeEvents()) {
      bodies.add(0, event.getRequest().getBodyAsString());
    }
    return bodies;
  }

  /** The method names of every request, in order. */
  List<String> methods() {
    List<String> methods = new ArrayList<>();
    for (var event : server.getAllServeEvents()) {
      String b = event.getRequest().getBodyAsString();
      methods.add(0, b.startsWith("[1,\"") ? b.substring(4, b.indexOf('"', 4)) : b);
    }
    return methods;
  }

  @Override
  public void close() {
    server.stop();
  }
}
