package io.nixaurora.submit.http;

import io.nixaurora.api.SubmitException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.support.BoundedHttp;
import io.nixaurora.support.HostCredentials;
import io.nixaurora.support.Netrc;
import io.nixaurora.support.RedirectPolicy;
import io.nixaurora.support.RetryPolicy;
import io.nixaurora.support.SafeText;
import io.nixaurora.support.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * POSTs TJSON calls to {@code <scheduler>/api} (docs/aurora-spec.md §5): the exact Content-Type the
 * scheduler accepts, 307/308 redirects followed with the same body and headers under {@link
 * RedirectPolicy} (same scheme, host and port only: a leader elsewhere is refused with both URLs
 * named), 503 (no leader) and {@code ERROR_TRANSIENT} retried with backoff within the retry budget,
 * transport errors retried only for calls that are safe to repeat (a refused connection only
 * briefly), 401/403 as authentication errors. Every answer is read whole within the request timeout
 * and at most {@link #MAX_ANSWER} bytes; credentials go only to the scheduler's own host.
 */
final class SchedulerClient {
  /** The scheduler takes this type without parameters; one with a charset gets HTTP 415. */
  static final String CONTENT_TYPE = "application/vnd.apache.thrift.json";

  /** The largest answer read (the task list of a job of 10,000 instances is ~20 MB). */
  static final long MAX_ANSWER = 64L << 20;

  /** Tries when the connection is refused: a dead scheduler fails in seconds, not the budget. */
  private static final int CONNECT_ATTEMPTS = 3;

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
  private final long maxAnswer;
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
    this(base, http, credentials, requestTimeout, retryBudget, events, MAX_ANSWER);
  }

  /**
   * @param credentials the credentials for a host, asked only for the scheduler's own host
   * @param maxAnswer the largest answer read
   */
  SchedulerClient(
      URI base,
      HttpClient http,
      Function<String, Optional<Netrc.Credentials>> credentials,
      Duration requestTimeout,
      Duration retryBudget,
      EventListener events,
      long maxAnswer) {
    this.maxAnswer = maxAnswer;
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
    RetryPolicy.Retries retries =
        RetryPolicy.within(retryBudget).backoff(FIRST_DELAY, MAX_DELAY).start();
    String lastProblem;
    int refused = 0;
    while (true) {
      HttpResponse<byte[]> response;
      try {
        response = post(base.resolve("api"), body);
      } catch (RedirectPolicy.RefusedRedirect e) {
        throw new SubmitException.Network(
            method
                + ": "
                + e.getMessage()
                + "; set scheduler_uri to the leading scheduler itself, or let clusters.json find"
                + " it through ZooKeeper (zk)");
      } catch (BoundedHttp.BodyTooLarge e) {
        throw new SubmitException.ApiError(
            method + ": the scheduler at " + shownBase() + " sent " + e.getMessage());
      } catch (IOException e) {
        String problem = describe(e);
        if (isTlsFailure(e)) {
          // A certificate that does not verify will not verify on the next try either.
          throw new SubmitException.Network(
              method + ": TLS with the scheduler at " + shownBase() + " failed: " + problem, e);
        }
        if (!retryTransportErrors && !neverSent(e)) {
          throw new OutcomeUnknown(method + ": " + problem, e);
        }
        if (e instanceof java.net.ConnectException
            && !(e instanceof java.net.http.HttpConnectTimeoutException)) {
          // Nothing listens there: a scheduler restarting comes back in seconds, a wrong address
          // never does. Retry briefly and say so, rather than for the whole retry budget.
          Optional<Duration> pause =
              ++refused >= CONNECT_ATTEMPTS ? Optional.empty() : retries.next();
          if (pause.isEmpty()) {
            throw new SubmitException.Network(
                method
                    + ": cannot connect to the scheduler at "
                    + shownBase()
                    + ": connection refused (tried "
                    + refused
                    + (refused == 1 ? " time" : " times")
                    + " in "
                    + retries.elapsed().toMillis() / 100 / 10.0
                    + " s)",
                e);
          }
          events.on(
              LogEvent.warn(
                  method
                      + ": cannot connect to the scheduler at "
                      + shownBase()
                      + " (connection refused); retrying in "
                      + pause.get().toMillis()
                      + " ms"));
          sleep(pause.get(), method);
          continue;
        }
        lastProblem = problem;
        pause(retries, method, lastProblem);
        continue;
      }
      int status = response.statusCode();
      String uri = Urls.shown(response.uri());
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
        pause(retries, method, lastProblem);
        continue;
      }
      if (status != 200) {
        throw new SubmitException.Network(
            method
                + ": the scheduler at "
                + uri
                + " answered HTTP "
                + status
                + response
                    .headers()
                    .firstValue("Location")
                    .filter(l -> RedirectPolicy.isRedirect(status))
                    .map(l -> " (a redirect to " + Urls.shown(SafeText.cut(l, 200)) + ")")
                    .orElse("")
                + snippet(response.body()));
      }
      TJsonReply.Struct reply;
      try {
        reply = TJsonReply.response(response.body(), method);
      } catch (TJsonReply.MalformedReply e) {
        throw new SubmitException.ApiError(method + ": " + e.getMessage());
      }
      if (Responses.is(reply, AuroraApi.ResponseCode.ERROR_TRANSIENT)) {
        lastProblem = "ERROR_TRANSIENT: " + Responses.details(reply);
        pause(retries, method, lastProblem);
        continue;
      }
      return reply;
    }
  }

  /** Waits before the next try, or gives up when the budget would be exceeded. */
  private void pause(RetryPolicy.Retries retries, String method, String problem)
      throws SubmitException {
    Optional<Duration> delay = retries.next();
    if (delay.isEmpty()) {
      throw new SubmitException.Timeout(
          method
              + ": gave up after the retry budget of "
              + retryBudget.toSeconds()
              + " s; last problem: "
              + problem);
    }
    // A warning, not debug: retries can last the whole budget, and silence looks like a hang.
    events.on(
        LogEvent.warn(method + ": " + problem + "; retrying in " + delay.get().toMillis() + " ms"));
    sleep(delay.get(), method);
  }

  private static void sleep(Duration delay, String method) throws SubmitException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubmitException.Network(method + ": interrupted while waiting to retry", e);
    }
  }

  /** The scheduler's URL as it may be shown (no password). */
  private String shownBase() {
    return Urls.shown(base);
  }

  private HttpResponse<byte[]> post(URI target, byte[] body)
      throws IOException, RedirectPolicy.RefusedRedirect {
    URI uri = target;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(requestTimeout)
              .header("Content-Type", CONTENT_TYPE)
              .header("Accept", CONTENT_TYPE)
              .header("User-Agent", "nix-aurora")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      // Configured or netrc credentials belong to the scheduler's origin, never to another one.
      URI to = uri;
      credentials
          .apply(base.getHost())
          .flatMap(c -> HostCredentials.forOrigin(base, c).authorizationFor(to))
          .ifPresent(a -> request.header("Authorization", a));
      HttpResponse<byte[]> response;
      try {
        // The request timeout covers the whole answer, not only its headers.
        response = BoundedHttp.send(http, request.build(), maxAnswer, requestTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (response.statusCode() == 307 || response.statusCode() == 308) {
        URI next = RedirectPolicy.follow(uri, response.headers().firstValue("Location"), hop);
        events.on(
            LogEvent.debug("scheduler " + Urls.shown(uri) + " redirects to " + Urls.shown(next)));
        uri = next;
        continue;
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

  private String describe(IOException e) {
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "cannot connect within the connect timeout";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no complete answer within the request timeout of "
          + requestTimeout.toMillis() / 1000.0
          + " s";
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect (connection refused)";
    }
    return "transport error" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
  }

  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    // The error page's own words (a scheduler's 500 page names its exception): kept whole up to
    // a screenful, escaped when printed.
    String text =
        new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8)
            .replaceAll("<[^>]{0,200}>", " ")
            .strip()
            .replaceAll("\\s+", " ");
    return text.isEmpty() ? "" : ": " + SafeText.cut(text, 600);
  }
}
