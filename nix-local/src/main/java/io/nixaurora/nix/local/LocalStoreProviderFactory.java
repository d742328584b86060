package io.nixaurora.nix.local;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.api.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** Setting: where publish registers GC roots. */
  public static final String GC_ROOTS_DIR = "gc_roots_dir";

  private static final List<SettingDeclaration> DECLARATIONS = declarations();

  private static List<SettingDeclaration> declarations() {
    List<SettingDeclaration> out = new ArrayList<>(StoreSettings.DECLARATIONS);
    out.add(
        SettingDeclaration.builder(GC_ROOTS_DIR, SettingType.PATH)
            .description(
                "where publish registers GC roots (default: "
                    + LocalStoreProvider.DEFAULT_GC_ROOTS_DIR
                    + " or the state dir)")
            .build());
    return List.copyOf(out);
  }

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

  @Override
  public List<SettingDeclaration> settings() {
    return DECLARATIONS;
  }

  /**
   * @throws IllegalArgumentException naming the key whose value is bad
   */
  @Override
  public LocalStoreProvider create(BackendContext context) {
    StoreSettings common = StoreSettings.from(context);
    Path roots =
        StoreSettings.absolute(context.settings(), GC_ROOTS_DIR)
            .orElseGet(() -> defaultGcRootsDir(context.variables(), context.home()));
    return new LocalStoreProvider(common, roots, new NixStore(common.localRunner()));
  }

  /** Makes the provider in this process's environment (tests, embedding). */
  @Override
  public LocalStoreProvider create(Map<String, String> settings) {
    return create(BackendContext.of(Settings.of(DECLARATIONS, settings)));
  }

  /**
   * Nix on this machine, and what the agents need (they must be this machine, or hold the
   * closures).
   */
  @Override
  public List<Diagnosis> diagnose(BackendContext context) {
    List<Diagnosis> out = new ArrayList<>();
    StoreSettings settings;
    try {
      settings = create(context).settings();
    } catch (IllegalArgumentException e) {
      out.add(Diagnosis.fail("store provider local: " + e.getMessage(), "fix that setting"));
      return out;
    }
    out.addAll(NixDiagnosis.localNix(settings, context));
    out.add(Diagnosis.ok("store provider: local"));
    out.add(
        Diagnosis.note(
            "local store: agents must be this machine, or hold the closures themselves"));
    out.addAll(NixDiagnosis.agents(settings, context));
    return out;
  }
}
