package io.nixaurora.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A job key part or process name as one file-name component, for the places where they become paths
 * (GC roots, state files, sandboxes). Aurora accepts {@code .} and {@code ..} as names, and a
 * cluster may hold any character but {@code /}; used as they are, {@code ..} would climb a
 * directory and two keys could share one.
 *
 * <p>The mapping is one-to-one, so two different names never share a file:
 *
 * <ul>
 *   <li>ASCII letters, digits, {@code _}, {@code -} and a {@code .} that is not the first character
 *       stay as they are (every ordinary name is its own file name);
 *   <li>every other byte of the name's UTF-8, a leading {@code .} and {@code %} itself become
 *       {@code %XX};
 *   <li>a result longer than {@value #MAX_LENGTH} characters becomes its first 160 characters,
 *       {@code %%} (which the rules above never produce) and the SHA-256 of the name, so suffixes
 *       such as {@code .json} still fit the usual 255-byte limit.
 * </ul>
 */
public final class FileName {

  /** The longest component this returns. */
  public static final int MAX_LENGTH = 240;

  private FileName() {}

  /** {@code name} as a single, safe file-name component. */
  public static String of(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a file name needs a non-empty name");
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '_'
              || b == '-'
              || (b == '.' && i > 0);
      if (plain) {
        out.append((char) b);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) b));
      }
    }
    if (out.length() <= MAX_LENGTH) {
      return out.toString();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return out.substring(0, 160) + "%%" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The name {@link #of} made {@code fileName} from, or empty when it is not such a file name, or a
   * shortened one (which keeps only a hash of the name).
   */
  public static Optional<String> decode(String fileName) {
    if (fileName.isEmpty() || fileName.contains("%%")) {
      return Optional.empty();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c == '%') {
        if (i + 2 >= fileName.length()) {
          return Optional.empty();
        }
        try {
          bytes.write(HexFormat.fromHexDigits(fileName, i + 1, i + 3));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return Optional.empty();
      }
    }
    String name = bytes.toString(StandardCharsets.UTF_8);
    // Only a name that maps back to exactly this file name is the one it was made from.
    return of(name).equals(fileName) ? Optional.of(name) : Optional.empty();
  }
}
