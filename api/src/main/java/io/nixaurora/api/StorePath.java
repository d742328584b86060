package io.nixaurora.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated Nix store path: {@code /nix/store/<32 nix-base32 chars>-<name>}.
 *
 * <p>The hash part uses Nix's base32 alphabet (no {@code e}, {@code o}, {@code u}, {@code t}); the
 * name is 1 to 211 characters of {@code [A-Za-z0-9+\-._?=]} and does not start with a dot. Because
 * of these rules a store path is always safe to put into a shell command unquoted.
 */
public final class StorePath implements Comparable<StorePath> {

  /** The only store directory nix-aurora supports. */
  public static final String STORE_DIR = "/nix/store";

  private static final Pattern HASH = Pattern.compile("[0-9a-df-np-sv-z]{32}");
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9+\\-_?=][A-Za-z0-9+\\-._?=]{0,210}");

  private final String hashPart;
  private final String name;

  private StorePath(String hashPart, String name) {
    this.hashPart = hashPart;
    this.name = name;
  }

  /** Parses an absolute store path; throws {@link IllegalArgumentException} naming the problem. */
  public static StorePath of(String path) {
    Objects.requireNonNull(path, "store path");
    String prefix = STORE_DIR + "/";
    if (!path.startsWith(prefix)) {
      throw new IllegalArgumentException("store path: '" + path + "' is not in " + STORE_DIR);
    }
    return fromBaseName(path.substring(prefix.length()));
  }

  /** Parses the base name {@code <hash>-<name>} of a store path. */
  public static StorePath fromBaseName(String baseName) {
    Objects.requireNonNull(baseName, "store path");
    if (baseName.length() < 34 || baseName.charAt(32) != '-') {
      throw new IllegalArgumentException(
          "store path: '" + baseName + "' is not of the form <32-char hash>-<name>");
    }
    String hash = baseName.substring(0, 32);
    String name = baseName.substring(33);
    if (!HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException("store path: hash part '" + hash + "' is not nix-base32");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "store path: name '"
              + name
              + "' must be 1-211 characters of [A-Za-z0-9+-._?=] not starting with '.'");
    }
    return new StorePath(hash, name);
  }

  /** Whether {@code path} is a valid store path. */
  public static boolean isValid(String path) {
    try {
      of(path);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The 32-character nix-base32 hash part. */
  public String hashPart() {
    return hashPart;
  }

  /** The name after the hash. */
  public String name() {
    return name;
  }

  /** {@code <hash>-<name>}. */
  public String baseName() {
    return hashPart + "-" + name;
  }

  @Override
  public int compareTo(StorePath other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorePath other
        && hashPart.equals(other.hashPart)
        && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hashPart, name);
  }

  @Override
  public String toString() {
    return STORE_DIR + "/" + hashPart + "-" + name;
  }
}
