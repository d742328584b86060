package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How the executor asks a task to stop over HTTP before killing it. Unset (null) fields take
 * Aurora's defaults.
 *
 * @param port the named port (default {@code health})
 * @param gracefulShutdownEndpoint path asked first (default {@code /quitquitquit})
 * @param shutdownEndpoint path asked next (default {@code /abortabortabort})
 * @param gracefulShutdownWaitSecs wait after the first (default 5), >= 0
 * @param shutdownWaitSecs wait after the second (default 5), >= 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "port",
  "graceful_shutdown_endpoint",
  "shutdown_endpoint",
  "graceful_shutdown_wait_secs",
  "shutdown_wait_secs"
})
public record HttpLifecycleConfig(
    @JsonProperty("port") String port,
    @JsonProperty("graceful_shutdown_endpoint") String gracefulShutdownEndpoint,
    @JsonProperty("shutdown_endpoint") String shutdownEndpoint,
    @JsonProperty("graceful_shutdown_wait_secs") Integer gracefulShutdownWaitSecs,
    @JsonProperty("shutdown_wait_secs") Integer shutdownWaitSecs) {

  public HttpLifecycleConfig {
    Require.nonBlankIfSet(port, "http.port");
    Require.nonBlankIfSet(gracefulShutdownEndpoint, "http.graceful_shutdown_endpoint");
    Require.nonBlankIfSet(shutdownEndpoint, "http.shutdown_endpoint");
    Require.atLeast(gracefulShutdownWaitSecs, 0, "http.graceful_shutdown_wait_secs");
    Require.atLeast(shutdownWaitSecs, 0, "http.shutdown_wait_secs");
  }

  /** Aurora's defaults. */
  public static HttpLifecycleConfig defaults() {
    return new HttpLifecycleConfig(null, null, null, null, null);
  }
}
