package io.nixaurora.nix.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.nixaurora.api.StorePath;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code nix path-info --json} in every shape Nix prints it:
 *
 * <ul>
 *   <li>Nix 2.8 to 2.18: a list of objects, each with its {@code path}; an invalid path is {@code
 *       {"path": …, "valid": false}};
 *   <li>Nix 2.19 and later (and {@code --json-format 1}): an object keyed by store path, an invalid
 *       path's value {@code null};
 *   <li>{@code --json-format 2} (Nix 2.33 and later): {@code {"info": {…}, "storeDir": …}} keyed by
 *       the path's base name, references and deriver also without the store directory, and {@code
 *       ca} an object {@code {"method": "nar"|"flat"|"text"|"git", "hash": "<SRI>"}}.
 * </ul>
 *
 * Every shape becomes the same {@link PathInfo}s; {@code ca} is always in the {@code
 * fixed:r:sha256:<base32>} form that narinfo files and older Nix use.
 */
final class PathInfoJson {

  private static final String DEFAULT_STORE_DIR = "/nix/store";

  private PathInfoJson() {}

  /**
   * @throws IllegalArgumentException naming the first path that is not valid, or what is malformed
   */
  static List<PathInfo> parse(JsonNode root) {
    List<PathInfo> out = new ArrayList<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new IllegalArgumentException("no output");
    }
    if (root.isArray()) {
      for (JsonNode node : root) {
        if (!node.hasNonNull("path") || !node.path("valid").asBoolean(true)) {
          throw notValid(node.path("path").asText("?"));
        }
        out.add(info(node.get("path").asText(), node, DEFAULT_STORE_DIR));
      }
      return out;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("expected a list or an object, got " + root.getNodeType());
    }
    JsonNode entries = root;
    String storeDir = DEFAULT_STORE_DIR;
    if (root.has("info") && root.path("info").isObject() && root.has("version")) {
      entries = root.get("info");
      storeDir = root.path("storeDir").asText(DEFAULT_STORE_DIR);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = inStore(e.getKey(), storeDir);
      if (e.getValue() == null || e.getValue().isNull()) {
        throw notValid(path);
      }
      out.add(info(path, e.getValue(), e.getValue().path("storeDir").asText(storeDir)));
    }
    return out;
  }

  private static IllegalArgumentException notValid(String path) {
    return new IllegalArgumentException("path " + path + " is not valid in the local store");
  }

  private static PathInfo info(String path, JsonNode node, String storeDir) {
    List<StorePath> refs = new ArrayList<>();
    node.path("references").forEach(r -> refs.add(StorePath.of(inStore(r.asText(), storeDir))));
    refs.sort(null);
    List<String> sigs = new ArrayList<>();
    node.path("signatures").forEach(s -> sigs.add(s.asText()));
    Optional<StorePath> deriver =
        node.hasNonNull("deriver")
            ? Optional.of(StorePath.of(inStore(node.get("deriver").asText(), storeDir)))
            : Optional.empty();
    return new PathInfo(
        StorePath.of(path),
        node.path("narHash").asText(),
        node.path("narSize").asLong(),
        refs,
        deriver,
        sigs,
        contentAddress(node.get("ca")));
  }

  /** Format 2 leaves out the store directory; the older formats print full paths. */
  private static String inStore(String pathOrName, String storeDir) {
    return pathOrName.startsWith("/") ? pathOrName : storeDir + "/" + pathOrName;
  }

  /**
   * {@code ca} as the text Nix puts in narinfo files: {@code text:sha256:<base32>}, {@code
   * fixed:r:sha256:<base32>} (NAR), {@code fixed:sha256:<base32>} (flat), {@code
   * fixed:git:sha1:<base32>}.
   */
  static Optional<String> contentAddress(JsonNode ca) {
    if (ca == null || ca.isNull() || ca.isMissingNode()) {
      return Optional.empty();
    }
    if (ca.isTextual()) {
      return Optional.of(ca.asText());
    }
    String method = ca.path("method").asText();
    String hash = ca.path("hash").asText();
    int dash = hash.indexOf('-');
    if (dash <= 0) {
      throw new IllegalArgumentException("ca: unexpected hash '" + hash + "'");
    }
    String algorithm = hash.substring(0, dash);
    String base32;
    try {
      base32 = base32(Base64.getDecoder().decode(hash.substring(dash + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ca: unexpected hash '" + hash + "'", e);
    }
    String prefix =
        switch (method) {
          case "text" -> "text:";
          case "nar" -> "fixed:r:";
          case "flat" -> "fixed:";
          case "git" -> "fixed:git:";
          default -> throw new IllegalArgumentException("ca: unknown method '" + method + "'");
        };
    return Optional.of(prefix + algorithm + ":" + base32);
  }

  private static final String BASE32_CHARS = "0123456789abcdfghijklmnpqrsvwxyz";

  /** Nix's base-32 (its own alphabet, least significant bits first). */
  static String base32(byte[] bytes) {
    int length = (bytes.length * 8 - 1) / 5 + 1;
    StringBuilder s = new StringBuilder(length);
    for (int n = length - 1; n >= 0; n--) {
      int b = n * 5;
      int i = b / 8;
      int j = b % 8;
      int c = (bytes[i] & 0xff) >> j;
      if (i + 1 < bytes.length) {
        c |= (bytes[i + 1] & 0xff) << (8 - j);
      }
      s.append(BASE32_CHARS.charAt(c & 0x1f));
    }
    return s.toString();
  }
}
