package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.Diagnosis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code doctor}'s checks of a binary cache: the signing key readable and matching {@code
 * public_key}, the netrc file present when named, the cache reachable and a cache, and (for a cache
 * of up to 2000 narinfos) every narinfo signed by the trusted key.
 */
final class BinaryCacheDiagnosis {
  /** Above this many narinfos the check would take long; publish confirms each one anyway. */
  private static final int MAX_VERIFIED = 2000;

  private final BinaryCacheConfig config;
  private final boolean netrcNamed;
  private final List<Diagnosis> out = new ArrayList<>();

  BinaryCacheDiagnosis(BinaryCacheConfig config, boolean netrcNamed) {
    this.config = config;
    this.netrcNamed = netrcNamed;
  }

  List<Diagnosis> run() {
    String url = config.cacheUrl().substituterUrl();
    PublicKey trusted = signingKey();
    if (netrcNamed && !Files.isRegularFile(config.netrcFile())) {
      out.add(
          Diagnosis.fail(
              "netrc_file " + config.netrcFile() + " does not exist",
              "fix netrc_file, or remove it to use ~/.netrc"));
    }
    if (config.cacheUrl().isFile() && !Files.isDirectory(config.cacheUrl().directory())) {
      out.add(
          Diagnosis.fail(
              "cache directory " + config.cacheUrl().directory() + " does not exist",
              "create it (mkdir -p), or fix cache_url"));
      return out;
    }
    try (BinaryCacheTarget target =
        BinaryCacheTarget.openExisting(config.cacheUrl(), config.credentials())) {
      Optional<byte[]> info = target.read("nix-cache-info");
      if (info.isPresent()) {
        List<String> infoProblems = new CacheVerifier(target, List.of(), 1).cacheInfoProblems();
        if (!infoProblems.isEmpty()) {
          out.add(
              Diagnosis.fail(
                  "cache " + url + ": " + infoProblems.get(0),
                  "check cache_url: it must name the cache root, served as plain files"));
          return out;
        }
        out.add(Diagnosis.ok("cache " + url + " reachable (nix-cache-info present)"));
      } else {
        out.add(
            Diagnosis.note(
                "cache " + url + " reachable but empty (the first push writes nix-cache-info)"));
      }
      if (trusted != null) {
        signatures(target, trusted, url);
      }
    } catch (CacheException e) {
      out.add(Diagnosis.fail("cache " + url + ": " + firstLine(e.getMessage()), fix(e)));
    }
    return out;
  }

  /** The key agents trust, or null when it cannot be known. */
  private PublicKey signingKey() {
    try {
      config.readSigningKey();
      PublicKey trusted = config.trustedKey();
      out.add(
          Diagnosis.ok(
              "signing key "
                  + config.secretKeyFile().map(Path::toString).orElse("?")
                  + " ("
                  + trusted.name()
                  + ")"));
      return trusted;
    } catch (CacheException e) {
      out.add(
          Diagnosis.fail(
              "signing key: " + firstLine(e.getMessage()),
              "fix secret_key_file or public_key (`nix-aurora config CLUSTER` shows where they"
                  + " are set); make a key with `nix-aurora cache keygen NAME`"));
      return config.publicKey().orElse(null);
    }
  }

  private void signatures(BinaryCacheTarget target, PublicKey trusted, String url)
      throws CacheException {
    Optional<List<String>> keys = target.listNarInfos();
    if (keys.isPresent() && !keys.get().isEmpty() && keys.get().size() <= MAX_VERIFIED) {
      List<String> problems = new CacheVerifier(target, List.of(trusted), 2).verifyAll();
      if (problems.isEmpty()) {
        out.add(
            Diagnosis.ok(
                "cache holds "
                    + keys.get().size()
                    + " narinfo(s), all signed by "
                    + trusted.name()));
      } else {
        out.add(
            Diagnosis.fail(
                "cache: " + problems.size() + " problem(s), e.g. " + problems.get(0),
                "run `nix-aurora cache verify " + url + " --public-key " + trusted + "`"));
      }
    } else {
      out.add(
          Diagnosis.note(
              "cache signatures: checked on every push (publish confirms each narinfo)"));
    }
  }

  private static String fix(CacheException e) {
    return switch (e.kind()) {
      case NETWORK -> "check that the cache is reachable and cache_url is right";
      case AUTHENTICATION ->
          "check the cache credentials (netrc_file or ~/.netrc; for s3:// the AWS environment or"
              + " ~/.aws/credentials)";
      case FAILURE -> "check the cache with `nix-aurora cache verify URL --public-key KEY`";
    };
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }
}
