package io.nixaurora.nix.cache;

import io.nixaurora.support.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A binary cache address in Nix's URL syntax: {@code file:///dir} or {@code
 * http(s)://host[:port]/prefix}, with optional query parameters such as {@code
 * ?compression=zstd&secret-key=/path/sk}. The other parameters Nix 2.8 knows for binary caches are
 * kept and ignored; an unknown one (a misspelling such as {@code compresion}) is refused with the
 * closest known name.
 *
 * <p>A {@code file://} URL's path is taken literally, {@code %} escapes included, as Nix 2.8 does:
 * {@code file:///srv/cache%20x} is the directory {@code /srv/cache%20x}, for the push as for the
 * agents' Nix, never {@code /srv/cache x}.
 *
 * <p>{@link #toString()} shows the address without user info and without parameters; messages never
 * show a password.
 */
public final class CacheUrl {

  /** The parameters of Nix 2.8's binary cache stores (and every store) that a URL may carry. */
  static final List<String> KNOWN_PARAMETERS =
      List.of(
          "compression",
          "secret-key",
          "write-nar-listing",
          "index-debug-info",
          "local-nar-cache",
          "parallel-compression",
          "compression-level",
          "path-info-cache-size",
          "priority",
          "want-mass-query",
          "system-features");

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
    // Every message below quotes the URL: never with its password.
    String shown = Urls.shown(text);
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
      throw new IllegalArgumentException(
          "cache url '" + shown + "': " + Urls.shown(e.getMessage()), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    switch (scheme) {
      case "file" -> {
        if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getAuthority() != null) {
          throw new IllegalArgumentException(
              "cache url '" + shown + "': a file cache is file:///absolute/dir");
        }
      }
      case "http", "https" -> {
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("cache url '" + Urls.shown(main) + "': no host");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "cache url '"
                  + Urls.shown(main)
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
    for (String k : params.keySet()) {
      if (!KNOWN_PARAMETERS.contains(k)) {
        String closest = closest(k);
        throw new IllegalArgumentException(
            "cache url '"
                + shown
                + "': unknown parameter '"
                + k
                + "'"
                + (closest == null
                    ? " (known: " + String.join(", ", KNOWN_PARAMETERS) + ")"
                    : "; did you mean '" + closest + "'?"));
      }
    }
    if (params.containsKey("compression")) {
      Compression.named(params.get("compression"));
    }
    return new CacheUrl(scheme, clean, params);
  }

  /** The known parameter closest to {@code name} (at most 3 edits away), or null. */
  private static String closest(String name) {
    String best = null;
    int bestDistance = 4;
    for (String known : KNOWN_PARAMETERS) {
      int d = distance(name.toLowerCase(Locale.ROOT), known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
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
    // Literally, as Nix 2.8 does (it does not decode % escapes in file:// URLs).
    return Path.of(base.getRawPath());
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
