package io.nixaurora.nix.cache;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A binary cache address in Nix's URL syntax: {@code file:///dir} or {@code
 * http(s)://host[:port]/prefix}, with optional query parameters such as {@code
 * ?compression=zstd&secret-key=/path/sk}. Parameters other than these two are kept and ignored.
 *
 * <p>{@link #toString()} shows the address without user info and without parameters.
 */
public final class CacheUrl {

  private final String scheme;
  private final URI base;
  private final Map<String, String> parameters;

  private CacheUrl(String scheme, URI base, Map<String, String> parameters) {
    this.scheme = scheme;
    this.base = base;
    this.parameters = Collections.unmodifiableMap(parameters);
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the URL when it is not a file or http(s) URL
   */
  public static CacheUrl parse(String text) {
    Objects.requireNonNull(text, "cache url");
    String main = text;
    String query = null;
    int q = text.indexOf('?');
    if (q >= 0) {
      main = text.substring(0, q);
      query = text.substring(q + 1);
    }
    URI uri;
    try {
      uri = new URI(main);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cache url '" + text + "': " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    switch (scheme) {
      case "file" -> {
        if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getAuthority() != null) {
          throw new IllegalArgumentException(
              "cache url '" + text + "': a file cache is file:///absolute/dir");
        }
      }
      case "http", "https" -> {
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("cache url '" + main + "': no host");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "cache url '"
                  + main
                  + "': unsupported scheme (use file:///dir, http://host/… or https://host/…)");
    }
    // Nix strips trailing slashes from the cache root.
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!scheme.equals("file") && path.equals("/")) {
      path = "";
    }
    URI clean =
        URI.create(
            scheme + "://" + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority()) + path);
    Map<String, String> params = new LinkedHashMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    if (params.containsKey("compression")) {
      Compression.named(params.get("compression"));
    }
    return new CacheUrl(scheme, clean, params);
  }

  /** {@code file}, {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Whether this is a {@code file://} cache. */
  public boolean isFile() {
    return scheme.equals("file");
  }

  /** The cache directory of a {@code file://} cache. */
  public Path directory() {
    if (!isFile()) {
      throw new IllegalStateException(this + " is not a file cache");
    }
    return Path.of(base.getPath());
  }

  /** The root without parameters, user info included (for HTTP requests). */
  public URI base() {
    return base;
  }

  /** The {@code compression} parameter, if given. */
  public Optional<Compression> compression() {
    return Optional.ofNullable(parameters.get("compression")).map(Compression::named);
  }

  /** The {@code secret-key} parameter (a file), if given. */
  public Optional<Path> secretKeyFile() {
    return Optional.ofNullable(parameters.get("secret-key")).map(Path::of);
  }

  /** All query parameters. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /**
   * The URL agents put in {@code substituters}: the root without our push parameters (which would
   * not match the daemon's list) and without user info (which agents read from their netrc).
   */
  public String substituterUrl() {
    if (isFile()) {
      return "file://" + base.getRawPath();
    }
    return scheme
        + "://"
        + base.getHost()
        + (base.getPort() >= 0 ? ":" + base.getPort() : "")
        + base.getRawPath();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheUrl u && base.equals(u.base) && parameters.equals(u.parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, parameters);
  }

  @Override
  public String toString() {
    return substituterUrl();
  }
}
