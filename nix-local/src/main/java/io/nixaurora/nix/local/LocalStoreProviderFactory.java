package io.nixaurora.nix.local;

import io.nixaurora.api.StoreProviderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.inject.Inject;

/**
 * Makes the {@code local} store provider from a cluster's store settings ({@link StoreSettings}'s
 * keys and {@code gc_roots_dir}).
 *
 * <p>Without {@code gc_roots_dir}, the roots go where whoever runs the tool can put them: {@value
 * LocalStoreProvider#DEFAULT_GC_ROOTS_DIR} for root and single-user installs (whoever owns {@code
 * /nix}), else, on a multi-user install where {@code /nix/var/nix/gcroots} is root's, {@code
 * $XDG_STATE_HOME/nix-aurora/gcroots} (by default {@code ~/.local/state/nix-aurora/gcroots}): Nix
 * records roots there as indirect roots (through the daemon, in {@code gcroots/auto}), which any
 * user of the daemon may make.
 */
public final class LocalStoreProviderFactory implements StoreProviderFactory {

  @Inject
  public LocalStoreProviderFactory() {}

  /**
   * The GC-root directory for a user with {@code environment} and {@code home}: the system one if
   * they can write it (or make it), else one in their state directory.
   */
  static Path defaultGcRootsDir(Map<String, String> environment, Path home) {
    Path system = Path.of(LocalStoreProvider.DEFAULT_GC_ROOTS_DIR);
    if (canMake(system)) {
      return system;
    }
    String state = environment.get("XDG_STATE_HOME");
    Path base =
        state != null && !state.isBlank() && Path.of(state).isAbsolute()
            ? Path.of(state)
            : home.resolve(".local/state");
    return base.resolve("nix-aurora").resolve("gcroots");
  }

  /** {@code $HOME} as the shell has it, else the account's home directory. */
  private static Path homeDirectory() {
    String home = System.getenv("HOME");
    return home != null && !home.isBlank() && Path.of(home).isAbsolute()
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"));
  }

  /**
   * Whether {@code dir} is, or its nearest existing ancestor is, a directory this user can write.
   */
  private static boolean canMake(Path dir) {
    Path p = dir;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p != null && Files.isDirectory(p) && Files.isWritable(p);
  }

  @Override
  public String name() {
    return "local";
  }

  /**
   * @throws IllegalArgumentException naming the key whose value is bad
   */
  @Override
  public LocalStoreProvider create(Map<String, String> settings) {
    StoreSettings common = StoreSettings.parse(settings);
    Path roots =
        StoreSettings.absolute(
            settings, "gc_roots_dir", defaultGcRootsDir(System.getenv(), homeDirectory()));
    return new LocalStoreProvider(common, roots, new NixStore(common.localRunner()));
  }
}
