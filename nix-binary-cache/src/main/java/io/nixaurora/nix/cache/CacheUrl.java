package io.nixaurora.nix.cache;

import io.nixaurora.support.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A binary cache address in Nix's URL syntax: {@code file:///dir}, {@code
 * http(s)://host[:port]/prefix} or {@code s3://bucket[/prefix]}, with optional query parameters
 * such as {@code ?compression=zstd&secret-key=/path/sk}. For S3 the parameters Nix's S3 store reads
 * keep Nix's meaning: {@code region} (default us-east-1), {@code endpoint} (an S3-compatible
 * server, host[:port] or a URL; path-style requests), {@code scheme} (http or https for a
 * host[:port] endpoint, default https) and {@code profile} (the credentials profile; default the
 * AWS default chain), plus {@code acl}. The other parameters Nix 2.8 knows for binary caches are
 * kept and ignored; an unknown one (a misspelling such as {@code compresion}) is refused with the
 * closest known name.
 *
 * <p>A {@code file://} URL with a {@code %} in its path is refused: Nix 2.8 reads {@code
 * file:///srv/cache%20x} as the directory {@code /srv/cache%20x}, Nix 2.26 and later as {@code
 * /srv/cache x}, so agents of different versions would look in different directories. Any other
 * path is the same directory for the push and for every agent's Nix.
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

  /** The parameters of Nix's S3 store, and the object ACL of ours, for {@code s3://} URLs. */
  static final List<String> S3_PARAMETERS =
      List.of("region", "endpoint", "scheme", "profile", "acl");

  /** S3's canned ACLs for objects. */
  private static final List<String> CANNED_ACLS =
      List.of(
          "private",
          "public-read",
          "public-read-write",
          "authenticated-read",
          "aws-exec-read",
          "bucket-owner-read",
          "bucket-owner-full-control");

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
        if (uri.getRawPath().contains("%")) {
          throw new IllegalArgumentException(
              "cache url '"
                  + shown
                  + "': a % in a file:// path is read literally by Nix 2.8 and decoded by Nix"
                  + " 2.26 and later, so agents would disagree on the directory; name a directory"
                  + " without %, spaces or other escaped characters");
        }
      }
      case "http", "https" -> {
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("cache url '" + Urls.shown(main) + "': no host");
        }
      }
      case "s3" -> {
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
          throw new IllegalArgumentException("cache url '" + main + "': no bucket (s3://BUCKET)");
        }
        if (uri.getRawUserInfo() != null) {
          throw new IllegalArgumentException(
              "cache url '"
                  + main
                  + "': an s3 URL carries no credentials (they come from the AWS environment"
                  + " or ~/.aws/credentials)");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "cache url '"
                  + Urls.shown(main)
                  + "': unsupported scheme (use file:///dir, http://host/…, https://host/… or"
                  + " s3://bucket/…)");
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
    List<String> known = new ArrayList<>(KNOWN_PARAMETERS);
    if (scheme.equals("s3")) {
      known.addAll(S3_PARAMETERS);
    }
    for (String k : params.keySet()) {
      if (!known.contains(k)) {
        String closest = closest(k, known);
        throw new IllegalArgumentException(
            "cache url '"
                + shown
                + "': unknown parameter '"
                + k
                + "'"
                + (closest == null
                    ? " (known: " + String.join(", ", known) + ")"
                    : "; did you mean '" + closest + "'?"));
      }
    }
    if (params.containsKey("compression")) {
      Compression.named(params.get("compression"));
    }
    CacheUrl parsed = new CacheUrl(scheme, clean, params);
    if (parsed.isS3()) {
      String s3scheme = params.getOrDefault("scheme", "https");
      if (!s3scheme.equals("http") && !s3scheme.equals("https")) {
        throw new IllegalArgumentException(
            "cache url '" + main + "': scheme=" + s3scheme + " (expected http or https)");
      }
      // Reject a bad endpoint now, with the URL named, not at the first request.
      parsed.s3Endpoint();
      String acl = params.get("acl");
      if (acl != null && !CANNED_ACLS.contains(acl)) {
        throw new IllegalArgumentException(
            "cache url '" + main + "': acl=" + acl + " (expected one of " + CANNED_ACLS + ")");
      }
    }
    return parsed;
  }

  /** The known parameter closest to {@code name} (at most 3 edits away), or null. */
  private static String closest(String name, List<String> candidates) {
    String best = null;
    int bestDistance = 4;
    for (String known : candidates) {
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

  /** {@code file}, {@code http}, {@code https} or {@code s3}. */
  public String scheme() {
    return scheme;
  }

  /** Whether this is a {@code file://} cache. */
  public boolean isFile() {
    return scheme.equals("file");
  }

  /** Whether this is an {@code s3://} cache. */
  public boolean isS3() {
    return scheme.equals("s3");
  }

  /** The bucket of an {@code s3://} cache. */
  public String bucket() {
    if (!isS3()) {
      throw new IllegalStateException(this + " is not an S3 cache");
    }
    return base.getRawAuthority();
  }

  /**
   * The key prefix of an {@code s3://bucket/prefix} cache: empty, or the prefix with a trailing
   * slash ({@code prefix/}), so that keys are {@code prefix + key}.
   */
  public String s3Prefix() {
    if (!isS3()) {
      throw new IllegalStateException(this + " is not an S3 cache");
    }
    String p = base.getPath() == null ? "" : base.getPath();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.isEmpty() ? "" : p + "/";
  }

  /** The {@code region} parameter of an S3 cache; us-east-1 when not given, as in Nix. */
  public String s3Region() {
    String r = parameters.get("region");
    return r == null || r.isBlank() ? "us-east-1" : r;
  }

  /**
   * The {@code acl} parameter of an S3 cache (ours, not Nix's): the canned ACL every object is
   * written with, such as {@code public-read}, if given.
   */
  public Optional<String> s3Acl() {
    return Optional.ofNullable(parameters.get("acl")).filter(p -> !p.isBlank());
  }

  /** The {@code profile} parameter of an S3 cache (a credentials profile), if given. */
  public Optional<String> s3Profile() {
    return Optional.ofNullable(parameters.get("profile")).filter(p -> !p.isBlank());
  }

  /**
   * The S3-compatible server of an S3 cache: {@code endpoint} as a URL ({@code scheme}, default
   * https, completes a host[:port]), or empty for AWS itself.
   *
   * @throws IllegalArgumentException naming the parameter when it is not a host or URL
   */
  public Optional<URI> s3Endpoint() {
    String e = parameters.get("endpoint");
    if (e == null || e.isBlank()) {
      return Optional.empty();
    }
    String text = e.contains("://") ? e : parameters.getOrDefault("scheme", "https") + "://" + e;
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    try {
      URI u = new URI(text);
      if (u.getHost() == null
          || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getRawUserInfo() != null) {
        throw new URISyntaxException(text, "expected host[:port] or http(s)://host[:port]");
      }
      return Optional.of(u);
    } catch (URISyntaxException ex) {
      throw new IllegalArgumentException(
          "cache url parameter endpoint='" + e + "': " + ex.getMessage(), ex);
    }
  }

  /**
   * The {@code s3://} URL an agent whose Nix has S3 support substitutes from: the bucket with Nix's
   * {@code region}, {@code endpoint} and {@code scheme} (not the push's profile, key or
   * compression).
   */
  public String nixS3Url() {
    StringBuilder b = new StringBuilder("s3://").append(bucket());
    List<String> q = new ArrayList<>();
    for (String k : List.of("region", "endpoint", "scheme")) {
      if (parameters.containsKey(k)) {
        q.add(k + "=" + URLEncoder.encode(parameters.get(k), StandardCharsets.UTF_8));
      }
    }
    if (!q.isEmpty()) {
      b.append('?').append(String.join("&", q));
    }
    return b.toString();
  }

  /** The cache directory of a {@code file://} cache. */
  public Path directory() {
    if (!isFile()) {
      throw new IllegalStateException(this + " is not a file cache");
    }
    // No % escapes (refused by parse), so the raw path is the directory for every Nix version.
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
    if (isS3()) {
      // The bucket's HTTP endpoint, which any Nix can substitute from when the bucket allows
      // anonymous reads: path-style on an S3-compatible server, virtual-hosted on AWS.
      String prefix =
          s3Prefix().isEmpty() ? "" : "/" + s3Prefix().substring(0, s3Prefix().length() - 1);
      Optional<URI> endpoint = s3Endpoint();
      if (endpoint.isPresent()) {
        URI e = endpoint.get();
        return e.getScheme()
            + "://"
            + e.getRawAuthority()
            + (e.getRawPath() == null ? "" : e.getRawPath())
            + "/"
            + bucket()
            + prefix;
      }
      return "https://" + bucket() + ".s3." + s3Region() + ".amazonaws.com" + prefix;
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
    if (isS3()) {
      return "s3://"
          + bucket()
          + (s3Prefix().isEmpty() ? "" : "/" + s3Prefix().substring(0, s3Prefix().length() - 1));
    }
    return substituterUrl();
  }
}
