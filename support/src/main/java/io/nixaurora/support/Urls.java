package io.nixaurora.support;

import java.net.URI;

/** URLs as they may be shown: a password in the user info is never printed. */
public final class Urls {
  private Urls() {}

  /**
   * {@code uri} with the password of its user info replaced by {@code ***} ({@code
   * http://user:***@host/}); a URL without a password is shown as it is.
   */
  public static String shown(URI uri) {
    return uri == null ? "null" : shown(uri.toString());
  }

  /**
   * {@code text} with the password of every {@code scheme://user:password@} in it masked; for
   * messages that quote a URL the user typed (which may not even parse as a URL).
   */
  public static String shown(String text) {
    if (text == null) {
      return "null";
    }
    return text.replaceAll("(?i)([a-z][a-z0-9+.-]*://[^/@:\\s?#]*):[^/@\\s?#]*@", "$1:***@");
  }
}
