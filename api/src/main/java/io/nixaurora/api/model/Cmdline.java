package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A process's command line: literal text, possibly with references to Nix packages that the Nix
 * build turns into store paths. A job written in Nix has literal cmdlines (Nix interpolated them
 * already); a job built in Java refers to packages with {@link Builder#pkg}, {@link
 * Builder#storePath} and {@link Builder#file}.
 *
 * <pre>{@code
 * Cmdline.builder().pkg("pkgs.python3").text("/bin/python3 ").file(Path.of("hello.py")).build()
 * }</pre>
 */
public final class Cmdline {

  /** One piece of a cmdline. */
  public sealed interface Part {}

  /** Literal text, copied as it is. */
  public record Text(String text) implements Part {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A package by attribute path, such as {@code pkgs.nginx}; becomes its store path. */
  public record Package(String attributePath) implements Part {
    public Package {
      Objects.requireNonNull(attributePath, "attributePath");
      if (!attributePath.matches("[A-Za-z_][A-Za-z0-9_'-]*(\\.[A-Za-z_][A-Za-z0-9_'-]*)*")) {
        throw new IllegalArgumentException(
            "cmdline: package attribute path '" + attributePath + "' is not a Nix attribute path");
      }
    }
  }

  /** An existing store path, such as {@code /nix/store/…-hello-2.12}. */
  public record StorePathRef(String storePath) implements Part {
    public StorePathRef {
      Objects.requireNonNull(storePath, "storePath");
      if (!storePath.startsWith("/nix/store/")) {
        throw new IllegalArgumentException(
            "cmdline: '" + storePath + "' is not a path in /nix/store");
      }
    }
  }

  /** A local file or directory, copied into the store by the build; becomes its store path. */
  public record FileRef(Path file) implements Part {
    public FileRef {
      Objects.requireNonNull(file, "file");
    }
  }

  private final List<Part> parts;

  private Cmdline(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** A cmdline that is only text. */
  @JsonCreator
  public static Cmdline of(String text) {
    return new Cmdline(List.of(new Text(text)));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The parts, in order. */
  public List<Part> parts() {
    return parts;
  }

  /** Whether the cmdline is only text (no package or file references left to build). */
  public boolean isLiteral() {
    return parts.stream().allMatch(p -> p instanceof Text || p instanceof StorePathRef);
  }

  /**
   * The text of a literal cmdline.
   *
   * @throws IllegalStateException when a package or file reference is not built yet
   */
  @JsonValue
  public String text() {
    StringBuilder s = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Text t) {
        s.append(t.text());
      } else if (p instanceof StorePathRef r) {
        s.append(r.storePath());
      } else {
        throw new IllegalStateException(
            "cmdline refers to " + p + ", which only a Nix build can turn into a store path");
      }
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cmdline other && parts.equals(other.parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  @Override
  public String toString() {
    return parts.stream()
        .map(
            p -> {
              if (p instanceof Text t) {
                return t.text();
              } else if (p instanceof Package pk) {
                return "${" + pk.attributePath() + "}";
              } else if (p instanceof StorePathRef r) {
                return r.storePath();
              } else {
                return "${file " + ((FileRef) p).file() + "}";
              }
            })
        .collect(Collectors.joining());
  }

  /** Builds a cmdline from parts. */
  public static final class Builder {
    private final List<Part> parts = new ArrayList<>();

    private Builder() {}

    public Builder text(String text) {
      parts.add(new Text(text));
      return this;
    }

    public Builder pkg(String attributePath) {
      parts.add(new Package(attributePath));
      return this;
    }

    public Builder storePath(String storePath) {
      parts.add(new StorePathRef(storePath));
      return this;
    }

    public Builder file(Path file) {
      parts.add(new FileRef(file));
      return this;
    }

    public Cmdline build() {
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("cmdline: must not be empty");
      }
      return new Cmdline(parts);
    }
  }
}
