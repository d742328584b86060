package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.Settings;
import java.util.List;
import java.util.Map;

/**
 * Brings a {@link Submitter} from another jar in through {@link java.util.ServiceLoader}; it joins
 * the built-in ones under {@link #name()} (duplicate names are rejected).
 *
 * <p>A factory implements {@link #create(BackendContext)} (or, as before the context existed,
 * {@link #create(Map)}; implementing neither recurses), and declares its settings in {@link
 * #settings()} (see {@link StoreProviderFactory}).
 */
public interface SubmitterFactory {

  /** The name the submitter is selected by. */
  String name();

  /**
   * The settings this submitter reads; the default declares none (see {@link
   * StoreProviderFactory#settings()}).
   */
  default List<SettingDeclaration> settings() {
    return List.of();
  }

  /**
   * Makes the submitter; its warnings (retries, redirects, settings it cannot honour) go to {@link
   * BackendContext#events()}.
   *
   * @throws IllegalArgumentException naming the setting, when one is bad
   */
  default Submitter create(BackendContext context) {
    return create(context.legacySettings(), context.events());
  }

  /**
   * Makes the submitter in this process's environment, reporting nowhere.
   *
   * <p>A convenience for tests and embedders; factories written before {@link
   * #create(BackendContext)} existed implement this instead, and keep working.
   *
   * @param settings the cluster's submitter settings from the configuration
   */
  default Submitter create(Map<String, String> settings) {
    return create(BackendContext.of(Settings.of(settings(), settings)));
  }

  /**
   * Makes the submitter, reporting to {@code events}.
   *
   * @deprecated use {@link #create(BackendContext)}, which carries the events
   */
  @Deprecated
  default Submitter create(Map<String, String> settings, EventListener events) {
    return create(
        BackendContext.builder()
            .settings(Settings.of(settings(), settings))
            .events(events)
            .build());
  }

  /**
   * Checks what the submitter needs (a client, a scheduler), for {@code doctor}. The default makes
   * the submitter and says whether that worked.
   */
  default List<Diagnosis> diagnose(BackendContext context) {
    try {
      create(context);
      return List.of(Diagnosis.ok("submitter: " + name()));
    } catch (IllegalArgumentException e) {
      return List.of(
          Diagnosis.fail("submitter " + name() + ": " + e.getMessage(), "fix that setting"));
    }
  }
}
