package io.nixaurora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.nix.cache.BinaryCacheStoreProvider;
import io.nixaurora.nix.cache.BinaryCacheTarget;
import io.nixaurora.nix.cache.CacheVerifier;
import io.nixaurora.nix.cache.PublicKey;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.support.BoundedHttp;
import io.nixaurora.support.NetworkErrors;
import io.nixaurora.support.SafeText;
import io.nixaurora.support.Urls;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora doctor [CLUSTER]}: checks what the commands need, and says how to fix it. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    header = "Check Nix, the cache and the scheduler, and say how to fix what is wrong.",
    description = {
      "Checks this machine's Nix (present, version, store writable or daemon reachable), the"
          + " configuration, the cluster's store provider (binary cache: reachable, signing key"
          + " readable and matching public_key, narinfos signed by it) and submitter (the aurora"
          + " client and clusters.json, or the scheduler's URL). Each failure comes with what to"
          + " do. Exits 4 if anything failed."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  nix-aurora doctor", "  nix-aurora doctor prod"})
public final class DoctorCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CLUSTER",
      description = "The cluster to check (default: only this machine and the defaults).")
  String cluster;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;
  private Map<String, String> pipelineSettings = Map.of();
  private PrintWriter out;
  private int failures;

  @Inject
  DoctorCommand(Session session) {
    this.session = session;
  }

  private void ok(String what) {
    out.println("ok    " + what);
  }

  private void fail(String what, String fix) {
    failures++;
    // Messages quote servers and files: no JDK class names, no terminal escapes, no passwords.
    out.println("FAIL  " + SafeText.escape(Urls.shown(ErrorReporter.plain(what))));
    if (fix != null) {
      out.println("      fix: " + fix);
    }
  }

  private void note(String what) {
    out.println("--    " + what);
  }

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Environment env = session.environment();

    // configuration
    ClusterConfig config;
    try {
      Configuration configuration = session.configuration();
      config =
          cluster == null
              ? configuration.defaults(clusterOptions.overrides())
              : configuration.forCluster(cluster, clusterOptions.overrides());
      ok(
          "configuration: "
              + configuration.file().map(Path::toString).orElse("none (built-in defaults)"));
    } catch (CliException e) {
      fail("configuration: " + e.getMessage(), e.suggestion());
      out.flush();
      return CliException.COMMAND_FAILURE;
    }
    Pipeline pipeline = session.pipeline(config, err);

    // Nix on this machine
    Path bin = pipeline.localNixBinDirectory();
    NixRunner nix = new NixRunner(bin, Map.of());
    try {
      String version = nix.run("nix-store", List.of("--version")).stdoutText().strip();
      ok("Nix: " + version + " in " + bin);
      checkStore(env, nix);
    } catch (NixException e) {
      fail(
          "Nix: " + firstLine(e.getMessage()),
          "install Nix (Debian/Ubuntu: apt-get install nix-bin) or set local_nix_bin_dir");
    }

    // store provider
    StoreProvider store = null;
    try {
      store = pipeline.storeProvider();
      ok("store provider: " + store.name() + " for " + config.cluster());
    } catch (CliException e) {
      fail("store provider: " + e.getMessage(), e.suggestion());
    }
    if (store instanceof BinaryCacheStoreProvider cache) {
      pipelineSettings = pipeline.settings();
      checkCache(cache);
    } else if (store != null && store.name().equals("local")) {
      note("local store: agents must be this machine, or hold the closures themselves");
    }

    // what the agents need (they are other machines: said, not checked)
    for (String line : AgentNeeds.lines(config)) {
      note(line);
    }
    boolean daemon = config.get(Setting.DAEMON).orElse("false").equals("true");
    if (daemon
        && env.variable("NIX_DAEMON_SOCKET_PATH").isEmpty()
        && !Files.exists(Path.of(AgentNeeds.DEFAULT_SOCKET))) {
      note(
          "this machine runs no nix-daemon (no "
              + AgentNeeds.DEFAULT_SOCKET
              + "); if it is an agent, its inits will fail until one runs");
    }

    // submitter
    if (cluster != null) {
      checkSubmitter(env, pipeline, config);
    } else {
      note("submitter: name a cluster (`nix-aurora doctor CLUSTER`) to check it");
    }
    out.flush();
    session
        .console(err)
        .summary(failures == 0 ? "everything looks fine" : failures + " check(s) failed");
    return failures == 0 ? 0 : CliException.COMMAND_FAILURE;
  }

  private void checkStore(Environment env, NixRunner nix) {
    boolean daemon = env.variable("NIX_REMOTE").map(r -> r.equals("daemon")).orElse(false);
    if (daemon) {
      try {
        nix.run("nix", List.of("--extra-experimental-features", "nix-command", "store", "ping"));
        ok("Nix daemon reachable (NIX_REMOTE=daemon)");
      } catch (NixException e) {
        fail(
            "Nix daemon: " + firstLine(e.getMessage()),
            "start it (systemctl start nix-daemon) or unset NIX_REMOTE");
      }
    } else if (Files.isWritable(Path.of("/nix/store"))
        && Files.isWritable(Path.of("/nix/var/nix"))) {
      ok("Nix store /nix/store writable (single-user)");
    } else {
      fail(
          "Nix store /nix/store is not writable by this user",
          "use the daemon (NIX_REMOTE=daemon, nix-daemon running) or run as the store's owner");
    }
  }

  private void checkCache(BinaryCacheStoreProvider cache) {
    var config = cache.config();
    String url = config.cacheUrl().substituterUrl();
    PublicKey trusted = null;
    try {
      config.readSigningKey();
      trusted = config.trustedKey();
      ok(
          "signing key "
              + config.secretKeyFile().map(Path::toString).orElse("?")
              + " ("
              + trusted.name()
              + ")");
    } catch (NixAuroraException e) {
      fail("signing key: " + firstLine(e.getMessage()), ErrorReporter.suggestion(e));
      try {
        trusted = config.publicKey().orElse(null);
      } catch (RuntimeException ignored) {
        trusted = null;
      }
    }
    Optional<String> netrcSetting = Optional.ofNullable(pipelineSettings.get("netrc_file"));
    if (netrcSetting.isPresent() && !Files.isRegularFile(config.netrcFile())) {
      fail(
          "netrc_file " + config.netrcFile() + " does not exist",
          "fix netrc_file, or remove it to use ~/.netrc");
    }
    if (config.cacheUrl().isFile() && !Files.isDirectory(config.cacheUrl().directory())) {
      fail(
          "cache directory " + config.cacheUrl().directory() + " does not exist",
          "create it (mkdir -p), or fix cache_url");
      return;
    }
    try (BinaryCacheTarget target =
        BinaryCacheTarget.openExisting(config.cacheUrl(), config.credentials())) {
      Optional<byte[]> info = target.read("nix-cache-info");
      if (info.isPresent()) {
        List<String> infoProblems = new CacheVerifier(target, List.of(), 1).cacheInfoProblems();
        if (infoProblems.isEmpty()) {
          ok("cache " + url + " reachable (nix-cache-info present)");
        } else {
          fail(
              "cache " + url + ": " + infoProblems.get(0),
              "check cache_url: it must name the cache root, served as plain files");
          return;
        }
      } else {
        note("cache " + url + " reachable but empty (the first push writes nix-cache-info)");
      }
      if (trusted != null) {
        Optional<List<String>> keys = target.listNarInfos();
        if (keys.isPresent() && !keys.get().isEmpty() && keys.get().size() <= 2000) {
          List<String> problems = new CacheVerifier(target, List.of(trusted), 2).verifyAll();
          if (problems.isEmpty()) {
            ok("cache holds " + keys.get().size() + " narinfo(s), all signed by " + trusted.name());
          } else {
            fail(
                "cache: " + problems.size() + " problem(s), e.g. " + problems.get(0),
                "run `nix-aurora cache verify " + url + " --public-key " + trusted + "`");
          }
        } else {
          note("cache signatures: checked on every push (publish confirms each narinfo)");
        }
      }
    } catch (NixAuroraException e) {
      fail("cache " + url + ": " + firstLine(e.getMessage()), ErrorReporter.suggestion(e));
    }
  }

  private void checkSubmitter(Environment env, Pipeline pipeline, ClusterConfig config) {
    try {
      pipeline.submitter();
      ok("submitter: " + config.submitter());
    } catch (CliException e) {
      fail("submitter: " + e.getMessage(), e.suggestion());
      return;
    }
    Optional<JsonNode> entry = clusterEntry(env, config);
    if (config.submitter().equals("cli")) {
      String binary = config.get(Setting.AURORA_BINARY).orElse("aurora");
      Optional<Path> found =
          binary.contains("/")
              ? Optional.of(env.resolve(binary)).filter(Files::isExecutable)
              : Pipeline.findOnPath(env, binary).map(d -> d.resolve(binary));
      if (found.isPresent()) {
        ok("aurora client: " + found.get());
      } else {
        fail(
            "aurora client '" + binary + "' not found",
            "install the Aurora client, or set aurora_binary (or use --submitter http)");
      }
      if (entry.isPresent()) {
        ok("clusters.json lists " + config.cluster());
      } else {
        fail(
            "clusters.json: no cluster '" + config.cluster() + "' in " + searchPath(env, config),
            "add it to /etc/aurora/clusters.json or ~/.aurora/clusters.json");
      }
    } else if (config.submitter().equals("http")) {
      Optional<String> uri =
          config
              .get(Setting.SCHEDULER_URI)
              .or(() -> entry.map(e -> e.path("scheduler_uri").asText(null)));
      Optional<String> zk = entry.map(e -> e.path("zk").asText(null)).filter(s -> !s.isEmpty());
      if (zk.isPresent() && config.get(Setting.SCHEDULER_URI).isEmpty()) {
        String host = zk.get().split(",")[0].strip();
        int port = entry.get().path("zk_port").asInt(2181);
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(host, port), 3000);
          ok("ZooKeeper " + host + ":" + port + " reachable (leader discovery)");
        } catch (IOException e) {
          fail(
              "ZooKeeper " + host + ":" + port + ": " + e.getMessage(),
              "check zk in clusters.json");
        }
      } else if (uri.isPresent()) {
        checkScheduler(uri.get());
      } else {
        fail(
            "scheduler: no scheduler_uri setting and no clusters.json entry for "
                + config.cluster(),
            "set scheduler_uri for the cluster, or add it to clusters.json");
      }
    }
  }

  private void checkScheduler(String uri) {
    String shown = Urls.shown(uri);
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      // Bounded: a hostile or broken server's endless or slow page must not hang doctor.
      HttpResponse<byte[]> response =
          BoundedHttp.send(
              client,
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
              1 << 20,
              Duration.ofSeconds(10));
      ok("scheduler " + shown + " answers (HTTP " + response.statusCode() + ")");
    } catch (BoundedHttp.BodyTooLarge e) {
      ok("scheduler " + shown + " answers (a page over 1 MiB)");
    } catch (IOException e) {
      fail(
          "scheduler " + shown + " unreachable: " + NetworkErrors.describe(e),
          "check scheduler_uri (or clusters.json) and the network");
    } catch (IllegalArgumentException e) {
      fail("scheduler_uri " + shown + " is not a URL", "fix scheduler_uri");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Path> searchPath(Environment env, ClusterConfig config) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(
        Path.of(
            config
                .get(Setting.AURORA_CONFIG_ROOT)
                .or(() -> env.variable("AURORA_CONFIG_ROOT"))
                .orElse("/etc/aurora")));
    dirs.add(env.home().resolve(".aurora"));
    return dirs;
  }

  /** The cluster's clusters.json entry, as the aurora client finds it (docs/aurora-spec.md §6). */
  private Optional<JsonNode> clusterEntry(Environment env, ClusterConfig config) {
    JsonNode found = null;
    for (Path dir : searchPath(env, config)) {
      Path file = dir.resolve("clusters.json");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Iterable<JsonNode> entries = root.isArray() ? root : () -> root.elements();
        for (JsonNode e : entries) {
          if (config.cluster().equals(e.path("name").asText())) {
            found = e;
          }
        }
      } catch (IOException e) {
        fail("clusters.json " + file + " is not valid JSON: " + e.getMessage(), "fix " + file);
      }
    }
    return Optional.ofNullable(found);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }
}
