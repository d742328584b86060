package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HostCredentialsTest {

  private static final Netrc.Credentials PUSHER = new Netrc.Credentials("pusher", "s3cret");
  private static final String HEADER = "Basic cHVzaGVyOnMzY3JldA==";

  @Test
  void theHeaderGoesOnlyToTheOriginTheCredentialsBelongTo() {
    HostCredentials c = HostCredentials.forOrigin(URI.create("https://cache.example/nix"), PUSHER);

    assertEquals(Optional.of(HEADER), c.authorizationFor(URI.create("https://cache.example/x")));
    assertEquals(
        Optional.of(HEADER), c.authorizationFor(URI.create("https://CACHE.example:443/nix/y")));
    // Another host, a subdomain, another port, another scheme (a downgrade included): nothing.
    for (String other :
        new String[] {
          "https://mirror.example/nix/x",
          "https://evil.cache.example/x",
          "https://cache.example.evil/x",
          "https://cache.example:8443/x",
          "http://cache.example/x",
          "http://cache.example:443/x",
          "ftp://cache.example/x",
          "/relative/x"
        }) {
      assertEquals(Optional.empty(), c.authorizationFor(URI.create(other)), other);
    }
  }

  @Test
  void defaultPortsAreTheSameOriginAsNamedOnes() {
    assertTrue(
        HostCredentials.sameOrigin(
            URI.create("http://127.0.0.1/api"), URI.create("http://127.0.0.1:80/leader")));
    assertFalse(
        HostCredentials.sameOrigin(
            URI.create("http://127.0.0.1:8081/"), URI.create("http://127.0.0.1:8082/")));
  }

  @Test
  void userInfoIsTakenOutOfTheUrl() {
    URI url = URI.create("http://aurora:p%40ss@scheduler:8081/api?x=1");

    assertEquals(
        Optional.of(new Netrc.Credentials("aurora", "p@ss")), HostCredentials.fromUserInfo(url));
    assertEquals(URI.create("http://scheduler:8081/api?x=1"), HostCredentials.withoutUserInfo(url));
    assertEquals(
        Optional.of(new Netrc.Credentials("aurora", "")),
        HostCredentials.fromUserInfo(URI.create("http://aurora@scheduler/")));
    assertEquals(Optional.empty(), HostCredentials.fromUserInfo(URI.create("http://scheduler/")));
  }

  @Test
  void thePasswordIsNeverShown() {
    HostCredentials c = HostCredentials.forOrigin(URI.create("http://cache:8080/"), PUSHER);

    assertFalse(c.toString().contains("s3cret"), c.toString());
    assertTrue(c.toString().contains("pusher"), c.toString());
  }
}
