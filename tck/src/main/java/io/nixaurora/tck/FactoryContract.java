package io.nixaurora.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.event.Event;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingProblem;
import io.nixaurora.api.settings.Settings;
import io.nixaurora.api.settings.SettingsException;
import io.nixaurora.api.settings.SettingsValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend factory owes the CLI: settings declared once each and described, a backend
 * made from a {@link BackendContext} (not from the JVM's environment), required settings named when
 * missing, and {@code doctor}'s checks answered as lines, never as an exception.
 *
 * <p>A backend's test (or a plugin author's) extends this class and supplies the factory, through
 * {@link Factory#of(StoreProviderFactory)} or {@link Factory#of(SubmitterFactory)}, and settings it
 * can be made with.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class FactoryContract {

  /** A store provider's or a submitter's factory, seen the same way. */
  public record Factory(
      String name,
      List<SettingDeclaration> settings,
      Function<BackendContext, Object> create,
      Function<BackendContext, List<Diagnosis>> diagnose) {

    public static Factory of(StoreProviderFactory f) {
      return new Factory(f.name(), f.settings(), f::create, f::diagnose);
    }

    public static Factory of(SubmitterFactory f) {
      return new Factory(f.name(), f.settings(), f::create, f::diagnose);
    }
  }

  /** The factory under test. */
  protected abstract Factory factory();

  /**
   * Settings the backend can be made with, every required one included; paths may point under
   * {@code dir}, the test's own directory.
   */
  protected abstract Map<String, String> workingSettings(Path dir) throws Exception;

  @TempDir Path tmp;

  private final List<Event> events = new ArrayList<>();

  /** A context in a private working directory and home, with {@code settings}. */
  protected BackendContext context(Map<String, String> settings) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("HOME", home.toString());
    variables.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    return BackendContext.builder()
        .cluster("devcluster")
        .settings(Settings.of(factory().settings(), settings))
        .events(events::add)
        .variables(variables)
        .workingDirectory(work)
        .home(home)
        .build();
  }

  @Test
  void everySettingIsDeclaredOnceAndDescribed() {
    Set<String> keys = new HashSet<>();
    for (SettingDeclaration d : factory().settings()) {
      assertTrue(keys.add(d.key()), "declared twice: " + d.key());
      assertFalse(d.description().isBlank(), d.key() + " has no description");
      assertFalse(d.description().contains("\n"), d.key() + ": one line, for tables");
    }
  }

  @Test
  void theBackendIsMadeFromTheContext() throws Exception {
    Object backend = factory().create().apply(context(workingSettings(tmp)));
    assertNotNull(backend);
  }

  @Test
  void aMissingRequiredSettingIsNamed() throws Exception {
    Map<String, String> working = workingSettings(tmp);
    for (SettingDeclaration d : factory().settings()) {
      if (!d.required()) {
        continue;
      }
      Map<String, String> without = new LinkedHashMap<>(working);
      without.remove(d.key());
      SettingsException e = assertThrows(SettingsException.class, () -> context(without));
      assertEquals(d.key(), e.problems().get(0).key(), e.getMessage());
    }
  }

  @Test
  void aOneLetterTypoOfEachKeySuggestsThatKey() {
    SettingsValidator validator = SettingsValidator.of(factory().settings());
    for (SettingDeclaration d : factory().settings()) {
      if (d.key().length() < 4) {
        continue; // too short for a suggestion to be meaningful
      }
      String typo = d.key().substring(0, d.key().length() - 1);
      SettingProblem p =
          validator.check(new SettingsValidator.Value(typo, "x", "test")).orElseThrow();
      assertTrue(
          p.message().contains("did you mean '" + d.key() + "'"),
          "a typo of " + d.key() + " suggests another key: " + p.line());
    }
  }

  @Test
  void doctorsChecksAreLinesNeverExceptions() throws Exception {
    List<Diagnosis> checks = factory().diagnose().apply(context(workingSettings(tmp)));
    assertFalse(checks.isEmpty(), "doctor would say nothing about " + factory().name());
    for (Diagnosis d : checks) {
      assertFalse(d.detail().isBlank(), checks.toString());
      assertFalse(d.detail().contains("\n"), "one line each: " + d.detail());
    }
  }
}
