package io.nixaurora.nix.cache;

import java.util.List;
import java.util.Objects;

/**
 * The {@code /etc/nix/nix.conf} lines an agent needs to substitute from the cache as an untrusted
 * user: the cache as substituter (and trusted substituter, so jobs may name it), its key trusted,
 * signatures required, no negative narinfo caching (a path asked for before it was pushed would
 * otherwise stay invisible for an hour), and parallel substitution.
 *
 * @param cacheUrl the cache
 * @param key the key the cache's narinfos are signed with
 */
public record AgentConfig(CacheUrl cacheUrl, PublicKey key) {

  public AgentConfig {
    Objects.requireNonNull(cacheUrl, "cacheUrl");
    Objects.requireNonNull(key, "key");
  }

  /** The nix.conf lines, without comments. */
  public List<String> lines() {
    String url = cacheUrl.substituterUrl();
    return List.of(
        "substituters = " + url,
        "trusted-substituters = " + url,
        "trusted-public-keys = " + key,
        "require-sigs = true",
        "narinfo-cache-negative-ttl = 0",
        "max-jobs = auto",
        "connect-timeout = 5",
        "fallback = false");
  }

  /** The lines with a comment explaining where they go; ends with a newline. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("# nix.conf for every Aurora agent (restart nix-daemon after editing).\n");
    b.append("# Keep other caches you use (e.g. https://cache.nixos.org) in substituters and\n");
    b.append("# their keys in trusted-public-keys. Do not add job users to trusted-users.\n");
    if (cacheUrl.isS3()) {
      b.append(
          "# The S3 bucket's HTTP endpoint: the bucket must allow anonymous reads (a bucket\n");
      b.append("# policy granting s3:GetObject, or objects written with ?acl=public-read).\n");
      b.append("# Where the agents' Nix has S3 support, a private bucket works instead with\n");
      b.append("# credentials on every agent (environment or ~/.aws/credentials of the daemon):\n");
      b.append("#   substituters = " + cacheUrl.nixS3Url() + "\n");
      b.append("#   trusted-substituters = " + cacheUrl.nixS3Url() + "\n");
    } else if (!cacheUrl.isFile()) {
      b.append("# If the cache needs a login: netrc-file = /etc/nix/netrc\n");
    }
    for (String line : lines()) {
      b.append(line).append('\n');
    }
    return b.toString();
  }
}
