package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NetrcTest {

  @Test
  void netrcFindsTheMachineThenTheDefault() {
    Netrc netrc =
        Netrc.parse(
            "# comment\nmachine a.example login u1 password p1\nmacdef init\nmachine evil\n\n"
                + "default login d password dp\nmachine b.example\n login u2\n password p2\n");
    assertEquals(Optional.of(new Netrc.Credentials("u1", "p1")), netrc.lookup("a.example"));
    assertEquals(Optional.of(new Netrc.Credentials("u2", "p2")), netrc.lookup("B.EXAMPLE"));
    assertEquals(Optional.of(new Netrc.Credentials("d", "dp")), netrc.lookup("evil"));
    assertFalse(new Netrc.Credentials("u", "secret").toString().contains("secret"));
    assertEquals("Basic dTE6cDE=", new Netrc.Credentials("u1", "p1").basicAuthorization());
  }
}
