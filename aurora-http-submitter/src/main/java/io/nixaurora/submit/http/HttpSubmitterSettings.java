package io.nixaurora.submit.http;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.api.settings.Settings;
import io.nixaurora.support.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code http} submitter's settings ({@link #DECLARATIONS}); keys it does not declare belong to
 * other backends and are ignored here (the CLI refuses keys nobody declares).
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

  public static final String SCHEDULER_URI = "scheduler_uri";
  public static final String AURORA_CONFIG_ROOT = "aurora_config_root";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String NETRC_FILE = "netrc_file";
  public static final String CONNECT_TIMEOUT_SECONDS = "connect_timeout_seconds";
  public static final String REQUEST_TIMEOUT_SECONDS = "request_timeout_seconds";
  public static final String RETRY_BUDGET_SECONDS = "retry_budget_seconds";
  public static final String OWNER = "owner";

  /** The keys the http submitter reads. */
  public static final List<SettingDeclaration> DECLARATIONS =
      List.of(
          SettingDeclaration.builder(SCHEDULER_URI, SettingType.URL)
              .description("scheduler URL (overrides clusters.json)")
              .build(),
          SettingDeclaration.builder(AURORA_CONFIG_ROOT, SettingType.PATH)
              .description("directory holding clusters.json (default: $AURORA_CONFIG_ROOT)")
              .build(),
          SettingDeclaration.builder(USERNAME, SettingType.STRING)
              .description("scheduler user name (with password; overrides netrc)")
              .build(),
          SettingDeclaration.builder(PASSWORD, SettingType.STRING)
              .secret()
              .description("scheduler password")
              .build(),
          SettingDeclaration.builder(NETRC_FILE, SettingType.PATH)
              .description("credentials for the cache or scheduler (default: ~/.netrc)")
              .build(),
          SettingDeclaration.builder(CONNECT_TIMEOUT_SECONDS, SettingType.DURATION)
              .defaultValue("10")
              .description("scheduler connect timeout (seconds, or 500ms, 1m)")
              .build(),
          SettingDeclaration.builder(REQUEST_TIMEOUT_SECONDS, SettingType.DURATION)
              .defaultValue("120")
              .description("scheduler request timeout (seconds)")
              .build(),
          SettingDeclaration.builder(RETRY_BUDGET_SECONDS, SettingType.DURATION)
              .defaultValue("600")
              .description("how long to retry the scheduler (seconds)")
              .build(),
          SettingDeclaration.builder(OWNER, SettingType.STRING)
              .description("the owner recorded on updates (default: the local user)")
              .build());

  /**
   * Reads the settings in this process's environment.
   *
   * @throws IllegalArgumentException naming the key of a bad value
   */
  public static HttpSubmitterSettings parse(Map<String, String> settings) {
    return from(BackendContext.of(Settings.of(DECLARATIONS, settings)));
  }

  /**
   * Reads the settings from a factory's context (relative file names against its working
   * directory).
   *
   * @throws IllegalArgumentException naming the key of a bad value
   */
  public static HttpSubmitterSettings from(BackendContext context) {
    Settings settings = context.settings();
    Optional<URI> uri = text(settings, SCHEDULER_URI).map(HttpSubmitterSettings::uri);
    Optional<String> username = text(settings, USERNAME);
    Optional<String> password = text(settings, PASSWORD);
    if (username.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException(
          "submitter setting username/password: give both or neither");
    }
    Optional<String> cluster = text(settings, "cluster").or(context::cluster);
    return new HttpSubmitterSettings(
        cluster,
        uri,
        context.path(AURORA_CONFIG_ROOT).map(Path::toString),
        username,
        password,
        context.path(NETRC_FILE),
        settings.duration(CONNECT_TIMEOUT_SECONDS).orElseThrow(),
        settings.duration(REQUEST_TIMEOUT_SECONDS).orElseThrow(),
        settings.duration(RETRY_BUDGET_SECONDS).orElseThrow(),
        text(settings, OWNER));
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

  private static Optional<String> text(Settings settings, String key) {
    return settings.text(key).filter(v -> !v.isBlank()).map(String::strip);
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
