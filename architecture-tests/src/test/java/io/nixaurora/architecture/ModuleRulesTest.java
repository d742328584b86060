package io.nixaurora.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.nixaurora.support.Command;
import io.nixaurora.support.RunningCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/ARCHITECTURE.md ("Modules and what each may depend on"), checked on the
 * production classes of every module (test classes are not imported).
 */
class ModuleRulesTest {

  static final String API = "io.nixaurora.api..";
  static final String SUPPORT = "io.nixaurora.support..";
  static final String COMPILER = "io.nixaurora.compiler..";
  static final String CORE = "io.nixaurora.core..";
  static final String NIX_LOCAL = "io.nixaurora.nix.local..";
  static final String NIX_CACHE = "io.nixaurora.nix.cache..";
  static final String SUBMIT_CLI = "io.nixaurora.submit.cli..";
  static final String SUBMIT_HTTP = "io.nixaurora.submit.http..";
  static final String CLI = "io.nixaurora.cli..";
  static final String EXAMPLES = "io.nixaurora.examples..";
  static final String TCK = "io.nixaurora.tck..";

  /** Each backend and the backends it may use. */
  static final Map<String, Set<String>> BACKENDS =
      Map.of(
          COMPILER, Set.of(),
          NIX_LOCAL, Set.of(),
          NIX_CACHE, Set.of(NIX_LOCAL),
          // The cli submitter refuses what the client's --read-json cannot load (ReadJsonLimits).
          SUBMIT_CLI, Set.of(COMPILER),
          SUBMIT_HTTP, Set.of());

