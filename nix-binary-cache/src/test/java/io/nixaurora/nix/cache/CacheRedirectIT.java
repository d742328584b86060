package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 items 2 and 6 for HTTP caches, on a JDK HttpServer on loopback (nginx cannot redirect
 * per test or lie about storing): the redirect matrix with credentials from netrc and from the URL,
 * and a server that answers 200 to everything and stores nothing. The https-to-http downgrade is
 * decided by RedirectPolicy (RedirectPolicyTest); HttpTarget uses nothing else.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheRedirectIT {
  private static final String AUTH = "Basic cHVzaGVyOnMzY3JldA=="; // pusher:s3cret

  private Path dir;
  private StorePath top;
  private SigningKey key;
  private HttpServer server;
  private ExecutorService pool;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  /** "METHOD host path auth" of every request. */
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("nbc-redirect");
    top = TestNix.buildClosure(dir, "redirect");
    key = SigningKey.generate("test-redirect-1");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pool = Executors.newFixedThreadPool(8);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop(0);
    pool.shutdownNow();
    TestNix.deleteTree(dir);
  }

  @BeforeEach
  void reset() {
    files.clear();
    requests.clear();
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      byte[] body = x.getRequestBody().readAllBytes();
      String auth = x.getRequestHeaders().getFirst("Authorization");
      requests.add(
          x.getRequestMethod()
              + " "
              + x.getRequestHeaders().getFirst("Host")
              + " "
              + path
              + " "
              + auth);
      String[] parts = path.split("/", 3); // "", prefix, rest
      String rest = parts.length > 2 ? parts[2] : "";
      switch (parts[1]) {
        case "same" -> redirect(x, "/store/" + rest);
        case "other" -> redirect(x, "http://localhost:" + port() + "/store/" + rest);
        case "port" -> redirect(x, "http://127.0.0.1:" + (port() + 1) + "/store/" + rest);
        case "scheme" -> redirect(x, "https://127.0.0.1:" + port() + "/store/" + rest);
        case "nothing" -> x.sendResponseHeaders(200, -1); // says yes, stores nothing
        default -> store(x, "/" + rest, body, auth);
      }
    }
  }

  private static void redirect(HttpExchange x, String location) throws IOException {
    x.getResponseHeaders().set("Location", location);
    x.sendResponseHeaders(307, -1);
  }

  private void store(HttpExchange x, String key, byte[] body, String auth) throws IOException {
    if (!AUTH.equals(auth)) {
      x.sendResponseHeaders(401, -1);
      return;
    }
    switch (x.getRequestMethod()) {
      case "PUT" -> {
        files.put(key, body);
        x.sendResponseHeaders(201, -1);
      }
      case "HEAD" -> {
        byte[] f = files.get(key);
        if (f != null) {
          x.getResponseHeaders().set("Content-Length", Long.toString(f.length));
        }
        x.sendResponseHeaders(f == null ? 404 : 200, -1);
      }
      case "GET" -> {
        byte[] f = files.get(key);
        if (f == null) {
          x.sendResponseHeaders(404, -1);
        } else {
          x.sendResponseHeaders(200, f.length);
          x.getResponseBody().write(f);
        }
      }
      default -> x.sendResponseHeaders(405, -1);
    }
  }

  /** The cache URL and credentials, from a netrc file or from the URL's user info. */
  private PushSummary push(String prefix, String credentials) throws Exception {
    String url;
    Optional<Credentials> creds;
    if (credentials.equals("netrc")) {
      url = "http://127.0.0.1:" + port() + "/" + prefix;
      Path netrc = dir.resolve("netrc");
      Files.writeString(
          netrc,
          "machine 127.0.0.1 login pusher password s3cret\n"
              + "machine localhost login pusher password s3cret\n");
      creds =
          BinaryCacheConfig.fromSettings(Map.of("cache_url", url, "netrc_file", netrc.toString()))
              .credentials();
    } else {
      url = "http://pusher:s3cret@127.0.0.1:" + port() + "/" + prefix;
      creds = Optional.empty();
    }
    try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(url), creds)) {
      return CachePusher.builder()
          .store(new NixStore(NixRunner.onPath()))
          .target(t)
          .signingKey(key)
          .build()
          .push(List.of(top));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"netrc", "url"})
  void aRedirectOnTheSameHostIsFollowedWithTheCredentials(String credentials) throws Exception {
    PushSummary s = push("same", credentials);

    assertEquals(TestNix.requisites(top).size(), s.pushed());
    assertTrue(files.containsKey("/" + NarInfo.key(top)), files.keySet().toString());
    assertTrue(requests.stream().noneMatch(r -> r.endsWith(" null")), "always authenticated");
  }

  @ParameterizedTest
  @ValueSource(strings = {"netrc", "url"})
  void aRedirectToAnotherHostIsRefusedAndNothingReachesIt(String credentials) {
    CacheException e = assertThrows(CacheException.class, () -> push("other", credentials));

    String from = "http://127.0.0.1:" + port() + "/other/nix-cache-info";
    String to = "http://localhost:" + port() + "/store/nix-cache-info";
    assertTrue(e.getMessage().contains(from), e.getMessage());
    assertTrue(e.getMessage().contains(to), e.getMessage());
    assertTrue(e.getMessage().contains("another host"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertTrue(requests.stream().noneMatch(r -> r.contains(" localhost:")), requests.toString());
    assertTrue(files.isEmpty(), "nothing uploaded anywhere");
  }

  @Test
  void aRedirectToAnotherPortOrSchemeIsRefused() {
    CacheException port = assertThrows(CacheException.class, () -> push("port", "netrc"));
    assertTrue(port.getMessage().contains("another port"), port.getMessage());
    CacheException scheme = assertThrows(CacheException.class, () -> push("scheme", "netrc"));
    assertTrue(scheme.getMessage().contains("changes the scheme"), scheme.getMessage());
    assertTrue(files.isEmpty());
    // Not followed: no request (with or without the credentials) reached the redirect's target,
    // and the only requests made went to the configured prefix, with the credentials.
    assertTrue(requests.stream().noneMatch(r -> r.contains(" /store/")), requests.toString());
    assertTrue(
        requests.stream().allMatch(r -> r.contains(" /port/") || r.contains(" /scheme/")),
        requests.toString());
  }

  @Test
  void credentialsFromTheNetrcGoOnlyToTheHostTheyAreFor() {
    // The netrc names only 127.0.0.1; the same server reached as localhost is another host and
    // gets no credentials (it answers 401).
    CacheException e =
        assertThrows(
            CacheException.class,
            () -> {
              Path netrc = dir.resolve("netrc-other");
              Files.writeString(netrc, "machine 127.0.0.1 login pusher password s3cret\n");
              String url = "http://localhost:" + port() + "/store";
              Optional<Credentials> creds =
                  BinaryCacheConfig.fromSettings(
                          Map.of("cache_url", url, "netrc_file", netrc.toString()))
                      .credentials();
              assertEquals(Optional.empty(), creds);
              try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(url), creds)) {
                t.exists("nix-cache-info");
              }
            });
    assertEquals(CacheException.Kind.AUTHENTICATION, e.kind(), e.getMessage());
    assertTrue(requests.stream().allMatch(r -> r.endsWith(" null")), requests.toString());
  }

  @Test
  void aServerThatStoresNothingFailsThePush() {
    CacheException e = assertThrows(CacheException.class, () -> push("nothing", "netrc"));

    assertTrue(e.getMessage().contains("does not store what is uploaded"), e.getMessage());
  }
}
