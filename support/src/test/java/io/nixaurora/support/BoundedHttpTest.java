package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Hostile servers on loopback: a body sent a byte a second, and one without end. */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedHttpTest {
  private HttpServer server;
  private ExecutorService pool;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pool = Executors.newCachedThreadPool();
    server.setExecutor(pool);
    server.createContext("/ok", x -> answer(x, "hello".getBytes(StandardCharsets.UTF_8)));
    server.createContext("/slow", this::slow);
    server.createContext("/endless", this::endless);
    server.start();
  }

  @AfterAll
  void stop() {
    server.stop(0);
    pool.shutdownNow();
  }

  private static void answer(HttpExchange x, byte[] body) throws IOException {
    x.sendResponseHeaders(200, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  /** Headers at once, then a byte a second for a minute. */
  private void slow(HttpExchange x) throws IOException {
    x.sendResponseHeaders(200, 60);
    try (OutputStream out = x.getResponseBody()) {
      for (int i = 0; i < 60; i++) {
        out.write('x');
        out.flush();
        Thread.sleep(1000);
      }
    } catch (InterruptedException | IOException e) {
      // The client went away, as it should.
    }
  }

  /** A chunked body that never ends. */
  private void endless(HttpExchange x) throws IOException {
    x.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = x.getResponseBody()) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // The client went away, as it should.
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void aWholeAnswerIsRead() throws Exception {
    assertArrayEquals(
        "hello".getBytes(StandardCharsets.UTF_8),
        BoundedHttp.send(client, get("/ok"), 100, Duration.ofSeconds(10)).body());
  }

  @Test
  void aBodySentSlowlyEndsAtTheDeadlineNotWithTheBody() {
    // The JDK's request timeout ends with the headers: this body would take a minute.
    assertThrows(
        HttpTimeoutException.class,
        () -> BoundedHttp.send(client, get("/slow"), 1 << 20, Duration.ofSeconds(2)));
  }

  @Test
  void anEndlessBodyEndsAtTheLimitNotWithTheHeap() {
    assertThrows(
        BoundedHttp.BodyTooLarge.class,
        () -> BoundedHttp.send(client, get("/endless"), 1 << 20, Duration.ofSeconds(30)));
  }
}
