package io.nixaurora.nix.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The store settings every store provider reads (a cluster's {@code store_settings}); a provider
 * reads its own extra keys itself. Unknown keys are ignored here.
 *
 * @param system the Nix system of the cluster's agents ({@code system}, default {@code
 *     x86_64-linux})
 * @param agentNixBinDir the Nix bin directory on the agents ({@code agent_nix_bin_dir}, default:
 *     the local one)
 * @param daemon whether the agents' Nix runs in daemon mode ({@code daemon}, default false)
 * @param profileScript a file the init command sources first ({@code profile_script})
 * @param localNixBinDir where this machine's Nix is ({@code local_nix_bin_dir}, default: from PATH,
 *     else {@code /usr/bin})
 */
public record StoreSettings(
    String system,
    Path agentNixBinDir,
    boolean daemon,
    Optional<Path> profileScript,
    Path localNixBinDir) {

  public StoreSettings {
    Systems.requireWellFormed(system);
    Objects.requireNonNull(agentNixBinDir, "agentNixBinDir");
    Objects.requireNonNull(profileScript, "profileScript");
    Objects.requireNonNull(localNixBinDir, "localNixBinDir");
  }

  /**
   * Reads the common keys of {@code settings}.
   *
   * @throws IllegalArgumentException naming the key whose value is bad
   */
  public static StoreSettings parse(Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings");
    String system = settings.getOrDefault("system", Systems.DEFAULT);
    Path local = absolute(settings, "local_nix_bin_dir", NixRunner.findBinDirectory());
    Path agent = absolute(settings, "agent_nix_bin_dir", local);
    boolean daemon = bool(settings, "daemon");
    Optional<Path> profile =
        settings.containsKey("profile_script") && !settings.get("profile_script").isBlank()
            ? Optional.of(absolute(settings, "profile_script", null))
            : Optional.empty();
    return new StoreSettings(system, agent, daemon, profile, local);
  }

  /** A runner for this machine's Nix. */
  public NixRunner localRunner() {
    return new NixRunner(localNixBinDir, Map.of());
  }

  static Path absolute(Map<String, String> settings, String key, Path fallback) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    Path p;
    try {
      p = Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a path");
    }
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException(key + ": must be an absolute path, got '" + value + "'");
    }
    return p.normalize();
  }

  static boolean bool(Map<String, String> settings, String key) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(key + ": expected true or false, got '" + value + "'");
    };
  }
}