  static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.nixaurora");
  }

  @Test
  void everyModuleIsImported() {
    // Guards the rules below against passing because a module's classes were not found.
    for (String module :
        List.of(API, SUPPORT, TCK, COMPILER, CORE, NIX_LOCAL, NIX_CACHE, SUBMIT_CLI, SUBMIT_HTTP)) {
      String pkg = module.substring(0, module.length() - 2);
      assertTrue(
          classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
          "no production classes found in " + pkg);
    }
    assertTrue(
        classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.nixaurora.architecture")),
        "test classes were imported");
  }

  @Test
  void apiDependsOnlyOnTheJdkAndJacksonAnnotations() {
    classes()
        .that()
        .resideInAPackage(API)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", API, "com.fasterxml.jackson.annotation..")
        .because("api is what every embedder pulls in; it depends on nothing of ours")
        .check(classes);
  }

  @Test
  void supportDependsOnlyOnTheJdkAndApi() {
    classes()
        .that()
        .resideInAPackage(SUPPORT)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "javax..", API, SUPPORT)
        .because(
            "support holds what several backends need once (redirect policy, bounded reads,"
                + " netrc); every backend may use it, so it uses no backend and no library")
        .check(classes);
  }

  @Test
  void tckDependsOnlyOnTheJdkApiAndJUnit() {
    classes()
        .that()
        .resideInAPackage(TCK)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", API, TCK, "org.junit..", "org.opentest4j..")
        .because(
            "a plugin author adds the tck to a test classpath beside their own backend; it must"
                + " bring nothing of ours but api, and no backend")
        .check(classes);
  }

  @Test
  void apiExposesOnlyJdkAndApiTypesInPublicSignatures() {
    classes()
        .that()
        .resideInAPackage(API)
        .and()
        .arePublic()
        .should(exposeOnly("java..", "io.nixaurora.api.."))
        .because("public api signatures are what embedders compile against")
        .check(classes);
  }

  @Test
  void noBackendDependsOnAnotherExceptTheBinaryCacheOnNixLocal() {
    for (Map.Entry<String, Set<String>> backend : BACKENDS.entrySet()) {
      String[] forbidden =
          BACKENDS.keySet().stream()
              .filter(other -> !other.equals(backend.getKey()))
              .filter(other -> !backend.getValue().contains(other))
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(backend.getKey())
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden)
          .because("backends are swapped independently; only nix-binary-cache uses nix-local")
          .check(classes);
    }
  }

  /**
   * Classes of {@code pkg} name no backend and not the cli: core is the pipeline every embedder
   * uses with backends of their choosing, reached only through the SPIs.
   */
  static ArchRule usesNoBackend(String pkg) {
    return noClasses()
        .that()
        .resideInAPackage(pkg)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(NIX_LOCAL, NIX_CACHE, SUBMIT_CLI, SUBMIT_HTTP, CLI)
        .because("core reaches backends only through the api SPIs; the cli sits on top of it");
  }

  @Test
  void coreDependsOnNoBackendAndNotOnTheCli() {
    usesNoBackend(CORE).check(classes);
  }

  @Test
  void coreDependsOnlyOnTheJdkApiSupportAndTheCompiler() {
    classes()
        .that()
        .resideInAPackage(CORE)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", API, SUPPORT, COMPILER, CORE)
        .because("core is the pipeline: api values, the compiler and the SPIs, nothing else")
        .check(classes);
  }

  /**
   * The cli classes that may name a backend's classes, each for a reason of its own; every other
   * cli class reaches backends through the SPIs and their factories. Dagger's generated classes
   * ({@code DaggerCliComponent}, {@code CacheCommand_Push_Factory}) count as the class they are
   * generated for.
   */
  static final Set<String> CLI_CLASSES_NAMING_BACKENDS =
      Set.of(
          // the wiring: the built-in backends' Dagger modules
          "CliComponent",
          // the job evaluator is nix-local's: only nix-local runs Nix
          "Evaluation",
          // the cache commands are about the binary cache itself
          "CacheCommand",
          // `run` runs a task on this machine, so its init command is the local store provider's
          // (it names nix-local's setting keys, constants javac inlines: the rule cannot see them)
          "RunCommand",
          // what agents need of Nix (a daemon for the role user), for agent-config
          "AgentNeeds");

  /** Classes of {@code pkg} name backend classes only in {@code allowed} (simple names). */
  static ArchRule namesBackendsOnlyIn(String pkg, Set<String> allowed) {
    return noClasses()
        .that()
        .resideInAPackage(pkg)
        .and(
            DescribedPredicate.describe(
                "are not one of " + new java.util.TreeSet<>(allowed),
                (JavaClass c) -> !allowed.contains(generatedFor(c))))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(NIX_LOCAL, NIX_CACHE, SUBMIT_CLI, SUBMIT_HTTP)
        .because(
            "docs/ARCHITECTURE.md: the cli reaches backends through the SPIs and their factories,"
                + " so a plugin backend is as good as a built-in one");
  }

  /** The hand-written top-level class a (nested or Dagger-generated) class belongs to. */
  static String generatedFor(JavaClass c) {
    String name = c.getName().substring(c.getPackageName().length() + 1);
    name = name.split("\\$", 2)[0];
    if (name.startsWith("Dagger")) {
      name = name.substring("Dagger".length());
    }
    return name.split("_", 2)[0];
  }

  @Test
  void theCliNamesBackendClassesOnlyWhereItMust() {
    namesBackendsOnlyIn(CLI, CLI_CLASSES_NAMING_BACKENDS).check(classes);
  }

  @Test
  void nothingDependsOnTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage(CLI)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(CLI)
        .because("the cli is the top of the graph; libraries must work without it")
        .check(classes);
  }

  static final ArchRule NO_PACKAGE_CYCLES =
      slices()
          .matching("io.nixaurora.(**)")
          .should()
          .beFreeOfCycles()
          .because("docs/ARCHITECTURE.md: packages have no cycles");

  static final ArchRule ONLY_THE_CLI_PRINTS =
      noClasses()
          .that()
          .resideOutsideOfPackage(CLI)
          .should()
          .accessField(System.class, "out")
          .orShould()
          .accessField(System.class, "err")
          .orShould()
          .callMethod(Throwable.class, "printStackTrace")
          .because("libraries report through EventListener events and exceptions");

  static final ArchRule ONLY_THE_CLI_EXITS =
      noClasses()
          .that()
          .resideOutsideOfPackage(CLI)
          .should()
          .callMethod(System.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "halt", int.class)
          .because("docs/STYLE.md: no System.exit outside the CLI's main");

  static final ArchRule ONLY_SUPPORT_AND_THE_TCK_START_PROCESSES =
      noClasses()
          .that()
          .resideOutsideOfPackages(SUPPORT, TCK)
          .should()
          .dependOnClassesThat()
          .areAssignableTo(ProcessBuilder.class)
          .orShould()
          .callMethodWhere(
              DescribedPredicate.describe(
                  "Runtime.exec",
                  call ->
                      call.getTargetOwner().isEquivalentTo(Runtime.class)
                          && call.getName().equals("exec")))
          .because(
              "every program runs through support's Command (timeout, output drained, process"
                  + " tree stopped); the tck, which may use only the JDK, runs a provider's init"
                  + " command as Thermos does");

  static final ArchRule ONLY_NIX_LOCAL_SUBMIT_CLI_AND_CLI_RUN_PROGRAMS =
      noClasses()
          .that()
          .resideOutsideOfPackages(SUPPORT, NIX_LOCAL, SUBMIT_CLI, CLI)
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(Command.class, RunningCommand.class)
          .because(
              "Nix runs through NixRunner in nix-local; the cli submitter runs the aurora client;"
                  + " the cli runs jobs locally");

  static final ArchRule NO_STATIC_MUTABLE_STATE =
      noFields()
          .that()
          .areStatic()
          .and()
          .areDeclaredInClassesThat()
          .resideInAPackage("io.nixaurora..")
          .and(DescribedPredicate.describe("not synthetic", (JavaField f) -> !isSynthetic(f)))
          .should()
          .notBeFinal()
          .because("docs/STYLE.md: no static mutable state");

  @Test
  void packagesHaveNoCycles() {
    NO_PACKAGE_CYCLES.check(classes);
  }

  @Test
  void onlyTheCliPrints() {
    ONLY_THE_CLI_PRINTS.check(classes);
  }

  @Test
  void onlyTheCliExits() {
    ONLY_THE_CLI_EXITS.check(classes);
  }

  @Test
  void onlySupportAndTheTckStartProcesses() {
    ONLY_SUPPORT_AND_THE_TCK_START_PROCESSES.check(classes);
  }

  @Test
  void onlyNixLocalTheAuroraClientSubmitterAndTheCliRunPrograms() {
    ONLY_NIX_LOCAL_SUBMIT_CLI_AND_CLI_RUN_PROGRAMS.check(classes);
  }

  @Test
  void apiAndCompilerDoNotSpeakHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(API, COMPILER)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.net.http..")
        .check(classes);
  }

  @Test
  void thereIsNoStaticMutableState() {
    NO_STATIC_MUTABLE_STATE.check(classes);
  }

  private static boolean isSynthetic(JavaField field) {
    return field.getModifiers().contains(JavaModifier.SYNTHETIC) || field.getName().contains("$");
  }

  /**
   * Public and protected fields, methods and constructors of a class mention only types of the
   * given packages (primitives and arrays of them are fine; annotations are not signatures).
   */
  static ArchCondition<JavaClass> exposeOnly(String... packages) {
    return new ArchCondition<>("expose only types in " + String.join(", ", packages)) {
      @Override
      public void check(JavaClass clazz, ConditionEvents events) {
        for (JavaField f : clazz.getFields()) {
          if (isVisible(f.getModifiers())) {
            checkType(clazz, f.getFullName(), f.getRawType(), events);
          }
        }
        for (JavaCodeUnit unit : clazz.getCodeUnits()) {
          if (!isVisible(unit.getModifiers()) || unit.getName().equals("<clinit>")) {
            continue;
          }
          checkType(clazz, unit.getFullName(), unit.getRawReturnType(), events);
          for (JavaClass p : unit.getRawParameterTypes()) {
            checkType(clazz, unit.getFullName(), p, events);
          }
          for (JavaType t : unit.getThrowsClause().getTypes()) {
            checkType(clazz, unit.getFullName(), t.toErasure(), events);
          }
          for (JavaType t : unit.getParameterTypes()) {
            for (JavaClass involved : t.getAllInvolvedRawTypes()) {
              checkType(clazz, unit.getFullName(), involved, events);
            }
          }
          for (JavaClass involved : unit.getReturnType().getAllInvolvedRawTypes()) {
            checkType(clazz, unit.getFullName(), involved, events);
          }
        }
      }

      private boolean isVisible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC)
            || modifiers.contains(JavaModifier.PROTECTED);
      }

      private void checkType(
          JavaClass owner, String where, JavaClass type, ConditionEvents events) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        if (base.isPrimitive()) {
          return;
        }
        for (String p : packages) {
          String prefix = p.substring(0, p.length() - 2);
          if (base.getPackageName().equals(prefix)
              || base.getPackageName().startsWith(prefix + ".")) {
            return;
          }
        }
        events.add(
            SimpleConditionEvent.violated(
                owner, where + " exposes " + base.getName() + ", which is not a JDK or api type"));
      }
    };
  }
}
