package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.nix.local.StoreSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code binary-cache} store provider's settings (the cluster's {@code store_settings}).
 *
 * @param cacheUrl {@code cache_url}: where closures are pushed and agents substitute from
 * @param secretKeyFile {@code secret_key_file} (or {@code ?secret-key=} in the URL)
 * @param publicKey {@code public_key}: the key agents trust; defaults to the secret key's
 * @param compression {@code compression} (or {@code ?compression=}); default zstd
 * @param trustedSubstituter {@code trusted_substituter}: the init command names the cache with
 *     {@code --option extra-substituters} (for clusters whose role users Nix trusts)
 * @param netrcFile {@code netrc_file}: credentials for an HTTP cache; default {@code ~/.netrc}
 * @param jobs {@code jobs}: NARs compressed at once; default the number of processors
 * @param store the settings every store provider reads ({@code system}, {@code agent_nix_bin_dir},
 *     {@code daemon}, {@code profile_script}, {@code local_nix_bin_dir})
 */
public record BinaryCacheConfig(
    CacheUrl cacheUrl,
    Optional<Path> secretKeyFile,
    Optional<PublicKey> publicKey,
    Compression compression,
    boolean trustedSubstituter,
    Path netrcFile,
    int jobs,
    StoreSettings store) {

  public BinaryCacheConfig {
    Objects.requireNonNull(cacheUrl, "cache_url");
    Objects.requireNonNull(secretKeyFile, "secret_key_file");
    Objects.requireNonNull(publicKey, "public_key");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(netrcFile, "netrc_file");
    Objects.requireNonNull(store, "store");
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs: must be at least 1, got " + jobs);
    }
  }

  /**
   * Reads the settings this provider knows; other keys are ignored.
   *
   * @throws IllegalArgumentException naming the key of a missing or bad value
   */
  public static BinaryCacheConfig fromSettings(Map<String, String> settings) {
    StoreSettings store = StoreSettings.parse(settings);
    String url = settings.get("cache_url");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "cache_url: required for the binary-cache store (file:///dir or https://host/prefix)");
    }
    CacheUrl cacheUrl;
    try {
      cacheUrl = CacheUrl.parse(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cache_url: " + e.getMessage(), e);
    }
    Optional<Path> secret =
        Optional.ofNullable(settings.get("secret_key_file"))
            .map(Path::of)
            .or(cacheUrl::secretKeyFile);
    Optional<PublicKey> pub;
    try {
      pub = Optional.ofNullable(settings.get("public_key")).map(PublicKey::parse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public_key: " + e.getMessage(), e);
    }
    Compression compression =
        Optional.ofNullable(settings.get("compression"))
            .map(Compression::named)
            .or(cacheUrl::compression)
            .orElse(Compression.ZSTD);
    return new BinaryCacheConfig(
        cacheUrl,
        secret,
        pub,
        compression,
        bool(settings, "trusted_substituter"),
        Optional.ofNullable(settings.get("netrc_file"))
            .map(Path::of)
            .orElse(home().resolve(".netrc")),
        integer(settings, "jobs", Runtime.getRuntime().availableProcessors()),
        store);
  }

  /** $HOME, as Nix and curl read ~/.netrc, else the JVM's user.home. */
  static Path home() {
    String home = System.getenv("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
  }

  private static boolean bool(Map<String, String> settings, String key) {
    String v = settings.get(key);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      // The same words as nix-local's StoreSettings, so every boolean setting reads alike.
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(key + ": expected true or false, got '" + v + "'");
    };
  }

  private static int integer(Map<String, String> settings, String key, int dflt) {
    String v = settings.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected a number, got '" + v + "'", e);
    }
  }

  /**
   * The signing key from {@link #secretKeyFile()}.
   *
   * @throws CacheException naming the setting when it is unset, unreadable or not a key, or when it
   *     does not match {@code public_key}
   */
  public SigningKey readSigningKey() throws CacheException {
    Path file =
        secretKeyFile.orElseThrow(
            () ->
                new CacheException(
                    CacheException.Kind.FAILURE,
                    "secret_key_file: required to sign what is pushed (create one with"
                        + " `nix-aurora cache keygen NAME`)"));
    SigningKey key;
    try {
      key = SigningKey.read(file);
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "secret_key_file: cannot read " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "secret_key_file: " + e.getMessage(), e);
    }
    if (publicKey.isPresent() && !publicKey.get().equals(key.publicKey())) {
      throw new CacheException(
          CacheException.Kind.FAILURE,
          "public_key: " + publicKey.get() + " is not the public half of " + file);
    }
    return key;
  }

  /** The key agents trust: {@code public_key}, else the public half of the secret key. */
  public PublicKey trustedKey() throws CacheException {
    if (publicKey.isPresent()) {
      return publicKey.get();
    }
    return readSigningKey().publicKey();
  }

  /** Credentials for an HTTP cache from {@link #netrcFile()}, if it has an entry. */
  public Optional<Credentials> credentials() throws CacheException {
    if (cacheUrl.isFile() || cacheUrl.isS3()) {
      // S3 credentials come from the AWS chain (environment, ~/.aws/credentials), not netrc.
      return Optional.empty();
    }
    try {
      return Credentials.fromNetrc(netrcFile, cacheUrl.base().getHost());
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "netrc_file: cannot read " + netrcFile + ": " + e, e);
    }
  }
}
