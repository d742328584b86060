package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --help} of every command lists every one of its options, with examples. */
@org.junit.jupiter.api.Timeout(value = 600, unit = java.util.concurrent.TimeUnit.SECONDS)
class HelpTest {

  @TempDir Path tmp;

  @TestFactory
  List<DynamicTest> everyCommandsHelpListsItsOptions() throws Exception {
    CommandLine root =
        Main.commandLine(
            DaggerCliComponent.factory()
                .create(new Cli(tmp).environment(), getClass().getClassLoader()));
    List<DynamicTest> tests = new ArrayList<>();
    collect(root, new ArrayList<>(), tests);
    assertTrue(tests.size() >= 15, "commands found: " + tests.size());
    return tests;
  }

  private void collect(CommandLine command, List<String> path, List<DynamicTest> tests) {
    String name = command.getCommandName();
    if (name.equals("help")) {
      return;
    }
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    List<String> options = new ArrayList<>();
    for (OptionSpec o : command.getCommandSpec().options()) {
      if (!o.hidden()) {
        options.add(o.longestName());
      }
    }
    tests.add(
        DynamicTest.dynamicTest(
            String.join(" ", path.isEmpty() ? List.of("nix-aurora") : path) + " --help",
            () -> {
              Cli.Result r =
                  new Cli(tmp.resolve(String.join("_", args))).run(args.toArray(String[]::new));
              assertEquals(0, r.exitCode(), r.toString());
              assertTrue(r.out().contains("Usage: nix-aurora"), r.out());
              for (String option : options) {
                assertTrue(r.out().contains(option), option + " missing in\n" + r.out());
              }
              assertTrue(r.out().contains("Examples:"), "no examples in\n" + r.out());
              // Every example job the help names exists in the repository.
              var examples =
                  java.util.regex.Pattern.compile("\\bexamples/([\\w.-]+)").matcher(r.out());
              while (examples.find()) {
                assertTrue(
                    java.nio.file.Files.exists(
                        Fixtures.repository().resolve("examples").resolve(examples.group(1))),
                    "the help names " + examples.group() + ", which does not exist");
              }
              assertEquals("", r.err());
            }));
    for (CommandLine sub : command.getSubcommands().values()) {
      List<String> subPath = new ArrayList<>(path);
      subPath.add(sub.getCommandName());
      collect(sub, subPath, tests);
    }
  }

  @Test
  void versionPrintsTheProjectVersion() throws Exception {
    Cli.Result r = new Cli(tmp).run("--version");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().matches("(?s)nix-aurora \\d+\\.\\d+\\.\\d+.*\nJava .*"), r.out());
  }

  @Test
  void completionScriptCompletesTheCommands() throws Exception {
    Cli.Result r = new Cli(tmp).run("completion", "bash");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("complete -F"), r.out().substring(0, 200));
    for (String c :
        List.of("build", "create", "update", "kill", "status", "diff", "run", "cache", "doctor")) {
      assertTrue(r.out().contains(c), c);
    }
    assertTrue(r.out().contains("--dry-run"));
  }

  @Test
  void stacktraceShowsTheTraceAndOnlyThen() throws Exception {
    Cli.Result without = new Cli(tmp).run("build", "/nonexistent/job.nix");
    assertEquals(3, without.exitCode());
    assertTrue(!without.err().contains("\tat "), without.err());
    Cli.Result with = new Cli(tmp).run("build", "/nonexistent/job.nix", "--stacktrace");
    assertEquals(3, with.exitCode());
    assertTrue(with.err().contains("\tat io.nixaurora.cli."), with.err());
  }

  @Test
  void noCommandPrintsUsageAndExits2() throws Exception {
    Cli.Result r = new Cli(tmp).run();
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("Usage: nix-aurora"), r.err());
    assertEquals("", r.out());
  }
}
