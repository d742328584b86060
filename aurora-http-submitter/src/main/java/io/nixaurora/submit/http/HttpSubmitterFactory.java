package io.nixaurora.submit.http;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.Settings;
import io.nixaurora.support.BoundedHttp;
import io.nixaurora.support.NetworkErrors;
import io.nixaurora.support.Urls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.inject.Inject;

/** Makes {@link HttpSubmitter}s from the cluster's submitter settings ({@link #settings()}). */
public final class HttpSubmitterFactory implements SubmitterFactory {

  @Inject
  public HttpSubmitterFactory() {}

  @Override
  public String name() {
    return "http";
  }

  @Override
  public List<SettingDeclaration> settings() {
    return HttpSubmitterSettings.DECLARATIONS;
  }

  /**
   * A submitter whose retries and warnings ({@code auth_mechanism}, redirects) reach the context's
   * events, and which reads {@code ~/.netrc}, {@code ~/.aurora} and {@code AURORA_CONFIG_ROOT} from
   * the context's environment.
   *
   * @throws IllegalArgumentException naming the key of a bad setting
   */
  @Override
  public Submitter create(BackendContext context) {
    return new HttpSubmitter(
        HttpSubmitterSettings.from(context),
        context.events(),
        UUID::randomUUID,
        context.home(),
        context.variables());
  }

  /** Makes the submitter in this process's environment, reporting nowhere (tests, embedding). */
  @Override
  public Submitter create(Map<String, String> settings) {
    return create(BackendContext.of(Settings.of(settings(), settings)));
  }

  /**
   * The scheduler reachable: ZooKeeper's first host when clusters.json locates the leader there,
   * else the scheduler's URL answering a GET.
   */
  @Override
  public List<Diagnosis> diagnose(BackendContext context) {
    List<Diagnosis> out = new ArrayList<>();
    HttpSubmitterSettings settings;
    try {
      settings = HttpSubmitterSettings.from(context);
    } catch (IllegalArgumentException e) {
      out.add(Diagnosis.fail("submitter http: " + e.getMessage(), "fix that setting"));
      return out;
    }
    out.add(Diagnosis.ok("submitter: " + name()));
    if (settings.schedulerUri().isPresent()) {
      out.add(scheduler(settings.schedulerUri().get()));
      return out;
    }
    String cluster = context.cluster().orElse(settings.cluster().orElse(null));
    if (cluster == null) {
      out.add(Diagnosis.note("scheduler: name a cluster to check it"));
      return out;
    }
    Optional<String> root =
        settings.auroraConfigRoot().or(() -> context.variable("AURORA_CONFIG_ROOT"));
    List<Path> searched = Clusters.searchPath(root, context.home());
    Clusters.Cluster entry;
    try {
      entry = Clusters.load(searched).get(cluster, searched);
    } catch (SubmitException e) {
      out.add(
          Diagnosis.fail(
              "scheduler: no scheduler_uri setting, and clusters.json: " + e.getMessage(),
              "set scheduler_uri for the cluster, or add it to clusters.json"));
      return out;
    }
    if (!entry.authMechanism().equalsIgnoreCase("UNAUTHENTICATED")) {
      out.add(
          Diagnosis.warn(
              "cluster "
                  + cluster
                  + " asks for auth_mechanism "
                  + entry.authMechanism()
                  + ", which the http submitter does not speak (it sends HTTP Basic credentials)",
              "use the cli submitter for Kerberos, or give the scheduler Basic credentials"));
    }
    if (entry.zk().isPresent()) {
      out.add(zooKeeper(entry.zk().get().split(",")[0].strip(), entry.zkPort()));
    } else {
      out.add(scheduler(URI.create(entry.schedulerUri().orElseThrow())));
    }
    return out;
  }

  private static Diagnosis zooKeeper(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 3000);
      return Diagnosis.ok("ZooKeeper " + host + ":" + port + " reachable (leader discovery)");
    } catch (IOException e) {
      return Diagnosis.fail(
          "ZooKeeper " + host + ":" + port + ": " + NetworkErrors.describe(e),
          "check zk in clusters.json");
    }
  }

  private static Diagnosis scheduler(URI uri) {
    String shown = Urls.shown(uri);
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      // Bounded: a hostile or broken server's endless or slow page must not hang doctor.
      HttpResponse<byte[]> response =
          BoundedHttp.send(
              client,
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              1 << 20,
              Duration.ofSeconds(10));
      return Diagnosis.ok("scheduler " + shown + " answers (HTTP " + response.statusCode() + ")");
    } catch (BoundedHttp.BodyTooLarge e) {
      return Diagnosis.ok("scheduler " + shown + " answers (a page over 1 MiB)");
    } catch (IOException e) {
      return Diagnosis.fail(
          "scheduler " + shown + " unreachable: " + NetworkErrors.describe(e),
          "check scheduler_uri (or clusters.json) and the network");
    } catch (IllegalArgumentException e) {
      return Diagnosis.fail("scheduler_uri " + shown + " is not a URL", "fix scheduler_uri");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Diagnosis.fail("scheduler " + shown + ": interrupted", null);
    }
  }
}
