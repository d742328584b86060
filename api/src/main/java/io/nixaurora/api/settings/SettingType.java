package io.nixaurora.api.settings;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The type of a backend setting: what text it accepts and how that text reads as a value. */
public enum SettingType {
  /** Any non-empty text. */
  STRING("text"),
  /** A file or directory name; relative names are resolved against the working directory. */
  PATH("path"),
  /** An absolute URL with a scheme. */
  URL("url"),
  /** A whole number, zero or more. */
  INTEGER("int"),
  /** {@code true} or {@code false}. */
  BOOLEAN("bool"),
  /**
   * Seconds ({@code 90}, {@code 1.5}) or a number with a unit: {@code ms}, {@code s}, {@code m},
   * {@code h}.
   */
  DURATION("duration"),
  /**
   * Bytes ({@code 1048576}) or a number with a unit: {@code K}, {@code M}, {@code G} (powers of
   * 1024).
   */
  SIZE("size"),
  /** One of the declaration's {@link SettingDeclaration#allowed()} values. */
  ENUM("enum");

  private final String shortName;

  SettingType(String shortName) {
    this.shortName = shortName;
  }

  /** A word for tables ({@code text}, {@code bool}, {@code int}, ...). */
  public String shortName() {
    return shortName;
  }

  /**
   * Checks {@code text} for this type.
   *
   * @param allowed the allowed values, for {@link #ENUM}
   * @return the problem in a few words, or empty when the text is fine
   */
  public Optional<String> problem(String text, List<String> allowed) {
    if (text.isEmpty()) {
      return Optional.of("must not be empty");
    }
    try {
      switch (this) {
        case PATH -> Path.of(text);
        case URL -> {
          URI uri = new URI(text);
          if (uri.getScheme() == null) {
            return Optional.of("expected a URL with a scheme (https://...)");
          }
        }
        case INTEGER -> {
          if (Long.parseLong(text) < 0) {
            return Optional.of("expected a non-negative integer, got " + text);
          }
        }
        case BOOLEAN -> {
          if (!text.equals("true") && !text.equals("false")) {
            return Optional.of("expected true or false, got '" + text + "'");
          }
        }
        case DURATION -> duration(text);
        case SIZE -> size(text);
        case ENUM -> {
          if (!allowed.contains(text)) {
            return Optional.of(
                "expected one of " + String.join(", ", allowed) + ", got '" + text + "'");
          }
        }
        default -> {}
      }
    } catch (InvalidPathException e) {
      return Optional.of("not a path: '" + text + "'");
    } catch (URISyntaxException e) {
      return Optional.of("not a URL: " + e.getReason());
    } catch (NumberFormatException e) {
      return Optional.of("expected an integer, got '" + text + "'");
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Reads a {@link #DURATION}: a plain number is seconds.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    long unitMillis = 1000;
    String number = t;
    if (t.endsWith("ms")) {
      unitMillis = 1;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unitMillis = 60_000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      unitMillis = 3_600_000;
      number = t.substring(0, t.length() - 1);
    }
    try {
      BigDecimal value = new BigDecimal(number.strip());
      if (value.signum() < 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(value.multiply(BigDecimal.valueOf(unitMillis)).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "expected seconds (90, 1.5) or a duration with a unit (500ms, 30s, 5m, 1h), got '"
              + text
              + "'");
    }
  }

  /**
   * Reads a {@link #SIZE} in bytes.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static long size(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    int shift = 0;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> shift = 10;
        case 'M' -> shift = 20;
        case 'G' -> shift = 30;
        default -> {}
      }
    }
    String number = shift == 0 ? t : t.substring(0, t.length() - 1);
    try {
      long value = Long.parseLong(number.strip());
      if (value < 0 || value > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a size in bytes or with a unit (512K, 64M, 2G), got '" + text + "'");
    }
  }
}
