package io.nixaurora.submit.http;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.support.HostCredentials;
import io.nixaurora.support.Netrc;
import io.nixaurora.support.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the scheduler of a job's cluster, as the aurora client does (docs/aurora-spec.md §5.5,
 * §5.6, §6): the {@code scheduler_uri} setting, else the cluster in {@code clusters.json}, by its
 * {@code scheduler_uri} or through ZooKeeper's serverset to the leader; and the credentials for it
 * (user info in the URL, the username/password settings, else {@code ~/.netrc}).
 *
 * <p>Thread-safe: every call is independent.
 */
final class SchedulerLocator {
  /** How long the ZooKeeper serverset may take to name the leader. */
  private static final Duration ZOOKEEPER_TIMEOUT = Duration.ofSeconds(10);

  private final HttpSubmitterSettings settings;
  private final HttpClient http;
  private final EventListener events;
  private final Path home;
  private final Map<String, String> environment;

  SchedulerLocator(
      HttpSubmitterSettings settings,
      EventListener events,
      Path home,
      Map<String, String> environment) {
    this.settings = settings;
    this.events = events;
    this.home = home;
    this.environment = environment;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER) // 307 is re-sent by hand, body included
            .build();
  }

  /** The scheduler for the key's cluster: scheduler_uri, else clusters.json (zk or uri). */
  SchedulerClient client(JobKey key) throws SubmitException {
    if (settings.cluster().isPresent() && !settings.cluster().get().equals(key.cluster())) {
      throw new SubmitException.InvalidConfiguration(
          "job "
              + key
              + " is for cluster "
              + key.cluster()
              + ", but the http submitter is set up"
              + " for cluster "
              + settings.cluster().get());
    }
    URI base = settings.schedulerUri().orElse(null);
    if (base == null) {
      base = fromClusters(key);
    }
    // User info in the URL (http://user:pass@host) is the credentials, as for the aurora client's
    // requests; it is taken out of the URL so that no URL shown carries the password.
    Optional<Netrc.Credentials> fromUrl = HostCredentials.fromUserInfo(base);
    try {
      base = HostCredentials.withoutUserInfo(base);
    } catch (IllegalArgumentException e) {
      throw new SubmitException.InvalidConfiguration(
          "submitter setting scheduler_uri: not a URL: " + Urls.shown(base));
    }
    Optional<Netrc.Credentials> urlCredentials = fromUrl;
    if (!base.getPath().endsWith("/")) {
      base = URI.create(base + "/"); // urljoin(uri, 'api') keeps the path's last segment
    }
    events.on(LogEvent.debug("scheduler for " + key.cluster() + ": " + base));
    Optional<Netrc.Credentials> configured =
        settings
            .username()
            .map(u -> new Netrc.Credentials(u, settings.password().orElse("")))
            .or(() -> urlCredentials);
    Path netrcFile = settings.netrcFile().orElse(home.resolve(".netrc"));
    Netrc netrc;
    try {
      netrc = configured.isPresent() ? Netrc.parse("") : Netrc.read(netrcFile);
    } catch (IOException e) {
      throw new SubmitException.InvalidConfiguration(
          "cannot read " + netrcFile + ": " + e.getMessage());
    }
    return new SchedulerClient(
        base,
        http,
        host -> configured.isPresent() ? configured : netrc.lookup(host),
        settings.requestTimeout(),
        settings.retryBudget(),
        events);
  }

  /** The cluster's scheduler from clusters.json: its scheduler_uri, or the leader in ZooKeeper. */
  private URI fromClusters(JobKey key) throws SubmitException {
    Optional<String> root =
        settings
            .auroraConfigRoot()
            .or(() -> Optional.ofNullable(environment.get("AURORA_CONFIG_ROOT")));
    List<Path> searched = Clusters.searchPath(root, home);
    Clusters.Cluster cluster = Clusters.load(searched).get(key.cluster(), searched);
    if (!cluster.authMechanism().equalsIgnoreCase("UNAUTHENTICATED")) {
      events.on(
          LogEvent.warn(
              "cluster "
                  + key.cluster()
                  + " asks for auth_mechanism "
                  + cluster.authMechanism()
                  + ", which the http submitter does not speak; it sends HTTP Basic"
                  + " credentials from ~/.netrc or the username/password settings (use the cli"
                  + " submitter for Kerberos)"));
    }
    if (cluster.zk().isPresent()) {
      return ServersetReader.leader(
          cluster.zk().get(),
          cluster.zkPort(),
          cluster.schedulerZkPath().orElseThrow(),
          ZOOKEEPER_TIMEOUT);
    }
    return URI.create(cluster.schedulerUri().orElseThrow());
  }
}
