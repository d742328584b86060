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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTP behaviour that nginx cannot be made to show on demand: 5xx answers are retried, a server
 * that keeps failing fails the push with the URL, credentials from a netrc file are sent, and a 401
 * is an authentication failure. The server is the JDK's own, storing files in memory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBehaviourIT {

  private Path dir;
  private StorePath top;
  private SigningKey key;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile int failFirst;
  private volatile boolean alwaysFail;
  private volatile String requiredAuth;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("nbc-http");
    top = TestNix.buildClosure(dir, "http");
    key = SigningKey.generate("test-http-1");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop(0);
    TestNix.deleteTree(dir);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      byte[] body = x.getRequestBody().readAllBytes();
      if (requiredAuth != null
          && !requiredAuth.equals(x.getRequestHeaders().getFirst("Authorization"))) {
        x.sendResponseHeaders(401, -1);
        return;
      }
      int n =
          attempts
              .computeIfAbsent(x.getRequestMethod() + path, k -> new AtomicInteger())
              .incrementAndGet();
      if (alwaysFail || n <= failFirst) {
        failures.incrementAndGet();
        x.sendResponseHeaders(503, -1);
        return;
      }
      switch (x.getRequestMethod()) {
        case "PUT" -> {
          files.put(path, body);
          x.sendResponseHeaders(201, -1);
        }
        case "HEAD" -> x.sendResponseHeaders(files.containsKey(path) ? 200 : 404, -1);
        case "GET" -> {
          byte[] f = files.get(path);
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
  }

  private String url(String prefix) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + prefix;
  }

  /**
   * A closed target leaves no HTTP client thread behind: on Java 21+ closing it closes its client
   * (a selector thread left waiting in native code holds up the JVM's exit by 0.3 s); on Java 17,
   * which cannot close a client, the thread ends once the closed target is garbage collected.
   */
  @Test
  void aClosedTargetLeavesNoSelectorThreadBehind() throws Exception {
    java.util.Set<Thread> before = selectorThreads();
    java.util.Set<Thread> mine;
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse(url("sel")), Optional.empty())) {
      assertFalse(t.exists("nix-cache-info"));
      mine = selectorThreads();
      mine.removeAll(before);
      assertEquals(1, mine.size(), "one selector thread per target: " + mine);
    }
    boolean canClose = Runtime.version().feature() >= 21;
    for (Thread th : mine) {
      // Java 17: the JDK's selector loop notices a collected client at its next wake-up (3 s).
      for (int i = 0; i < (canClose ? 1 : 30) && th.isAlive(); i++) {
        if (!canClose) {
          System.gc();
        }
        th.join(canClose ? 5000 : 1000);
      }
      assertFalse(th.isAlive(), th + " still runs after close() (Java " + Runtime.version() + ")");
    }
  }

  private static java.util.Set<Thread> selectorThreads() {
    java.util.Set<Thread> s = new java.util.HashSet<>();
    for (Thread th : Thread.getAllStackTraces().keySet()) {
      if (th.getName().startsWith("HttpClient-") && th.getName().endsWith("-SelectorManager")) {
        s.add(th);
      }
    }
    return s;
  }

  private PushSummary push(String url, Optional<Credentials> creds) throws Exception {
    try (BinaryCacheTarget t = BinaryCacheTarget.open(CacheUrl.parse(url), creds)) {
      return CachePusher.builder()
          .store(new NixStore(NixRunner.onPath()))
          .target(t)
          .signingKey(key)
          .build()
          .push(List.of(top));
    }
  }

  @Test
  void serverErrorsAreRetried() throws Exception {
    failFirst = 1;
    try {
      PushSummary s = push(url("flaky"), Optional.empty());
      assertEquals(TestNix.requisites(top).size(), s.pushed());
      assertTrue(failures.get() > 0);
      try (BinaryCacheTarget t =
          BinaryCacheTarget.open(CacheUrl.parse(url("flaky")), Optional.empty())) {
        assertEquals(
            List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(top)));
      }
    } finally {
      failFirst = 0;
    }
  }

  @Test
  void aServerThatKeepsFailingFailsThePushWithTheUrl() {
    alwaysFail = true;
    try {
      CacheException e =
          assertThrows(CacheException.class, () -> push(url("down"), Optional.empty()));
      assertTrue(e.getMessage().contains(url("down") + "/nix-cache-info"), e.getMessage());
      assertTrue(e.getMessage().contains("503"), e.getMessage());
    } finally {
      alwaysFail = false;
    }
  }

  @Test
  void netrcCredentialsAreSentAndA401IsAnAuthenticationFailure() throws Exception {
    requiredAuth =
        "Basic "
            + Base64.getEncoder().encodeToString("pusher:s3cret".getBytes(StandardCharsets.UTF_8));
    try {
      CacheException e =
          assertThrows(CacheException.class, () -> push(url("auth"), Optional.empty()));
      assertEquals(CacheException.Kind.AUTHENTICATION, e.kind());
      assertEquals(30, e.exitCode());
      Path netrc = dir.resolve("netrc");
      Files.writeString(netrc, "machine 127.0.0.1 login pusher password s3cret\n");
      BinaryCacheConfig config =
          BinaryCacheConfig.fromSettings(
              Map.of("cache_url", url("auth"), "netrc_file", netrc.toString()));
      PushSummary s = push(url("auth"), config.credentials());
      assertTrue(s.pushed() > 0);
      assertFalse(e.getMessage().contains("s3cret"));
    } finally {
      requiredAuth = null;
    }
  }
}
