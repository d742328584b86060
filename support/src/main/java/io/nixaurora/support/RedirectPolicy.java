package io.nixaurora.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The one redirect policy of every HTTP client in nix-aurora (binary caches and the scheduler): a
 * redirect is followed only when it stays on the same scheme, host and port as the request it
 * answers. So credentials, which are sent only to the host they belong to, never reach another
 * server, and https is never downgraded to http. Anything else is refused with one line naming both
 * URLs (without user info), rather than followed or silently reported as a success at the first
 * URL.
 *
 * <p>Why not follow to another host without credentials: a cache that redirects uploads elsewhere
 * would then receive the NARs there, unauthenticated, while the push is reported as done to the
 * configured URL; a scheduler that redirects elsewhere is not the scheduler the user configured.
 */
public final class RedirectPolicy {

  /** Redirects followed for one request before giving up. */
  public static final int MAX_REDIRECTS = 5;

  private RedirectPolicy() {}

  /** A redirect the policy does not follow; the message names both URLs. */
  public static final class RefusedRedirect extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedRedirect(String message) {
      super(message);
    }
  }

  /** Whether {@code status} is a redirect the policy considers (301, 302, 303, 307, 308). */
  public static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * The URL to follow from {@code from} to the {@code Location} header {@code location}.
   *
   * @param hop how many redirects this request already followed
   * @throws RefusedRedirect when the location is missing or malformed, leaves the scheme, host or
   *     port of {@code from}, or when more than {@link #MAX_REDIRECTS} were followed
   */
  public static URI follow(URI from, Optional<String> location, int hop) throws RefusedRedirect {
    if (location.isEmpty() || location.get().isBlank()) {
      throw new RefusedRedirect(
          Urls.shown(from) + " answered a redirect without a Location header");
    }
    URI to;
    try {
      to = from.resolve(new URI(location.get().strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new RefusedRedirect(
          Urls.shown(from)
              + " redirects to a malformed URL '"
              + SafeText.escape(SafeText.cut(location.get(), 200))
              + "'");
    }
    if (hop >= MAX_REDIRECTS) {
      throw new RefusedRedirect(
          "too many redirects (more than "
              + MAX_REDIRECTS
              + "), the last from "
              + Urls.shown(from)
              + " to "
              + Urls.shown(to));
    }
    String why = whyRefused(from, to);
    if (why != null) {
      throw new RefusedRedirect(
          "refused the redirect from "
              + Urls.shown(from)
              + " to "
              + Urls.shown(to)
              + ": "
              + why
              + " (nix-aurora follows redirects only to the same scheme, host and port)");
    }
    return to;
  }

  /** Why a redirect from {@code from} to {@code to} is refused, or null when it is allowed. */
  static String whyRefused(URI from, URI to) {
    String fromScheme = HostCredentials.lower(from.getScheme());
    String toScheme = HostCredentials.lower(to.getScheme());
    if (fromScheme.equals("https") && toScheme.equals("http")) {
      return "it downgrades https to plain http";
    }
    if (!fromScheme.equals(toScheme)) {
      return "it changes the scheme";
    }
    if (!HostCredentials.lower(from.getHost()).equals(HostCredentials.lower(to.getHost()))) {
      return "it leads to another host";
    }
    if (HostCredentials.port(from) != HostCredentials.port(to)) {
      return "it leads to another port";
    }
    if (to.getRawUserInfo() != null && !to.getRawUserInfo().equals(from.getRawUserInfo())) {
      return "it names other user info";
    }
    return null;
  }
}
