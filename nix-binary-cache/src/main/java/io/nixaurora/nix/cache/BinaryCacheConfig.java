package io.nixaurora.nix.cache;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.CacheException;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.api.settings.Settings;
import io.nixaurora.nix.local.StoreSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  public static final String CACHE_URL = "cache_url";
  public static final String SECRET_KEY_FILE = "secret_key_file";
  public static final String PUBLIC_KEY = "public_key";
  public static final String COMPRESSION = "compression";
  public static final String TRUSTED_SUBSTITUTER = "trusted_substituter";
  public static final String NETRC_FILE = "netrc_file";
  public static final String JOBS = "jobs";

  /** The keys the binary-cache provider reads: the common store keys and its own. */
  public static final List<SettingDeclaration> DECLARATIONS = declarations();

  private static List<SettingDeclaration> declarations() {
    List<SettingDeclaration> out = new ArrayList<>(StoreSettings.DECLARATIONS);
    out.add(
        SettingDeclaration.builder(CACHE_URL, SettingType.URL)
            .required()
            .description("file:///dir, http(s)://host/prefix or s3://bucket")
            .build());
    out.add(
        SettingDeclaration.builder(SECRET_KEY_FILE, SettingType.PATH)
            .description("file holding the cache's signing key (or ?secret-key= in cache_url)")
            .build());
    out.add(
        SettingDeclaration.builder(PUBLIC_KEY, SettingType.STRING)
            .description("the key agents trust, name:base64 (default: the signing key's)")
            .build());
    out.add(
        SettingDeclaration.oneOf(COMPRESSION, "zstd", "xz", "none")
            .description("NAR compression (default: cache_url's ?compression=, else zstd)")
            .build());
    out.add(
        SettingDeclaration.builder(TRUSTED_SUBSTITUTER, SettingType.BOOLEAN)
            .defaultValue("false")
            .description("init names the cache as a substituter")
            .build());
    out.add(
        SettingDeclaration.builder(NETRC_FILE, SettingType.PATH)
            .description("credentials for an HTTP cache (default: ~/.netrc)")
            .build());
    out.add(
        SettingDeclaration.builder(JOBS, SettingType.INTEGER)
            .description("NARs compressed and uploaded at once (default: the processors)")
            .build());
    return List.copyOf(out);
  }

  /**
   * Reads the settings in this process's environment.
   *
   * @throws IllegalArgumentException naming the key of a missing or bad value
   */
  public static BinaryCacheConfig fromSettings(Map<String, String> settings) {
    return from(BackendContext.of(Settings.of(DECLARATIONS, settings)));
  }

  /**
   * Reads the settings from a factory's context: relative file names are resolved against its
   * working directory, {@code ~/.netrc} is its home's.
   *
   * @throws IllegalArgumentException naming the key of a missing or bad value
   */
  public static BinaryCacheConfig from(BackendContext context) {
    Settings settings = context.settings();
    StoreSettings store = StoreSettings.from(context);
    String url =
        settings
            .text(CACHE_URL)
            .filter(u -> !u.isBlank())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        CACHE_URL
                            + ": required for the binary-cache store (file:///dir or"
                            + " https://host/prefix)"));
    CacheUrl cacheUrl;
    try {
      cacheUrl = CacheUrl.parse(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(CACHE_URL + ": " + e.getMessage(), e);
    }
    Optional<Path> secret = context.path(SECRET_KEY_FILE).or(cacheUrl::secretKeyFile);
    Optional<PublicKey> pub;
    try {
      pub = settings.text(PUBLIC_KEY).map(PublicKey::parse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PUBLIC_KEY + ": " + e.getMessage(), e);
    }
    Compression compression =
        settings
            .text(COMPRESSION)
            .map(Compression::named)
            .or(cacheUrl::compression)
            .orElse(Compression.ZSTD);
    long jobs = settings.integer(JOBS).orElse((long) Runtime.getRuntime().availableProcessors());
    if (jobs < 1 || jobs > 1024) {
      throw new IllegalArgumentException(JOBS + ": must be between 1 and 1024, got " + jobs);
    }
    return new BinaryCacheConfig(
        cacheUrl,
        secret,
        pub,
        compression,
        settings.bool(TRUSTED_SUBSTITUTER),
        context.path(NETRC_FILE).orElse(context.home().resolve(".netrc")),
        (int) jobs,
        store);
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
