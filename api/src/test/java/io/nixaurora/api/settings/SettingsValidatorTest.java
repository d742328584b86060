package io.nixaurora.api.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared settings check: did-you-mean, every problem at once, the types. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SettingsValidatorTest {

  private static final List<SettingDeclaration> DECLARED =
      List.of(
          SettingDeclaration.builder("system", SettingType.STRING).defaultValue("x").build(),
          SettingDeclaration.builder("cache_url", SettingType.URL).required().build(),
          SettingDeclaration.builder("daemon", SettingType.BOOLEAN).defaultValue("false").build(),
          SettingDeclaration.builder("jobs", SettingType.INTEGER).build(),
          SettingDeclaration.builder("retry_budget_seconds", SettingType.DURATION)
              .defaultValue("600")
              .build(),
          SettingDeclaration.builder("max_nar", SettingType.SIZE).build(),
          SettingDeclaration.oneOf("compression", "zstd", "xz", "none").build(),
          SettingDeclaration.builder("password", SettingType.STRING).secret().build(),
          SettingDeclaration.builder("token_port", SettingType.INTEGER).secret().build(),
          SettingDeclaration.oneOf("token_mode", "a", "b").secret().build());

  private final SettingsValidator validator = SettingsValidator.of(DECLARED);

  @Test
  void aMisspeltKeyIsRefusedNamingTheClosestKnownOne() {
    for (Map.Entry<String, String> typo :
        Map.of(
                "sytem", "system",
                "cache_ur", "cache_url",
                "dameon", "daemon",
                "compresion", "compression",
                "retry_budget_secs", "retry_budget_seconds")
            .entrySet()) {
      Optional<SettingProblem> p =
          validator.check(new SettingsValidator.Value(typo.getKey(), "v", "f.json: defaults"));
      assertTrue(p.isPresent(), typo.toString());
      assertEquals(typo.getKey(), p.get().key());
      assertEquals(
          "f.json: defaults: "
              + typo.getKey()
              + ": unknown setting (did you mean '"
              + typo.getValue()
              + "'?)",
          p.get().line());
    }
  }

  @Test
  void aSecretOfTheWrongTypeIsRefusedWithoutItsValue() {
    SettingProblem integer =
        validator.check(new SettingsValidator.Value("token_port", "hunter2", "-S")).orElseThrow();
    assertEquals(
        "-S: token_port: not a valid int (the value is secret and not shown)", integer.line());
    SettingProblem oneOf =
        validator.check(new SettingsValidator.Value("token_mode", "hunter2", "-S")).orElseThrow();
    assertFalse(oneOf.line().contains("hunter2"), oneOf.line());
    assertTrue(oneOf.line().contains("a, b"), oneOf.line());
    // what is not secret still shows what was written
    SettingProblem jobs =
        validator.check(new SettingsValidator.Value("jobs", "many", "-S")).orElseThrow();
    assertTrue(jobs.line().contains("'many'"), jobs.line());
  }

  @Test
  void aKeyFarFromEveryKnownOneListsTheKnownKeys() {
    SettingProblem p =
        validator.check(new SettingsValidator.Value("kubernetes", "v", "--set")).orElseThrow();
    assertTrue(p.message().startsWith("unknown setting (known: cache_url, compression,"), p.line());
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    List<SettingProblem> problems =
        validator.check(
            List.of(
                new SettingsValidator.Value("sytem", "x", "a"),
                new SettingsValidator.Value("daemon", "yes", "b"),
                new SettingsValidator.Value("jobs", "-1", "c"),
                new SettingsValidator.Value("compression", "gzip", "d"),
                new SettingsValidator.Value("retry_budget_seconds", "soon", "e"),
                new SettingsValidator.Value("max_nar", "12Q", "f"),
                new SettingsValidator.Value("cache_url", "no scheme", "g"),
                new SettingsValidator.Value("system", "fine", "h")));
    assertEquals(
        List.of(
            "sytem",
            "daemon",
            "jobs",
            "compression",
            "retry_budget_seconds",
            "max_nar",
            "cache_url"),
        problems.stream().map(SettingProblem::key).toList(),
        problems.toString());
    assertTrue(problems.get(3).message().contains("zstd, xz, none"), problems.get(3).message());
  }

  @Test
  void theTypesReadTheirValues() {
    Settings s =
        Settings.of(
            DECLARED,
            Map.of(
                "cache_url", "file:///c",
                "daemon", "true",
                "jobs", "4",
                "max_nar", "64M",
                "retry_budget_seconds", "1.5"));
    assertEquals("x", s.text("system").orElseThrow(), "the declared default");
    assertTrue(s.bool("daemon"));
    assertEquals(4L, s.integer("jobs").orElseThrow());
    assertEquals(64L << 20, s.size("max_nar").orElseThrow());
    assertEquals(Duration.ofMillis(1500), s.duration("retry_budget_seconds").orElseThrow());
    assertEquals(Duration.ofMinutes(5), SettingType.duration("5m"));
    assertEquals(Duration.ofMillis(250), SettingType.duration("250ms"));
    assertTrue(s.isSet("jobs"));
    assertTrue(!s.isSet("system"));
  }

  @Test
  void settingsReportEveryBadValueAndEveryMissingRequiredKeyAtOnce() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.of(
                    DECLARED,
                    Map.of("daemon", "perhaps", "jobs", "many"),
                    Map.of("daemon", "f.json clusters.prod", "jobs", "command line")));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage().contains("f.json clusters.prod: daemon: expected true or false"),
        e.getMessage());
    assertTrue(e.getMessage().contains("command line: jobs: expected an integer"), e.getMessage());
    assertTrue(e.getMessage().contains("cache_url: required"), e.getMessage());
  }

  @Test
  void aSecretIsNeverShown() {
    Settings s = Settings.of(DECLARED, Map.of("cache_url", "file:///c", "password", "hunter2"));
    assertTrue(!s.toString().contains("hunter2"), s.toString());
  }

  @Test
  void aDeclarationRefusesADefaultOfTheWrongType() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SettingDeclaration.builder("jobs", SettingType.INTEGER).defaultValue("many").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> SettingDeclaration.builder("Bad-Key", SettingType.STRING).build());
  }

  @Test
  void editDistanceCountsASwapAsOneEdit() {
    assertEquals(1, SettingsValidator.distance("dameon", "daemon"));
    assertEquals(1, SettingsValidator.distance("sytem", "system"));
    assertEquals(0, SettingsValidator.distance("jobs", "jobs"));
  }
}
