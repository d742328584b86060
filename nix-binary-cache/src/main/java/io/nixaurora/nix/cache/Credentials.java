package io.nixaurora.nix.cache;

import io.nixaurora.support.HostCredentials;
import io.nixaurora.support.Netrc;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A login and password for an HTTP cache, from a netrc file or configuration. {@link #toString()}
 * never shows the password.
 */
public final class Credentials {

  private final String login;
  private final String password;

  public Credentials(String login, String password) {
    this.login = Objects.requireNonNull(login, "login");
    this.password = Objects.requireNonNull(password, "password");
  }

  public String login() {
    return login;
  }

  /** The {@code Authorization} header value (HTTP Basic). */
  String basicAuthorization() {
    return new Netrc.Credentials(login, password).basicAuthorization();
  }

  /** These credentials bound to the origin of {@code url}: sent nowhere else. */
  HostCredentials forOrigin(URI url) {
    return HostCredentials.forOrigin(url, new Netrc.Credentials(login, password));
  }

  /**
   * The credentials for {@code host} in the netrc file {@code netrc} ({@code machine HOST login L
   * password P}, else {@code default login L password P}); empty when the file is missing or has no
   * entry for the host.
   *
   * @throws IOException when the file exists but cannot be read
   */
  public static Optional<Credentials> fromNetrc(Path netrc, String host) throws IOException {
    // The one netrc reader (support), so the cache and the scheduler read a netrc file alike.
    return Netrc.read(netrc).lookup(host).map(c -> new Credentials(c.login(), c.password()));
  }

  @Override
  public String toString() {
    return "Credentials[" + login + ", password hidden]";
  }
}
