package io.nixaurora.nix.cache;

import io.nixaurora.api.StorePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A {@code <hash>.narinfo} file: what a binary cache says of one store path. {@link #toText()}
 * writes the fields in Nix's order with LF endings; {@link #parse} reads what Nix reads.
 *
 * @param storePath the path
 * @param url the NAR file's key relative to the cache root, such as {@code nar/<b32>.nar.zst}
 * @param compression the NAR file's compression name ({@code zstd}, {@code xz}, {@code none}, …)
 * @param fileHash SHA-256 of the NAR file as stored (compressed), if known
 * @param fileSize size of the NAR file as stored, or -1 if unknown
 * @param narHash SHA-256 of the uncompressed NAR
 * @param narSize size of the uncompressed NAR (&gt; 0)
 * @param references the paths it refers to (sorted; may include itself)
 * @param deriver the derivation that built it, if known
 * @param signatures {@code Sig} values, {@code NAME:base64}
 * @param ca the content address, if the path is content-addressed
 */
public record NarInfo(
    StorePath storePath,
    String url,
    String compression,
    Optional<NixHash> fileHash,
    long fileSize,
    NixHash narHash,
    long narSize,
    List<StorePath> references,
    Optional<StorePath> deriver,
    List<String> signatures,
    Optional<String> ca) {

  public NarInfo {
    Objects.requireNonNull(storePath, "storePath");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(fileHash, "fileHash");
    Objects.requireNonNull(narHash, "narHash");
    Objects.requireNonNull(deriver, "deriver");
    Objects.requireNonNull(ca, "ca");
    if (url.isEmpty()) {
      throw new IllegalArgumentException("narinfo " + storePath + ": URL is empty");
    }
    if (narSize <= 0) {
      throw new IllegalArgumentException("narinfo " + storePath + ": NarSize must be positive");
    }
    references = List.copyOf(new TreeSet<>(references));
    signatures = List.copyOf(new TreeSet<>(signatures));
  }

  /** The file name of a path's narinfo in a cache: {@code <hash32>.narinfo}. */
  public static String key(StorePath path) {
    return path.hashPart() + ".narinfo";
  }

  /**
   * Why {@code url} (a narinfo's {@code URL:}) does not name a file inside the cache, or empty when
   * it does: it must be relative, without a scheme, {@code ..} or {@code .} segments, empty
   * segments or backslashes. Nix itself only resolves such URLs under the cache root, so anything
   * else is a broken or hostile entry.
   */
  public static Optional<String> urlProblem(String url) {
    if (url.isEmpty()) {
      return Optional.of("URL is empty");
    }
    if (url.contains("://") || url.startsWith("/")) {
      return Optional.of("URL " + url + " is not relative to the cache");
    }
    for (String segment : url.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.of("URL " + url + " leaves the cache or has empty segments");
      }
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c < 0x21 || c == 0x7F || c == '\\' || c == '?' || c == '#' || c == '%') {
        return Optional.of("URL " + url + " has characters a cache file name never has");
      }
    }
    return Optional.empty();
  }

  /**
   * What a signature signs (spec §4.1): {@code 1;<path>;sha256:<b32>;<narSize>;<refs>}, refs as
   * full paths, sorted, comma-separated (the string ends with {@code ;} when there are none).
   */
  public String fingerprint() {
    return fingerprint(storePath, narHash, narSize, references);
  }

  /** The fingerprint of these fields; see {@link #fingerprint()}. */
  public static String fingerprint(
      StorePath path, NixHash narHash, long narSize, List<StorePath> references) {
    return "1;"
        + path
        + ";"
        + narHash
        + ";"
        + narSize
        + ";"
        + new TreeSet<>(references)
            .stream().map(StorePath::toString).collect(Collectors.joining(","));
  }

  /** This narinfo with {@code key}'s signature added (replacing one of the same key name). */
  public NarInfo signedWith(SigningKey key) {
    List<String> sigs = new ArrayList<>();
    for (String s : signatures) {
      if (!s.startsWith(key.name() + ":")) {
        sigs.add(s);
      }
    }
    sigs.add(key.sign(fingerprint()));
    return new NarInfo(
        storePath,
        url,
        compression,
        fileHash,
        fileSize,
        narHash,
        narSize,
        references,
        deriver,
        sigs,
        ca);
  }

  /** Whether some signature is {@code key}'s valid signature of this narinfo's fingerprint. */
  public boolean isSignedBy(PublicKey key) {
    String fp = fingerprint();
    return signatures.stream().anyMatch(s -> key.verifies(fp, s));
  }

  /** The file content, fields in the order Nix 2.8 writes them, LF endings, final LF. */
  public String toText() {
    StringBuilder b = new StringBuilder(512);
    b.append("StorePath: ").append(storePath).append('\n');
    b.append("URL: ").append(url).append('\n');
    b.append("Compression: ").append(compression).append('\n');
    fileHash.ifPresent(h -> b.append("FileHash: ").append(h).append('\n'));
    if (fileSize >= 0) {
      b.append("FileSize: ").append(fileSize).append('\n');
    }
    b.append("NarHash: ").append(narHash).append('\n');
    b.append("NarSize: ").append(narSize).append('\n');
    b.append("References: ")
        .append(references.stream().map(StorePath::baseName).collect(Collectors.joining(" ")))
        .append('\n');
    deriver.ifPresent(d -> b.append("Deriver: ").append(d.baseName()).append('\n'));
    for (String s : signatures) {
      b.append("Sig: ").append(s).append('\n');
    }
    ca.ifPresent(c -> b.append("CA: ").append(c).append('\n'));
    return b.toString();
  }

  /**
   * Parses a narinfo file as Nix does: {@code Key: value} lines, unknown keys ignored, StorePath,
   * URL, NarHash and a positive NarSize required.
   *
   * @param where the file's name or URL, for messages
   * @throws IllegalArgumentException naming {@code where} and the problem
   */
  public static NarInfo parse(String text, String where) {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException(where + ": does not end with a newline");
    }
    StorePath path = null;
    String url = null;
    String compression = null;
    NixHash fileHash = null;
    long fileSize = -1;
    NixHash narHash = null;
    long narSize = 0;
    List<StorePath> refs = new ArrayList<>();
    boolean refsSeen = false;
    StorePath deriver = null;
    List<String> sigs = new ArrayList<>();
    String ca = null;
    try {
      for (String line : text.split("\n")) {
        int colon = line.indexOf(':');
        if (colon < 0 || colon + 1 >= line.length() || line.charAt(colon + 1) != ' ') {
          if (line.isEmpty()) {
            continue;
          }
          throw new IllegalArgumentException("line '" + line + "' is not 'Key: value'");
        }
        String k = line.substring(0, colon);
        String v = line.substring(colon + 2);
        switch (k) {
          case "StorePath" -> path = StorePath.of(v);
          case "URL" -> url = v;
          case "Compression" -> compression = v;
          case "FileHash" -> fileHash = NixHash.parse(v);
          case "FileSize" -> fileSize = Long.parseLong(v);
          case "NarHash" -> narHash = NixHash.parse(v);
          case "NarSize" -> narSize = Long.parseLong(v);
          case "References" -> {
            if (refsSeen && !v.isEmpty()) {
              throw new IllegalArgumentException("References appears twice");
            }
            refsSeen = true;
            for (String r : v.split(" ")) {
              if (!r.isEmpty()) {
                refs.add(StorePath.fromBaseName(r));
              }
            }
          }
          case "Deriver" -> {
            if (!v.equals("unknown-deriver")) {
              deriver = StorePath.fromBaseName(v);
            }
          }
          case "Sig" -> sigs.add(v);
          case "CA" -> {
            if (ca != null) {
              throw new IllegalArgumentException("CA appears twice");
            }
            ca = v;
          }
          default -> {
            // Unknown keys (System, X-…) are ignored, as Nix does.
          }
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    if (path == null || url == null || narHash == null) {
      throw new IllegalArgumentException(where + ": StorePath, URL or NarHash is missing");
    }
    if (narSize <= 0) {
      throw new IllegalArgumentException(where + ": NarSize is missing or zero");
    }
    return new NarInfo(
        path,
        url,
        compression == null ? "bzip2" : compression,
        Optional.ofNullable(fileHash),
        fileSize,
        narHash,
        narSize,
        refs,
        Optional.ofNullable(deriver),
        sigs,
        Optional.ofNullable(ca));
  }
}
