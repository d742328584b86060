package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Health checks by HTTP GET on the task's {@code health} port.
 *
 * @param endpoint the path (Aurora default {@code /health}), starting with {@code /}
 * @param expectedResponse the expected body (default {@code ok})
 * @param expectedResponseCode the expected status; 0 (default) checks the body instead
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"endpoint", "expected_response", "expected_response_code"})
public record HttpHealthChecker(
    @JsonProperty("endpoint") String endpoint,
    @JsonProperty("expected_response") String expectedResponse,
    @JsonProperty("expected_response_code") Integer expectedResponseCode) {

  public HttpHealthChecker {
    if (endpoint != null && !endpoint.startsWith("/")) {
      throw new IllegalArgumentException(
          "http.endpoint: must start with '/', got '" + endpoint + "'");
    }
    Require.atLeast(expectedResponseCode, 0, "http.expected_response_code");
  }

  /** Aurora's default checker: {@code GET /health} answering {@code ok}. */
  public static HttpHealthChecker defaults() {
    return new HttpHealthChecker(null, null, null);
  }
}
