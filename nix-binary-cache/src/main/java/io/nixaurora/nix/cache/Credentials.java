package io.nixaurora.nix.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The credentials for {@code host} in the netrc file {@code netrc} ({@code machine HOST login L
   * password P}, else {@code default login L password P}); empty when the file is missing or has no
   * entry for the host.
   *
   * @throws IOException when the file exists but cannot be read
   */
  public static Optional<Credentials> fromNetrc(Path netrc, String host) throws IOException {
    if (!Files.isRegularFile(netrc)) {
      return Optional.empty();
    }
    String[] tokens = Files.readString(netrc, StandardCharsets.UTF_8).trim().split("\\s+");
    Credentials fallback = null;
    int i = 0;
    while (i < tokens.length) {
      String t = tokens[i];
      if (t.equals("machine") || t.equals("default")) {
        String machine = t.equals("machine") && i + 1 < tokens.length ? tokens[++i] : null;
        String login = null;
        String password = null;
        i++;
        while (i < tokens.length && !tokens[i].equals("machine") && !tokens[i].equals("default")) {
          if (tokens[i].equals("login") && i + 1 < tokens.length) {
            login = tokens[++i];
          } else if (tokens[i].equals("password") && i + 1 < tokens.length) {
            password = tokens[++i];
          }
          i++;
        }
        if (login != null && password != null) {
          if (machine == null) {
            fallback = fallback == null ? new Credentials(login, password) : fallback;
          } else if (machine.equalsIgnoreCase(host)) {
            return Optional.of(new Credentials(login, password));
          }
        }
      } else {
        i++;
      }
    }
    return Optional.ofNullable(fallback);
  }

  @Override
  public String toString() {
    return "Credentials[" + login + ", password hidden]";
  }
}
