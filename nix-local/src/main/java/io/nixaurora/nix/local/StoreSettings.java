package io.nixaurora.nix.local;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.api.settings.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings every Nix store provider reads ({@link #DECLARATIONS}); a provider declares and
 * reads its own extra keys itself.
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

  public static final String SYSTEM = "system";
  public static final String LOCAL_NIX_BIN_DIR = "local_nix_bin_dir";
  public static final String AGENT_NIX_BIN_DIR = "agent_nix_bin_dir";
  public static final String DAEMON = "daemon";
  public static final String PROFILE_SCRIPT = "profile_script";

  /** The keys every Nix store provider reads. */
  public static final List<SettingDeclaration> DECLARATIONS =
      List.of(
          SettingDeclaration.builder(SYSTEM, SettingType.STRING)
              .defaultValue(Systems.DEFAULT)
              .description("the agents' Nix system (x86_64-linux)")
              .build(),
          SettingDeclaration.builder(AGENT_NIX_BIN_DIR, SettingType.PATH)
              .description("Nix bin directory on the agents (default: the local one)")
              .build(),
          SettingDeclaration.builder(LOCAL_NIX_BIN_DIR, SettingType.PATH)
              .description("Nix bin directory on this machine (default: from PATH)")
              .build(),
          SettingDeclaration.builder(DAEMON, SettingType.BOOLEAN)
              .defaultValue("false")
              .description("agents' init runs with NIX_REMOTE=daemon")
              .build(),
          SettingDeclaration.builder(PROFILE_SCRIPT, SettingType.PATH)
              .description("file the init command sources first (on the agents)")
              .build());

  public StoreSettings {
    Systems.requireWellFormed(system);
    Objects.requireNonNull(agentNixBinDir, "agentNixBinDir");
    Objects.requireNonNull(profileScript, "profileScript");
    Objects.requireNonNull(localNixBinDir, "localNixBinDir");
  }

  /**
   * Reads the common keys of {@code settings} in this process's environment.
   *
   * @throws IllegalArgumentException naming the key whose value is bad
   */
  public static StoreSettings parse(Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings");
    return from(BackendContext.of(Settings.of(DECLARATIONS, settings)));
  }

  /**
   * Reads the common keys from a factory's context: this machine's Nix directory is resolved
   * against its working directory and found on its {@code PATH}; the agents' paths must be absolute
   * (they name files on other machines).
   *
   * @throws IllegalArgumentException naming the key whose value is bad
   */
  public static StoreSettings from(BackendContext context) {
    Settings settings = context.settings();
    // requireWellFormed's message starts with the key.
    String system = Systems.requireWellFormed(settings.text(SYSTEM).orElse(Systems.DEFAULT));
    Path local =
        absolute(settings, LOCAL_NIX_BIN_DIR)
            .orElseGet(() -> context.directoryOnPath("nix-store").orElse(Path.of("/usr/bin")));
    Path agent = absolute(settings, AGENT_NIX_BIN_DIR).orElse(local);
    Optional<Path> profile = absolute(settings, PROFILE_SCRIPT);
    return new StoreSettings(system, agent, settings.bool(DAEMON), profile, local);
  }

  /** A runner for this machine's Nix. */
  public NixRunner localRunner() {
    return new NixRunner(localNixBinDir, Map.of());
  }

  /** A path setting that must be absolute. */
  static Optional<Path> absolute(Settings settings, String key) {
    Optional<Path> p = settings.path(key);
    if (p.isPresent() && !p.get().isAbsolute()) {
      throw new IllegalArgumentException(key + ": must be an absolute path, got '" + p.get() + "'");
    }
    return p.map(Path::normalize);
  }
}
