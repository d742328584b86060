package io.nixaurora.submit.http;

import io.nixaurora.api.SubmitException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * POSTs TJSON calls to {@code <scheduler>/api} (aurora-spec §5): the exact Content-Type the
 * scheduler accepts, 307 leader redirects followed with the same body and headers, 503 (no leader)
 * and {@code ERROR_TRANSIENT} retried with backoff within the retry budget, transport errors
 * retried only for calls that are safe to repeat, 401/403 as authentication errors.
 */
final class SchedulerClient {
  /** The scheduler takes this type without parameters; one with a charset gets HTTP 415. */
  static final String CONTENT_TYPE = "application/vnd.apache.thrift.json";

  private static final int MAX_REDIRECTS = 5;
  private static final int ERROR_TRANSIENT = 6;
  private static final Duration FIRST_DELAY = Duration.ofMillis(250);
  private static final Duration MAX_DELAY = Duration.ofSeconds(5);

  /** A call not repeated after a transport error: whether the scheduler acted is unknown. */
  static final class OutcomeUnknown extends Exception {
    private static final long serialVersionUID = 1L;

    OutcomeUnknown(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final URI base;
  private final HttpClient http;
  private final Function<String, Optional<Netrc.Credentials>> credentials;
  private final Duration requestTimeout;
  private final Duration retryBudget;
  private final EventListener events;

  SchedulerClient(
      URI base,
      HttpClient http,
      Function<String, Optional<Netrc.Credentials>> credentials,
      Duration requestTimeout,
      Duration retryBudget,
      EventListener events) {
    this.base = base;
    this.http = http;
    this.credentials = credentials;
    this.requestTimeout = requestTimeout;
    this.retryBudget = retryBudget;
    this.events = events;
  }

  URI base() {
    return base;
  }

  /**
   * Calls {@code method} and returns the {@code Response} struct (any response code other than
   * ERROR_TRANSIENT).
   *
   * @param retryTransportErrors whether the call may be repeated after a transport error (read-only
   *     calls and startJobUpdate); otherwise {@link OutcomeUnknown} is thrown
   */
  TJsonReply.Struct call(String method, TJson.Struct args, boolean retryTransportErrors)
      throws SubmitException, OutcomeUnknown {
    byte[] body = TJson.call(method, 0, args);
    long deadline = System.nanoTime() + retryBudget.toNanos();
    Duration delay = FIRST_DELAY;
    String lastProblem;
    while (true) {
      HttpResponse<byte[]> response;
      try {
        response = post(base.resolve("api"), body);
      } catch (IOException e) {
        String problem = describe(e);
        if (isTlsFailure(e)) {
          // A certificate that does not verify will not verify on the next try either.
          throw new SubmitException.Network(
              method + ": TLS with the scheduler at " + base + " failed: " + problem, e);
        }
        if (!retryTransportErrors && !neverSent(e)) {
          throw new OutcomeUnknown(method + ": " + problem, e);
        }
        lastProblem = problem;
        delay = pause(deadline, delay, method, lastProblem);
        continue;
      }
      int status = response.statusCode();
      String uri = response.uri().toString();
      if (status == 401 || status == 403) {
        throw new SubmitException.Authentication(
            method
                + ": the scheduler at "
                + uri
                + " answered HTTP "
                + status
                + " ("
                + (status == 401 ? "not authenticated" : "forbidden")
                + "); check the credentials in ~/.netrc or the username/password settings"
                + snippet(response.body()));
      }
      if (status == 503) {
        lastProblem = "HTTP 503 from " + uri + " (no leading scheduler)";
        delay = pause(deadline, delay, method, lastProblem);
        continue;
      }
      if (status != 200) {
        throw new SubmitException.Network(
            method
                + ": the scheduler at "
                + uri
                + " answered HTTP "
                + status
                + snippet(response.body()));
      }
      TJsonReply.Struct reply;
      try {
        reply = TJsonReply.response(response.body(), method);
      } catch (TJsonReply.MalformedReply e) {
        throw new SubmitException.ApiError(method + ": " + e.getMessage());
      }
      if (reply.integer(1).orElse(-1L) == ERROR_TRANSIENT) {
        lastProblem = "ERROR_TRANSIENT: " + HttpSubmitter.details(reply);
        delay = pause(deadline, delay, method, lastProblem);
        continue;
      }
      return reply;
    }
  }

  /** Waits before the next try, or gives up when the budget would be exceeded. */
  private Duration pause(long deadline, Duration delay, String method, String problem)
      throws SubmitException {
    long now = System.nanoTime();
    if (now + delay.toNanos() > deadline) {
      throw new SubmitException.Timeout(
          method
              + ": gave up after the retry budget of "
              + retryBudget.toSeconds()
              + " s; last problem: "
              + problem);
    }
    events.on(
        LogEvent.debug(method + ": " + problem + "; retrying in " + delay.toMillis() + " ms"));
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmitException.Network(method + ": interrupted while waiting to retry", e);
    }
    Duration next = delay.multipliedBy(2);
    return next.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : next;
  }

  private HttpResponse<byte[]> post(URI target, byte[] body) throws IOException {
    URI uri = target;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(requestTimeout)
              .header("Content-Type", CONTENT_TYPE)
              .header("Accept", CONTENT_TYPE)
              .header("User-Agent", "nix-aurora")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      credentials
          .apply(uri.getHost())
          .ifPresent(
              c ->
                  request.header(
                      "Authorization",
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(
                                  (c.login() + ":" + c.password())
                                      .getBytes(StandardCharsets.UTF_8))));
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if ((response.statusCode() == 307 || response.statusCode() == 308) && hop < MAX_REDIRECTS) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isPresent()) {
          URI next = uri.resolve(location.get());
          events.on(LogEvent.debug("scheduler " + uri + " redirects to the leader at " + next));
          uri = next;
          continue;
        }
      }
      return response;
    }
  }

  /** The request cannot have reached the scheduler: it is safe to send it again. */
  private static boolean neverSent(IOException e) {
    return e instanceof java.net.ConnectException
        || e instanceof java.net.http.HttpConnectTimeoutException;
  }

  private static boolean isTlsFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(IOException e) {
    String kind =
        e instanceof java.net.http.HttpConnectTimeoutException
            ? "cannot connect within the connect timeout"
            : e instanceof java.net.http.HttpTimeoutException
                ? "no answer within the request timeout"
                : e instanceof java.net.ConnectException ? "cannot connect" : "transport error";
    return kind + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
  }

  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
  }
}
