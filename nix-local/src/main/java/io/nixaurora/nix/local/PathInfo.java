package io.nixaurora.nix.local;

import io.nixaurora.api.StorePath;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the local Nix database says of a valid store path.
 *
 * @param path the path
 * @param narHash the NAR's SHA-256 as Nix printed it ({@code sha256-<base64>} SRI in Nix 2.8, or
 *     {@code sha256:<base32>})
 * @param narSize the NAR's size in bytes
 * @param references the paths it refers to, sorted (may include itself)
 * @param deriver the derivation that built it, if known
 * @param signatures the signatures the local store holds for it
 * @param ca its content address, if it is content-addressed
 */
public record PathInfo(
    StorePath path,
    String narHash,
    long narSize,
    List<StorePath> references,
    Optional<StorePath> deriver,
    List<String> signatures,
    Optional<String> ca) {
  public PathInfo {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(narHash, "narHash");
    references = List.copyOf(references);
    Objects.requireNonNull(deriver, "deriver");
    signatures = List.copyOf(signatures);
    Objects.requireNonNull(ca, "ca");
  }
}
