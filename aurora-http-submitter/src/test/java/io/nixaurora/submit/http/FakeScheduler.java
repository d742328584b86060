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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A WireMock scheduler answering the Thrift API in TJSON, as Aurora's /api does. */
final class FakeScheduler implements AutoCloseable {
  static final String TJSON = "application/vnd.apache.thrift.json";
  static final int INVALID_REQUEST = 0;
  static final int OK = 1;
  static final int ERROR = 2;
  static final int AUTH_FAILED = 4;
  static final int ERROR_TRANSIENT = 6;

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
      detailStructs.add(new TJson.Struct().set(1, TJson.str(d)));
    }
    TJson.Struct response =
        new TJson.Struct()
            .set(1, TJson.i32(code))
            .set(5, new TJson.Struct().set(1, TJson.str("devcluster")).set(3, TJson.str("")))
            .set(6, TJson.list("rec", detailStructs));
    if (result != null) {
      response.set(3, new TJson.Struct().set(resultField, result));
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
    answer("getTierConfigs", OK, List.of(), 27, tierResult());
  }

  static TJson.Struct tierResult() {
    return new TJson.Struct()
        .set(1, TJson.str("preemptible"))
        .set(
            2,
            TJson.set(
                "rec",
                List.of(
                    tier("preferred", false, false),
                    tier("preemptible", true, false),
                    tier("revocable", true, true))));
  }

  private static TJson.Struct tier(String name, boolean preemptible, boolean revocable) {
    return new TJson.Struct()
        .set(1, TJson.str(name))
        .set(
            2,
            TJson.stringMap(
                Map.of(
                    "preemptible",
                    Boolean.toString(preemptible),
                    "revocable",
                    Boolean.toString(revocable))));
  }

  /** getTasksWithoutConfigs lists {@code tasks}. */
  void tasks(List<JobStatus.Task> tasks) {
    answer("getTasksWithoutConfigs", OK, List.of(), 3, tasksResult(tasks));
  }

  static TJson.Struct tasksResult(List<JobStatus.Task> tasks) {
    List<TJson.Value> scheduled = new ArrayList<>();
    for (JobStatus.Task t : tasks) {
      TJson.Struct assigned =
          new TJson.Struct()
              .set(1, TJson.str(t.taskId().orElse("")))
              .set(6, TJson.i32(t.instance()));
      t.host().ifPresent(h -> assigned.set(3, TJson.str(h)));
      scheduled.add(new TJson.Struct().set(1, assigned).set(2, TJson.i32(statusCode(t.status()))));
    }
    return new TJson.Struct().set(1, TJson.list("rec", scheduled));
  }

  static int statusCode(String status) {
    return switch (status) {
      case "PENDING" -> 0;
      case "STARTING" -> 1;
      case "RUNNING" -> 2;
      case "FINISHED" -> 3;
      case "FAILED" -> 4;
      case "KILLED" -> 5;
      case "KILLING" -> 6;
      default -> throw new IllegalArgumentException(status);
    };
  }

  static TJson.Struct updateKey(JobKey key, String id) {
    return new TJson.Struct().set(1, JobConverter.jobKey(key)).set(2, TJson.str(id));
  }

  /** startJobUpdate answers with update {@code id}; getJobUpdateSummaries with status code. */
  void updates(JobKey key, String id, int statusCode) {
    answer("startJobUpdate", OK, List.of(), 22, new TJson.Struct().set(1, updateKey(key, id)));
    TJson.Struct summary =
        new TJson.Struct()
            .set(5, updateKey(key, id))
            .set(3, TJson.str("vagrant"))
            .set(
                4,
                new TJson.Struct()
                    .set(1, TJson.i32(statusCode))
                    .set(2, TJson.i64(1))
                    .set(3, TJson.i64(2)));
    answer(
        "getJobUpdateSummaries",
        OK,
        List.of(),
        23,
        new TJson.Struct().set(1, TJson.list("rec", List.of(summary))));
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
