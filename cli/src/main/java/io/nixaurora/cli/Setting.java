package io.nixaurora.cli;

import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CLI's own keys: which backends a cluster uses, and what the CLI itself needs to evaluate jobs
 * (this machine's Nix, the cluster's system, the package set). Every other key belongs to a backend
 * and is declared by its factory ({@link io.nixaurora.api.StoreProviderFactory#settings()}); {@link
 * Backends#validator()} checks a configuration against both.
 */
public enum Setting {
  STORE(
      SettingDeclaration.builder("store", SettingType.STRING)
          .defaultValue("local")
          .description("the store provider: local, binary-cache, or a plugin's name")),
  SUBMITTER(
      SettingDeclaration.builder("submitter", SettingType.STRING)
          .defaultValue("cli")
          .description("the submitter: cli, http, or a plugin's name")),
  SYSTEM(
      SettingDeclaration.builder("system", SettingType.STRING)
          .defaultValue("x86_64-linux")
          .description("the agents' Nix system; jobs built for another are refused")),
  LOCAL_NIX_BIN_DIR(
      SettingDeclaration.builder("local_nix_bin_dir", SettingType.PATH)
          .description("Nix bin directory on this machine (default: from PATH)")),
  // Longer help lives in the README; the table keeps one line per key.
  NIXPKGS(
      SettingDeclaration.builder("nixpkgs", SettingType.STRING)
          .description("pkgs: a nixpkgs path or flake reference"));

  private static final Map<String, Setting> BY_KEY =
      Arrays.stream(values()).collect(Collectors.toMap(Setting::key, Function.identity()));

  /** Every declaration, for the validator and the key table. */
  static final List<SettingDeclaration> DECLARATIONS =
      Arrays.stream(values()).map(Setting::declaration).toList();

  private final SettingDeclaration declaration;

  Setting(SettingDeclaration.Builder declaration) {
    this.declaration = declaration.build();
  }

  public SettingDeclaration declaration() {
    return declaration;
  }

  /** The key as written in the configuration file. */
  public String key() {
    return declaration.key();
  }

  public static Optional<Setting> forKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }
}
