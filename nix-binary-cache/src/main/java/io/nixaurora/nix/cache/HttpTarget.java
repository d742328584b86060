package io.nixaurora.nix.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.CacheException;
import io.nixaurora.support.BoundedHttp;
import io.nixaurora.support.HostCredentials;
import io.nixaurora.support.NetworkErrors;
import io.nixaurora.support.RedirectPolicy;
import io.nixaurora.support.RetryPolicy;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An {@code http(s)://host/prefix} cache, spoken to as Nix's HTTP binary cache store does: HEAD or
 * GET to check and read, PUT to write (the server must accept PUT, e.g. nginx with {@code
 * dav_methods PUT}). 404 and 403 on a check mean "absent" (S3 answers 403 for missing keys). 5xx
 * answers and timeouts are retried with exponential backoff; any other 4xx fails with the URL and
 * status. TLS is verified with the JDK's default trust store. NAR uploads stream from a file.
 *
 * <p>Redirects follow {@link RedirectPolicy}: only to the same scheme, host and port; any other
 * redirect fails the request with both URLs named. Credentials (from a netrc file or the URL's user
 * info) are sent only to the cache's own host. Small files are read whole within {@link
 * #SMALL_REQUEST_TIMEOUT} and at most {@link #MAX_SMALL_FILE} bytes.
 */
public final class HttpTarget implements BinaryCacheTarget {

  /** 5 tries, 200 ms doubled up to 5 s between them, with jitter (parallel uploads). */
  private static final RetryPolicy RETRIES = RetryPolicy.attempts(5).withJitter();

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SMALL_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int CONCURRENCY = 16;

  /** The largest narinfo or nix-cache-info read (a narinfo with 10,000 references is ~1 MB). */
  static final long MAX_SMALL_FILE = 16L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CacheUrl url;

  /** The cache's root without user info: credentials travel in the Authorization header. */
  private final URI root;

  /** Sent only to the cache's own scheme, host and port. */
  private final Optional<HostCredentials> credentials;

  private final HttpClient client;
  private final StagingDirectory staging = new StagingDirectory();

  /**
   * @param credentials sent as HTTP Basic authentication with every request to the cache's own
   *     scheme, host and port, and to nothing else
   */
  public HttpTarget(CacheUrl url, Optional<Credentials> credentials) {
    if (url.isFile() || url.isS3()) {
      throw new IllegalArgumentException(url + " is not an HTTP cache");
    }
    this.url = url;
    // Else the URL's user info, when it names a password (a bare user is a netrc lookup's job).
    Optional<Credentials> creds =
        credentials.or(
            () ->
                HostCredentials.fromUserInfo(url.base())
                    .filter(c -> url.base().getUserInfo().contains(":"))
                    .map(c -> new Credentials(c.login(), c.password())));
    this.root = URI.create(url.substituterUrl());
    this.credentials = creds.map(c -> c.forOrigin(root));
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (url.scheme().equals("http")) {
      // Without a context of its own the client loads the JDK's trust store when it is built
      // (about 45 ms of a cold start here); a plain-http cache never speaks TLS, since
      // RedirectPolicy refuses a redirect to another scheme.
      builder.sslContext(noTls());
    }
    this.client =
        builder
            .connectTimeout(CONNECT_TIMEOUT)
            // Plain http: no h2c upgrade dance; https negotiates HTTP/2 through ALPN.
            .version(
                url.scheme().equals("http")
                    ? HttpClient.Version.HTTP_1_1
                    : HttpClient.Version.HTTP_2)
            // Followed by hand under RedirectPolicy: the JDK's NORMAL policy re-sends every
            // header, Authorization included, to whatever host a redirect names.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A TLS context that trusts no certificate, for clients that only speak plain http. */
  private static SSLContext noTls() {
    X509TrustManager none =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType)
              throws CertificateException {
            throw new CertificateException("plain http cache: TLS is not used");
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType)
              throws CertificateException {
            throw new CertificateException("plain http cache: TLS is not used");
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[0], new TrustManager[] {none}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS", e);
    }
  }

  @Override
  public CacheUrl url() {
    return url;
  }

  private URI uri(String key) {
    return URI.create(root + "/" + key);
  }

  /** The URL of a key for messages: never the user info. */
  private String shown(String key) {
    return url.substituterUrl() + "/" + key;
  }

  private HttpRequest.Builder request(String key, Duration timeout) {
    URI uri = uri(key);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    credentials.flatMap(c -> c.authorizationFor(uri)).ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  /**
   * {@code request} sent to {@code next}: the credentials only when {@code next} is the cache's own
   * scheme, host and port (RedirectPolicy allows nothing else, this keeps it so if it ever does).
   */
  private HttpRequest redirected(HttpRequest request, URI next) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(request, (name, value) -> !isAuthorization(name)).uri(next);
    credentials.flatMap(c -> c.authorizationFor(next)).ifPresent(a -> b.header("Authorization", a));
    return b.build();
  }

  private static boolean isAuthorization(String header) {
    return header.equalsIgnoreCase("Authorization");
  }

  @Override
  public boolean exists(String key) throws CacheException {
    return size(key).isPresent();
  }

  @Override
  public OptionalLong size(String key) throws CacheException {
    HttpRequest req =
        request(key, SMALL_REQUEST_TIMEOUT)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<Void> r = send("HEAD", key, req, HttpResponse.BodyHandlers.discarding(), true);
    if (!ok(r.statusCode())) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(r.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  @Override
  public Optional<byte[]> read(String key) throws CacheException {
    HttpRequest req = request(key, SMALL_REQUEST_TIMEOUT).GET().build();
    HttpResponse<byte[]> r =
        sendWith(
            "GET",
            key,
            req,
            request -> BoundedHttp.send(client, request, MAX_SMALL_FILE, SMALL_REQUEST_TIMEOUT),
            true);
    return ok(r.statusCode()) ? Optional.of(r.body()) : Optional.empty();
  }

  @Override
  public InputStream open(String key) throws CacheException {
    HttpRequest req = request(key, Duration.ofHours(1)).GET().build();
    HttpResponse<InputStream> r =
        send("GET", key, req, HttpResponse.BodyHandlers.ofInputStream(), true);
    if (!ok(r.statusCode())) {
      try {
        r.body().close();
      } catch (IOException ignored) {
        // Nothing to read from an absent file.
      }
      throw new CacheException(
          CacheException.Kind.FAILURE,
          "GET " + shown(key) + " answered " + r.statusCode(),
          new FileNotFoundException(key));
    }
    return r.body();
  }

  @Override
  public void write(String key, byte[] content, String contentType) throws CacheException {
    HttpRequest req =
        request(key, SMALL_REQUEST_TIMEOUT)
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
            .build();
    checkWritten(key, send("PUT", key, req, HttpResponse.BodyHandlers.discarding(), false));
  }

  @Override
  public void writeFile(String key, Path staged, String contentType) throws CacheException {
    try {
      long size = Files.size(staged);
      // Allow at least 1 MiB/s on top of the fixed timeout for large NARs.
      Duration timeout = SMALL_REQUEST_TIMEOUT.plusSeconds(size >> 20);
      HttpRequest req =
          request(key, timeout)
              .header("Content-Type", contentType)
              .PUT(HttpRequest.BodyPublishers.ofFile(staged))
              .build();
      checkWritten(key, send("PUT", key, req, HttpResponse.BodyHandlers.discarding(), false));
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "cannot read staged file " + staged + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException ignored) {
        // A leftover file in the temp directory is harmless.
      }
    }
  }

  private void checkWritten(String key, HttpResponse<?> r) throws CacheException {
    if (!ok(r.statusCode())) {
      throw clientError("PUT", key, r.statusCode());
    }
  }

  private static boolean ok(int status) {
    return status >= 200 && status < 300;
  }

  private CacheException clientError(String method, String key, int status) {
    CacheException.Kind kind =
        status == 401 || status == 403
            ? CacheException.Kind.AUTHENTICATION
            : CacheException.Kind.FAILURE;
    return new CacheException(
        kind, method + " " + shown(key) + " failed with HTTP status " + status);
  }

  /**
   * Sends with retries on transport errors, timeouts, 5xx and 429. For checks ({@code absentOk}),
   * 404 and 403 come back as answers; any other 4xx throws.
   */
  private <T> HttpResponse<T> send(
      String method,
      String key,
      HttpRequest req,
      HttpResponse.BodyHandler<T> handler,
      boolean absentOk)
      throws CacheException {
    return sendWith(method, key, req, request -> client.send(request, handler), absentOk);
  }

  /** One HTTP exchange, redirects not followed. */
  @FunctionalInterface
  private interface Exchange<T> {
    HttpResponse<T> send(HttpRequest request) throws IOException, InterruptedException;
  }

  /** {@code exchange}, with redirects followed under {@link RedirectPolicy}. */
  private <T> HttpResponse<T> followingRedirects(
      String method, String key, HttpRequest req, Exchange<T> exchange)
      throws IOException, InterruptedException, CacheException {
    HttpRequest current = req;
    for (int hop = 0; ; hop++) {
      HttpResponse<T> r = exchange.send(current);
      if (!RedirectPolicy.isRedirect(r.statusCode())) {
        return r;
      }
      discard(r);
      URI next;
      try {
        next = RedirectPolicy.follow(current.uri(), r.headers().firstValue("Location"), hop);
      } catch (RedirectPolicy.RefusedRedirect e) {
        throw new CacheException(
            CacheException.Kind.FAILURE, method + " " + shown(key) + ": " + e.getMessage(), e);
      }
      current = redirected(current, next);
    }
  }

  private <T> HttpResponse<T> sendWith(
      String method, String key, HttpRequest req, Exchange<T> exchange, boolean absentOk)
      throws CacheException {
    RetryPolicy.Retries retries = RETRIES.start();
    while (true) {
      String failure;
      IOException cause = null;
      try {
        HttpResponse<T> r = followingRedirects(method, key, req, exchange);
        int s = r.statusCode();
        if (s < 400 || (absentOk && (s == 404 || s == 403))) {
          return r;
        }
        if (s < 500 && s != 429) {
          discard(r);
          throw clientError(method, key, s);
        }
        discard(r);
        failure = method + " " + shown(key) + " failed with HTTP status " + s;
      } catch (IOException e) {
        cause = e;
        failure = method + " " + shown(key) + " failed: " + NetworkErrors.describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CacheException(
            CacheException.Kind.NETWORK, method + " " + shown(key) + " was interrupted", e);
      }
      Optional<Duration> pause = retries.next();
      if (pause.isEmpty()) {
        throw new CacheException(
            cause != null ? CacheException.Kind.NETWORK : CacheException.Kind.FAILURE,
            failure + " (after " + retries.attempts() + " attempts)",
            cause);
      }
      try {
        Thread.sleep(pause.get().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CacheException(CacheException.Kind.NETWORK, failure, e);
      }
    }
  }

  private static void discard(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // The body of an error answer is not needed.
      }
    }
  }

  @Override
  public Path stagingDirectory() throws CacheException {
    return staging.path();
  }

  @Override
  public String removeStaleTemporaries() {
    return Temporaries.cleanTemporaryDirectory();
  }

  @Override
  public int concurrency() {
    return CONCURRENCY;
  }

  /**
   * Closes the client where the JDK can: {@code HttpClient} is {@link AutoCloseable} from Java 21,
   * and closing it ends its selector thread at once. That thread waits in native code (epoll), and
   * the JVM's exit waits up to 0.3 s for threads in native code: measured, a JVM that spoke HTTP
   * ends 0.32–0.37 s after {@code System.exit} on Java 17 and on 25 without the close, 0.02 s with
   * it. Java 17 has no supported way to end the thread (no close(), and the thread is the JDK's):
   * there the client is left to the garbage collector, after which its thread ends by itself within
   * its 3 s select timeout, and a short CLI run pays the 0.3 s at exit. Running on Java 21+ (the
   * launcher prefers a newer JDK when one is installed) removes it.
   */
  private void closeClient() {
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // HttpClient.close() declares no exception; anything thrown is a JDK bug, not ours.
        throw new IllegalStateException("closing the HTTP client of " + url + " failed", e);
      }
    }
  }

  @Override
  public Optional<List<String>> listNarInfos() throws CacheException {
    Optional<List<Entry>> entries = listEntries();
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>();
    for (Entry e : entries.get()) {
      if (!e.key().contains("/")) {
        keys.add(e.key());
      }
    }
    keys.sort(null);
    return Optional.of(keys);
  }

  /**
   * The cache's files from the server's JSON directory index (nginx {@code autoindex on;
   * autoindex_format json;}: name, type, mtime, size), when it serves one; empty when the root
   * answers anything else, as most caches do (Nix itself never lists an HTTP cache).
   */
  @Override
  public Optional<List<Entry>> listEntries() throws CacheException {
    Optional<JsonNode> rootIndex = jsonIndex("");
    if (rootIndex.isEmpty()) {
      return Optional.empty();
    }
    List<Entry> out = new ArrayList<>();
    addEntries(rootIndex.get(), "", out);
    jsonIndex("nar/").ifPresent(nar -> addEntries(nar, "nar/", out));
    return Optional.of(out);
  }

  private static void addEntries(JsonNode index, String prefix, List<Entry> out) {
    for (JsonNode n : index) {
      String name = n.path("name").asText("");
      if (!n.path("type").asText("").equals("file") || name.startsWith(".")) {
        continue;
      }
      if (prefix.isEmpty() && !name.endsWith(".narinfo")) {
        continue;
      }
      Instant mtime;
      try {
        mtime =
            ZonedDateTime.parse(n.path("mtime").asText(""), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
      } catch (DateTimeParseException e) {
        // An entry without a readable time is treated as new: never collected by age.
        mtime = Instant.now();
      }
      out.add(new Entry(prefix + name, n.path("size").asLong(-1), mtime));
    }
  }

  private Optional<JsonNode> jsonIndex(String dir) throws CacheException {
    HttpRequest req =
        request(dir, Duration.ofMinutes(10)).header("Accept", "application/json").GET().build();
    HttpResponse<InputStream> r =
        send("GET", dir, req, HttpResponse.BodyHandlers.ofInputStream(), true);
    try (InputStream body = r.body()) {
      if (!ok(r.statusCode())
          || !r.headers().firstValue("Content-Type").orElse("").contains("json")) {
        return Optional.empty();
      }
      JsonNode index = JSON.readTree(body);
      return index != null && index.isArray() ? Optional.of(index) : Optional.empty();
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.NETWORK, "GET " + shown(dir) + ": cannot read the index: " + e, e);
    }
  }

  @Override
  public Optional<Instant> lastModified(String key) throws CacheException {
    HttpRequest req =
        request(key, SMALL_REQUEST_TIMEOUT)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<Void> r = send("HEAD", key, req, HttpResponse.BodyHandlers.discarding(), true);
    if (!ok(r.statusCode())) {
      return Optional.empty();
    }
    return r.headers()
        .firstValue("Last-Modified")
        .map(v -> ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
  }

  /** WebDAV DELETE (nginx {@code dav_methods PUT DELETE}), {@link #CONCURRENCY} at a time. */
  @Override
  public void delete(List<String> keys) throws CacheException {
    Futures.forEachKey(keys, CONCURRENCY, this::deleteOne);
  }

  private void deleteOne(String key) throws CacheException {
    HttpRequest req = request(key, SMALL_REQUEST_TIMEOUT).DELETE().build();
    HttpResponse<Void> r = send("DELETE", key, req, HttpResponse.BodyHandlers.discarding(), true);
    if (!ok(r.statusCode()) && r.statusCode() != 404) {
      throw clientError("DELETE", key, r.statusCode());
    }
  }

  @Override
  public synchronized void close() {
    closeClient();
    staging.close();
  }
}
