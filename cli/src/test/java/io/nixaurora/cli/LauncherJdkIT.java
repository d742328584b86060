package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher's start-up caches and its choice of JDK, on a fresh checkout: a newer JDK (24+) is
 * used with its AOT cache only when it accepts the cache, else the run stays on the Java 17 on PATH
 * with its AppCDS archive; a damaged cache never breaks a run nor reaches stdout; and the
 * launcher's memo of the sources' hash (by file metadata) still sees an edit that keeps a file's
 * size.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 1800, unit = TimeUnit.SECONDS)
class LauncherJdkIT {

  private static Path checkout;
  private static Path work;

  @BeforeAll
  static void freshCheckout() throws Exception {
    Path repo = Fixtures.repository();
    checkout = Files.createTempDirectory("nix-aurora-jdk-checkout-");
    work = Files.createTempDirectory("nix-aurora-jdk-work-");
    Process ls = new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "-z").start();
    String files = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, ls.waitFor());
    for (String f : files.split("\0")) {
      if (f.isEmpty() || !Files.isRegularFile(repo.resolve(f))) {
        continue;
      }
      Path target = checkout.resolve(f);
      Files.createDirectories(target.getParent());
      Files.copy(repo.resolve(f), target, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  @AfterAll
  static void removeTemporaryFiles() throws IOException {
    Fixtures.deleteTree(checkout);
    Fixtures.deleteTree(work);
  }

  private record Run(int exit, String out, String err) {}

  private static Run launch(List<String> args, long timeoutSeconds, Map<String, String> env)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("./nix-aurora"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
    pb.environment().remove("JAVA_HOME"); // the launcher's own choice is under test
    pb.environment().remove("NIX_AURORA_JAVA_OPTS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "the launcher took over " + timeoutSeconds + " s: " + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The configuration on stdout, and only that: hello_world's two processes. */
  private static void assertHelloWorldConfig(Run r) throws IOException {
    assertEquals(0, r.exit(), r.err());
    JsonNode processes = new ObjectMapper().readTree(r.out()).get("task").get("processes");
    assertEquals("hello_world", processes.get(1).get("name").asText(), r.out());
  }

  private static int majorOf(Run version) {
    Matcher m = Pattern.compile("^Java (\\d+)", Pattern.MULTILINE).matcher(version.out());
    assertTrue(m.find(), version.out());
    return Integer.parseInt(m.group(1));
  }

  private static Path currentBuild() throws IOException {
    return checkout.resolve(".nix-aurora/current").toRealPath();
  }

  private static List<Path> inBuild(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(currentBuild())) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  /**
   * A JDK 25 as the launcher sees one (a release file and bin/java) whose java records its
   * arguments, plays the AOT cache's record and create steps, and refuses the cache in the check
   * run (-XX:AOTMode=on) as a JVM does that cannot map it. Any other run is an error: it must never
   * run the CLI.
   */
  private static Path refusingJdk() throws IOException {
    Path jdks = Files.createDirectories(work.resolve("jdks"));
    Path home = Files.createDirectories(jdks.resolve("refusing-25"));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"25.0.9\"\n");
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path calls = work.resolve("refusing-calls.txt");
    Path java =
        Files.writeString(
            bin.resolve("java"),
            String.join(
                "\n",
                "#!/bin/sh",
                "echo \"$*\" >>'" + calls + "'",
                "for a in \"$@\"; do",
                "  case \"$a\" in",
                "    -XX:AOTConfiguration=*) conf=\"${a#*=}\" ;;",
                "    -XX:AOTCache=*) cache=\"${a#*=}\" ;;",
                "    -XX:AOTMode=*) mode=\"${a#*=}\" ;;",
                "  esac",
                "done",
                "case \"$mode\" in",
                "  record) echo classes >\"$conf\"; exit 0 ;;",
                "  create) echo cache >\"$cache\"; exit 0 ;;",
                "  on) echo 'Error: the AOT cache cannot be used' >&2; exit 1 ;;",
                "esac",
                "echo 'not a start-up cache step' >&2",
                "exit 99",
                ""));
    java.toFile().setExecutable(true);
    return jdks;
  }

  @Test
  @Order(1)
  void aNewerJdkThatRefusesItsAotCacheLeavesTheRunOnJava17WithItsAppCdsArchive() throws Exception {
    Path jdks = refusingJdk();
    Map<String, String> env = Map.of("NIX_AURORA_JDKS", jdks.toString());
    Run first = launch(List.of("build", "examples/hello_world"), 1200, env);
    assertTrue(first.err().contains("building the CLI with Maven"), first.err());
    assertHelloWorldConfig(first);

    List<String> calls = Files.readAllLines(work.resolve("refusing-calls.txt"));
    // The newer JDK was tried (record, create, the check) and refused; it never ran a command.
    assertEquals(3, calls.size(), String.join("\n", calls));
    assertTrue(calls.get(2).contains("-XX:AOTMode=on"), calls.get(2));
    assertEquals(List.of(), inBuild(".aot"), "a refused cache is not kept");
    assertEquals(1, inBuild(".jsa").size(), "the AppCDS archive of the Java on PATH");

    Run version = launch(List.of("--version"), 120, env);
    assertEquals(0, version.exit(), version.err());
    assertTrue(majorOf(version) < 24, version.out());
    assertEquals("", version.err(), "tried once per build: no second training");
    assertEquals(3, Files.readAllLines(work.resolve("refusing-calls.txt")).size());
  }

  /** The newest JDK 24+ installed in /usr/lib/jvm (the launcher's default place to look). */
  private static int newestAotJdk() throws IOException {
    int best = 0;
    try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
      for (Path home : homes.toList()) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isReadable(release)) {
          continue;
        }
        Matcher m =
            Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE)
                .matcher(Files.readString(release));
        if (m.find()) {
          best = Math.max(best, Integer.parseInt(m.group(1)));
        }
      }
    }
    return best;
  }

  @Test
  @Order(2)
  void anInstalledNewerJdkIsUsedWithItsAotCacheAndADamagedCacheDoesNotBreakARun() throws Exception {
    int newest = newestAotJdk();
    assertTrue(
        newest >= 24,
        "this test needs a JDK 24 or newer in /usr/lib/jvm (CI installs Temurin 25 there)");
    Map<String, String> env = Map.of("NIX_AURORA_JDKS", "/usr/lib/jvm");

    // The build above predates this JDK's cache: trained once, by the next launch.
    Run training = launch(List.of("--version"), 600, env);
    assertEquals(0, training.exit(), training.err());
    assertTrue(training.err().contains("preparing the start-up cache"), training.err());
    assertEquals(newest, majorOf(training), training.out());
    assertEquals(1, inBuild(".aot").size(), "the cache the JDK accepted is kept");

    Run warm = launch(List.of("build", "examples/hello_world"), 300, env);
    assertHelloWorldConfig(warm);
    assertFalse(warm.err().contains("preparing"), warm.err());

    // A damaged cache (a disk full during training, a JDK update in place): the JVM refuses it
    // and runs without; nothing of that reaches stdout or the user.
    Path aot = inBuild(".aot").get(0);
    byte[] bytes = Files.readAllBytes(aot);
    Files.write(aot, java.util.Arrays.copyOf(bytes, 4096));
    Run damaged = launch(List.of("build", "examples/hello_world"), 300, env);
    assertHelloWorldConfig(damaged);
    assertFalse(damaged.err().toLowerCase(java.util.Locale.ROOT).contains("aot"), damaged.err());
    Run version = launch(List.of("--version"), 120, env);
    assertEquals(newest, majorOf(version), version.out());
    assertEquals("", version.err());
  }

  @Test
  @Order(3)
  void anEditThatKeepsTheFileSizeIsStillSeenAndUndoingItFindsTheFirstBuild() throws Exception {
    Map<String, String> env = Map.of("NIX_AURORA_JDKS", "");
    Path before = currentBuild();
    Path main = checkout.resolve("cli/src/main/java/io/nixaurora/cli/Main.java");
    String original = Files.readString(main);
    String edited = original.replace("entry point", "entry_point");
    assertEquals(original.length(), edited.length());
    assertFalse(original.equals(edited));
    Files.writeString(main, edited);

    Run rebuilt = launch(List.of("--version"), 1200, env);
    assertEquals(0, rebuilt.exit(), rebuilt.err());
    assertTrue(rebuilt.err().contains("sources changed"), rebuilt.err());
    assertFalse(before.equals(currentBuild()));

    Files.writeString(main, original);
    Run back = launch(List.of("--version"), 120, env);
    assertEquals(0, back.exit(), back.err());
    assertEquals("", back.err(), "the first sources' build is found again, nothing is built");
    assertTrue(Files.isRegularFile(before.resolve("complete")), "and it is kept");
  }
}
