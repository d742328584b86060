package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The decision of the one redirect policy; the HTTP-level tests are in each backend. */
@Timeout(30)
class RedirectPolicyTest {

  private static URI follow(String from, String location) throws RedirectPolicy.RefusedRedirect {
    return RedirectPolicy.follow(URI.create(from), Optional.of(location), 0);
  }

  private static String refusal(String from, String location) {
    return assertThrows(RedirectPolicy.RefusedRedirect.class, () -> follow(from, location))
        .getMessage();
  }

  @Test
  void theSameSchemeHostAndPortIsFollowed() throws Exception {
    assertEquals(
        URI.create("https://cache.example/b/x"), follow("https://cache.example/a/x", "/b/x"));
    assertEquals(
        URI.create("https://CACHE.example:443/b"),
        follow("https://cache.example/a", "https://CACHE.example:443/b"));
    assertEquals(URI.create("http://h:8080/api"), follow("http://h:8080/x", "http://h:8080/api"));
  }

  @Test
  void anotherHostIsRefusedNamingBothUrls() {
    String m = refusal("https://cache.example/x", "https://evil.example/x");
    assertTrue(m.contains("https://cache.example/x"), m);
    assertTrue(m.contains("https://evil.example/x"), m);
    assertTrue(m.contains("another host"), m);
    assertFalse(m.contains("\n"), m);
  }

  @Test
  void anotherPortIsRefused() {
    assertTrue(refusal("http://h:8080/x", "http://h:8081/x").contains("another port"));
    assertTrue(refusal("http://h/x", "http://h:8080/x").contains("another port"));
  }

  @Test
  void aDowngradeToPlainHttpIsRefusedEvenOnTheSameHost() {
    assertTrue(
        refusal("https://cache.example/x", "http://cache.example/x")
            .contains("downgrades https to plain http"));
  }

  @Test
  void anotherSchemeIsRefused() {
    assertTrue(refusal("http://h/x", "https://h/x").contains("changes the scheme"));
    assertTrue(refusal("http://h/x", "ftp://h/x").contains("changes the scheme"));
  }

  @Test
  void userInfoIsNeverShownAndOtherUserInfoIsRefused() {
    String m = refusal("https://u:secret@h/x", "https://other:pw2@h/x");
    assertFalse(m.contains("secret"), m);
    assertFalse(m.contains("pw2"), m);
  }

  @Test
  void aMissingLocationOrTooManyHopsIsRefused() {
    assertThrows(
        RedirectPolicy.RefusedRedirect.class,
        () -> RedirectPolicy.follow(URI.create("http://h/x"), Optional.empty(), 0));
    assertThrows(
        RedirectPolicy.RefusedRedirect.class,
        () ->
            RedirectPolicy.follow(
                URI.create("http://h/x"), Optional.of("/y"), RedirectPolicy.MAX_REDIRECTS));
  }
}
