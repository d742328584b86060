package io.nixaurora.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Basic credentials bound to the one origin (scheme, host and port) they belong to: {@link
 * #authorizationFor} gives the header only for a URL of that origin, so no caller can send them to
 * another host, another port or over another scheme (a redirect, a leader elsewhere, a mirror).
 * {@link #toString()} never shows the password.
 */
public final class HostCredentials {

  private final URI origin;
  private final Netrc.Credentials credentials;

  private HostCredentials(URI origin, Netrc.Credentials credentials) {
    this.origin = origin;
    this.credentials = credentials;
  }

  /**
   * {@code credentials} for the origin of {@code url} only.
   *
   * @throws IllegalArgumentException when {@code url} names no scheme or host
   */
  public static HostCredentials forOrigin(URI url, Netrc.Credentials credentials) {
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("credentials need a URL with a scheme and host");
    }
    return new HostCredentials(url, credentials);
  }

  /**
   * The credentials in the user info of {@code url} ({@code http://user:password@host/}), as curl
   * and the aurora client take them; a user without a password has an empty one.
   */
  public static Optional<Netrc.Credentials> fromUserInfo(URI url) {
    String info = url.getUserInfo();
    if (info == null) {
      return Optional.empty();
    }
    int colon = info.indexOf(':');
    return Optional.of(
        colon < 0
            ? new Netrc.Credentials(info, "")
            : new Netrc.Credentials(info.substring(0, colon), info.substring(colon + 1)));
  }

  /** {@code url} without its user info, so that no URL shown or sent carries the password. */
  public static URI withoutUserInfo(URI url) {
    if (url.getRawUserInfo() == null) {
      return url;
    }
    try {
      return new URI(
          url.getScheme(),
          null,
          url.getHost(),
          url.getPort(),
          url.getPath(),
          url.getQuery(),
          url.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + Urls.shown(url), e);
    }
  }

  /** Whether {@code a} and {@code b} have the same scheme, host and port (default ports known). */
  public static boolean sameOrigin(URI a, URI b) {
    return lower(a.getScheme()).equals(lower(b.getScheme()))
        && a.getHost() != null
        && lower(a.getHost()).equals(lower(b.getHost()))
        && port(a) == port(b);
  }

  /** The {@code Authorization} header for a request to {@code url}: only on its own origin. */
  public Optional<String> authorizationFor(URI url) {
    return sameOrigin(origin, url)
        ? Optional.of(credentials.basicAuthorization())
        : Optional.empty();
  }

  /** The login (never the password). */
  public String login() {
    return credentials.login();
  }

  static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return switch (lower(u.getScheme())) {
      case "https" -> 443;
      case "http" -> 80;
      default -> -1;
    };
  }

  @Override
  public String toString() {
    return "HostCredentials[login="
        + credentials.login()
        + ", password=***, origin="
        + lower(origin.getScheme())
        + "://"
        + lower(origin.getHost())
        + ":"
        + port(origin)
        + "]";
  }
}
