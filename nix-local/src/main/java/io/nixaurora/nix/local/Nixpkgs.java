package io.nixaurora.nix.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pinned package set for a job's {@code pkgs} (the {@code nixpkgs} setting, {@code --nixpkgs}): a
 * directory or file Nix imports (a nixpkgs checkout, {@code import PATH { system }}), or a flake
 * reference whose {@code legacyPackages.<system>} is used ({@code github:NixOS/nixpkgs/<rev>},
 * {@code path:/src/nixpkgs}). Without one, {@code pkgs} is {@code <nixpkgs>} from {@code NIX_PATH},
 * else the offline stand-in.
 */
public sealed interface Nixpkgs {

  /** A directory holding {@code default.nix}, or a {@code .nix} file, imported with the system. */
  record Imported(Path path) implements Nixpkgs {
    public Imported {
      Objects.requireNonNull(path, "path");
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("the nixpkgs path must be absolute: " + path);
      }
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  /** A flake reference; its {@code legacyPackages.<system>}, else the flake imported. */
  record Flake(String ref) implements Nixpkgs {
    public Flake {
      Objects.requireNonNull(ref, "ref");
      if (ref.isBlank()) {
        throw new IllegalArgumentException("the nixpkgs flake reference is empty");
      }
    }

    @Override
    public String toString() {
      return ref;
    }
  }

  /**
   * Reads a {@code nixpkgs} value: a path (absolute, {@code ./…}, {@code ../…}, {@code ~/…}, or an
   * existing file or directory under {@code base}) is imported, or read as a {@code path:} flake
   * when the directory holds a {@code flake.nix} but no {@code default.nix}; anything else (with a
   * scheme such as {@code github:}, or a registry name such as {@code nixpkgs}) is a flake
   * reference. A relative {@code path:} reference is made absolute against {@code base}.
   *
   * @param base the directory relative paths are resolved against
   * @param home the user's home, for {@code ~/}
   * @throws IllegalArgumentException saying what is wrong (a path that does not exist, a directory
   *     with neither default.nix nor flake.nix)
   */
  static Nixpkgs parse(String value, Path base, Path home) {
    Objects.requireNonNull(value, "value");
    String v = value.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("is empty (a path or a flake reference)");
    }
    boolean looksLikePath =
        v.startsWith("/")
            || v.startsWith("./")
            || v.startsWith("../")
            || v.equals(".")
            || v.equals("..")
            || v.startsWith("~/");
    // A scheme (github:, path:, git+https: …) makes it a flake reference.
    if (!looksLikePath && Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:").matcher(v).find()) {
      if (v.startsWith("path:") && !v.startsWith("path:/")) {
        // Nix resolves it against its own working directory, which is not necessarily ours.
        return new Flake("path:" + base.resolve(v.substring("path:".length())).normalize());
      }
      return new Flake(v);
    }
    Path path =
        v.startsWith("~/") ? home.resolve(v.substring(2)) : base.resolve(v).toAbsolutePath();
    path = path.normalize();
    if (!looksLikePath && !Files.exists(path)) {
      // A registry name (nixpkgs, nixpkgs/nixos-24.05): Nix resolves it.
      return new Flake(v);
    }
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(path + " does not exist");
    }
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve("default.nix"))) {
        return new Imported(path);
      }
      if (Files.isRegularFile(path.resolve("flake.nix"))) {
        return new Flake("path:" + path);
      }
      throw new IllegalArgumentException(
          path + " holds neither default.nix (a nixpkgs checkout) nor flake.nix");
    }
    return new Imported(path);
  }
}
