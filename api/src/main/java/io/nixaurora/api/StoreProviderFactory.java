package io.nixaurora.api;

import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.Settings;
import java.util.List;
import java.util.Map;

/**
 * Brings a {@link StoreProvider} from another jar in through {@link java.util.ServiceLoader}; it
 * joins the built-in ones under {@link #name()} (duplicate names are rejected).
 *
 * <p>A factory implements {@link #create(BackendContext)} (or, as before the context existed,
 * {@link #create(Map)}; implementing neither recurses). It declares its settings in {@link
 * #settings()}: the CLI refuses keys nobody declares and values that do not fit their type before
 * the factory is called, and lists the declarations in {@code config --help} and completion.
 */
public interface StoreProviderFactory {

  /** The name the provider is selected by. */
  String name();

  /**
   * The settings this provider reads. The default declares none: such a plugin still receives every
   * value, but only under the configuration's free-form {@code settings} object, whose keys nobody
   * checks.
   */
  default List<SettingDeclaration> settings() {
    return List.of();
  }

  /**
   * Makes the provider.
   *
   * @throws IllegalArgumentException naming the setting, when one is bad (a {@link
   *     io.nixaurora.api.settings.SettingsException} for several)
   */
  default StoreProvider create(BackendContext context) {
    return create(context.legacySettings());
  }

  /**
   * Makes the provider from settings as text, in this process's environment, reporting nowhere.
   *
   * <p>A convenience for tests and embedders; factories written before {@link
   * #create(BackendContext)} existed implement this instead, and keep working.
   *
   * @param settings the cluster's store settings from the configuration
   */
  default StoreProvider create(Map<String, String> settings) {
    return create(BackendContext.of(Settings.of(settings(), settings)));
  }

  /**
   * Checks what the provider needs (tools, files, servers), for {@code doctor}: one {@link
   * Diagnosis} per check. The default makes the provider and says whether that worked.
   */
  default List<Diagnosis> diagnose(BackendContext context) {
    try {
      StoreProvider provider = create(context);
      return List.of(Diagnosis.ok("store provider: " + provider.name()));
    } catch (IllegalArgumentException e) {
      return List.of(
          Diagnosis.fail("store provider " + name() + ": " + e.getMessage(), "fix that setting"));
    }
  }
}
