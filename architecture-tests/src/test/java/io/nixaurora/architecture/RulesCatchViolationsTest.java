package io.nixaurora.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The rules of {@link ModuleRulesTest} report classes that break them (they are not vacuous). */
class RulesCatchViolationsTest {

  private static final JavaClasses FIXTURES =
      new ClassFileImporter().importPackages("io.nixaurora.architecture.fixtures");

  @Test
  void printingIsCaught() {
    assertViolation(ModuleRulesTest.ONLY_THE_CLI_PRINTS, "System.out");
  }

  @Test
  void exitingIsCaught() {
    assertViolation(ModuleRulesTest.ONLY_THE_CLI_EXITS, "System.exit");
  }

  @Test
  void startingProcessesIsCaught() {
    assertViolation(ModuleRulesTest.ONLY_SUPPORT_AND_THE_TCK_START_PROCESSES, "ProcessBuilder");
  }

  @Test
  void runningProgramsIsCaught() {
    assertViolation(
        ModuleRulesTest.ONLY_NIX_LOCAL_SUBMIT_CLI_AND_CLI_RUN_PROGRAMS, "support.Command");
  }

  @Test
  void packageCyclesAreCaught() {
    assertViolation(ModuleRulesTest.NO_PACKAGE_CYCLES, "Cycle detected");
  }

  @Test
  void staticMutableStateIsCaught() {
    assertViolation(ModuleRulesTest.NO_STATIC_MUTABLE_STATE, "counter");
  }

  @Test
  void leakingNonJdkTypesIsCaught() {
    assertViolation(
        classes().should(ModuleRulesTest.exposeOnly("java..", "io.nixaurora.api..")),
        "exposes com.tngtech.archunit.core.domain.JavaClass");
  }

  @Test
  void aBackendInCoreIsCaught() {
    assertViolation(
        ModuleRulesTest.usesNoBackend("io.nixaurora.architecture.fixtures.."), "NixRunner");
  }

  @Test
  void aBackendNamedOutsideTheAllowedCliClassesIsCaught() {
    assertViolation(
        ModuleRulesTest.namesBackendsOnlyIn(
            "io.nixaurora.architecture.fixtures..", java.util.Set.of("Offender")),
        "UsesBackend");
    // the allowed class itself is not reported
    EvaluationResult allowed =
        ModuleRulesTest.namesBackendsOnlyIn(
                "io.nixaurora.architecture.fixtures..", java.util.Set.of("UsesBackend"))
            .evaluate(FIXTURES);
    assertTrue(!allowed.hasViolation(), String.join("\n", allowed.getFailureReport().getDetails()));
  }

  private static void assertViolation(ArchRule rule, String expected) {
    EvaluationResult result = rule.evaluate(FIXTURES);
    assertTrue(result.hasViolation(), rule.getDescription() + " found nothing");
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(report.contains(expected), report);
  }
}
