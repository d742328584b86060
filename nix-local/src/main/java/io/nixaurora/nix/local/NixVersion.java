package io.nixaurora.nix.local;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Nix release, as {@code nix-store --version} names it. nix-aurora reads Nix's output in the
 * shape each release prints it (for example {@code nix path-info --json}: a list before 2.19, an
 * object keyed by store path since, and {@code --json-format} since 2.33).
 */
public record NixVersion(int major, int minor, int patch) implements Comparable<NixVersion> {

  private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** The oldest release nix-aurora supports (Debian bookworm's). */
  public static final NixVersion OLDEST = new NixVersion(2, 8, 0);

  public NixVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("negative version number");
    }
  }

  /**
   * The version in what {@code nix-store --version} printed ({@code nix-store (Nix) 2.26.3}, also
   * {@code 2.34pre20250101_abc} or {@code 2.24.10-rc1}).
   *
   * @throws IllegalArgumentException when it names no version
   */
  public static NixVersion parse(String versionOutput) {
    Matcher m = NUMBER.matcher(versionOutput.lines().findFirst().orElse(""));
    if (!m.find()) {
      throw new IllegalArgumentException(
          "cannot read a Nix version from '" + versionOutput.strip() + "'");
    }
    return new NixVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  /** Whether this is {@code major.minor} or later. */
  public boolean atLeast(int major, int minor) {
    return compareTo(new NixVersion(major, minor, 0)) >= 0;
  }

  @Override
  public int compareTo(NixVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
