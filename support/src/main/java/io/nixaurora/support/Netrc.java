package io.nixaurora.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Credentials from a {@code .netrc} file, looked up by host as Python's {@code netrc} module does
 * for {@code requests}: the first {@code machine <host>} entry, else {@code default}. {@code
 * macdef} bodies are skipped, {@code #} comment lines too. The one netrc reader of nix-aurora (the
 * binary cache and the scheduler read the same file the same way).
 */
public final class Netrc {

  /** A login and password; the password never appears in {@link #toString()}. */
  public record Credentials(String login, String password) {
    /** The {@code Authorization} header value (HTTP Basic). */
    public String basicAuthorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[login=" + login + ", password=***]";
    }
  }

  private final String text;

  private Netrc(String text) {
    this.text = text;
  }

  /** Reads {@code file}; a missing file has no entries. */
  public static Netrc read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return new Netrc("");
    }
    return new Netrc(Files.readString(file));
  }

  public static Netrc parse(String text) {
    return new Netrc(text);
  }

  /** The credentials for {@code host}, if the file has any. */
  public Optional<Credentials> lookup(String host) {
    String[] lines = text.split("\n", -1);
    StringBuilder tokens = new StringBuilder();
    boolean inMacro = false;
    for (String line : lines) {
      if (inMacro) {
        if (line.isBlank()) {
          inMacro = false;
        }
        continue;
      }
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.startsWith("macdef")) {
        inMacro = true;
        continue;
      }
      tokens.append(line).append(' ');
    }
    String[] words = tokens.toString().trim().split("\\s+");
    Credentials found = null;
    Credentials fallback = null;
    int i = 0;
    while (i < words.length) {
      String word = words[i];
      if (word.equals("machine") || word.equals("default")) {
        String machine = null;
        if (word.equals("machine") && i + 1 < words.length) {
          machine = words[i + 1];
          i += 2;
        } else {
          i += 1;
        }
        String login = "";
        String password = null;
        while (i < words.length && !words[i].equals("machine") && !words[i].equals("default")) {
          if ((words[i].equals("login") || words[i].equals("user")) && i + 1 < words.length) {
            login = words[i + 1];
            i += 2;
          } else if (words[i].equals("password") && i + 1 < words.length) {
            password = words[i + 1];
            i += 2;
          } else {
            i += 1;
          }
        }
        if (password != null) {
          Credentials c = new Credentials(login, password);
          if (machine == null) {
            if (fallback == null) {
              fallback = c;
            }
          } else if (machine.equalsIgnoreCase(host) && found == null) {
            found = c;
          }
        }
      } else {
        i++;
      }
    }
    return Optional.ofNullable(found != null ? found : fallback);
  }
}
