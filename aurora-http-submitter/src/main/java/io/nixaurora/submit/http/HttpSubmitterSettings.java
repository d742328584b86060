package io.nixaurora.submit.http;

import io.nixaurora.support.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code http} submitter's settings (the cluster's {@code submitter_settings}); unknown keys
 * belong to other backends and are ignored.
 *
 * @param cluster the cluster name the CLI is submitting to (optional: job keys carry it too)
 * @param schedulerUri the scheduler's URL, overriding clusters.json
 * @param auroraConfigRoot where clusters.json is read first (instead of $AURORA_CONFIG_ROOT or
 *     /etc/aurora)
 * @param username HTTP Basic user, overriding ~/.netrc
 * @param password HTTP Basic password; never shown
 * @param netrcFile the netrc file (default ~/.netrc)
 * @param connectTimeout connect timeout (default 10 s)
 * @param requestTimeout per-request timeout (default 120 s)
 * @param retryBudget how long retries of 503 and ERROR_TRANSIENT may take (default 600 s, as the
 *     aurora client)
 * @param owner the owner sent with jobs (default: the local user)
 */
public record HttpSubmitterSettings(
    Optional<String> cluster,
    Optional<URI> schedulerUri,
    Optional<String> auroraConfigRoot,
    Optional<String> username,
    Optional<String> password,
    Optional<Path> netrcFile,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration retryBudget,
    Optional<String> owner) {

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the key of a bad value
   */
  public static HttpSubmitterSettings parse(Map<String, String> settings) {
    Optional<URI> uri = text(settings, "scheduler_uri").map(HttpSubmitterSettings::uri);
    Optional<String> username = text(settings, "username");
    Optional<String> password = text(settings, "password");
    if (username.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException(
          "submitter setting username/password: give both or neither");
    }
    return new HttpSubmitterSettings(
        text(settings, "cluster"),
        uri,
        text(settings, "aurora_config_root"),
        username,
        password,
        text(settings, "netrc_file").map(Path::of),
        seconds(settings, "connect_timeout_seconds", 10),
        seconds(settings, "request_timeout_seconds", 120),
        seconds(settings, "retry_budget_seconds", 600),
        text(settings, "owner"));
  }

  private static URI uri(String value) {
    try {
      URI uri = new URI(value);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "submitter setting scheduler_uri: expected an http(s) URL, got '"
                + Urls.shown(value)
                + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "submitter setting scheduler_uri: not a URL: '" + Urls.shown(value) + "'", e);
    }
  }

  private static Optional<String> text(Map<String, String> settings, String key) {
    String value = settings.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static Duration seconds(Map<String, String> settings, String key, long fallback) {
    Optional<String> value = text(settings, key);
    if (value.isEmpty()) {
      return Duration.ofSeconds(fallback);
    }
    try {
      double seconds = Double.parseDouble(value.get());
      if (!(seconds >= 0) || Double.isInfinite(seconds)) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "submitter setting " + key + ": expected a number of seconds, got '" + value.get() + "'");
    }
  }

  @Override
  public String toString() {
    return "HttpSubmitterSettings[cluster="
        + cluster
        + ", schedulerUri="
        + schedulerUri.map(Urls::shown)
        + ", auroraConfigRoot="
        + auroraConfigRoot
        + ", username="
        + username
        + ", password="
        + (password.isPresent() ? "***" : "none")
        + ", netrcFile="
        + netrcFile
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", retryBudget="
        + retryBudget
        + ", owner="
        + owner
        + "]";
  }
}
