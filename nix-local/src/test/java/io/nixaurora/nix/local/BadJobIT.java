package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad job file gives one clear NixException naming the file (and line). */
class BadJobIT {

  @TempDir Path tmp;

  private NixException fail(String nix) throws Exception {
    Path dir = Jobs.jobDir(tmp.resolve("job"), nix);
    NixException e =
        assertThrows(
            NixException.class,
            () ->
                Jobs.evaluator(tmp.resolve("cache"))
                    .evaluate(JobSource.file(dir), EventListener.NONE));
    assertTrue(e.jobAtFault(), e.getMessage());
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().startsWith(dir.resolve("default.nix").toString()), e.getMessage());
    assertFalse(e.getMessage().contains("--show-trace"), e.getMessage());
    return e;
  }

  private InvalidJobException invalid(Path dir) {
    return assertThrows(
        InvalidJobException.class,
        () ->
            Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE));
  }

  @Test
  void syntaxError() throws Exception {
    NixException e =
        fail(Jobs.HELLO_WORLD.replace("name = \"hello_world\";\n", "name = \"hello_world\"\n"));
    assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    assertTrue(e.location().orElseThrow().matches(".*/default.nix:\\d+:\\d+"), e.location().get());
  }

  @Test
  void misspeltAttributeIsNamedWithASuggestionAndItsLine() throws Exception {
    NixException e = fail(Jobs.HELLO_WORLD.replace("cmdline =", "cmdlin ="));
    assertEquals(
        tmp.resolve("job/default.nix")
            + ":7:30: Process: unknown attribute 'cmdlin' (did you mean 'cmdline'?)",
        e.getMessage());
  }

  @Test
  void wrongType() throws Exception {
    NixException e = fail(Jobs.HELLO_WORLD.replace("cpu = 1;", "cpu = \"1\";"));
    assertEquals(
        tmp.resolve("job/default.nix") + ":8:29: Resources.cpu: expected a number, got a string",
        e.getMessage());
  }

  @Test
  void aValueTheModelRefusesNamesTheFieldPath() throws Exception {
    Path dir = Jobs.jobDir(tmp.resolve("job"), Jobs.HELLO_WORLD.replace("cpu = 1;", "cpu = 0;"));
    InvalidJobException e = invalid(dir);
    assertEquals(1, e.violations().size(), e.getMessage());
    assertEquals("task.resources.cpu", e.violations().get(0).path());
    assertTrue(e.violations().get(0).message().startsWith("must be > 0"), e.getMessage());
  }

  @Test
  void everyValueTheModelRefusesIsReportedAtOnce() throws Exception {
    Path dir =
        Jobs.jobDir(
            tmp.resolve("job"),
            Jobs.HELLO_WORLD
                .replace("cpu = 1;", "cpu = 0;")
                .replace(
                    "(Process { name = \"hello_world\";",
                    "(Process { resources = Resources { cpu = 0; ram = 1 * MB; disk = 1 * MB; };"
                        + " name = \"hello_world\";"));
    InvalidJobException e = invalid(dir);
    // Not also "task: is required": the task was refused only for its parts.
    assertEquals(
        List.of("task.processes[0].resources.cpu", "task.resources.cpu"),
        e.violations().stream().map(InvalidJobException.Violation::path).toList(),
        e.getMessage());
  }

  @Test
  void missingRequiredAttribute() throws Exception {
    NixException e = fail(Jobs.HELLO_WORLD.replace("role = \"vagrant\";", ""));
    assertTrue(e.getMessage().endsWith("Job: missing attribute 'role'"), e.getMessage());
  }

  @Test
  void missingAttributeInAnExpression() throws Exception {
    NixException e = fail(Jobs.HELLO_WORLD.replace("pkgs.python3", "pkgs.python9"));
    assertTrue(e.getMessage().contains("attribute 'python9' missing"), e.getMessage());
  }

  @Test
  void nestedPlainAttributeSetsAreCheckedToo() throws Exception {
    NixException e =
        fail(
            Jobs.HELLO_WORLD.replace(
                "Service {",
                "Service {\n update_config = { batch_size = 1; update_strategy = { batch_sizes = [ 1 \"2\" ]; }; };"));
    assertTrue(
        e.getMessage()
            .endsWith(
                "VariableBatchUpdateStrategy.batch_sizes[1]: expected an integer, got a string"),
        e.getMessage());
  }

  @Test
  void failingPackageBuildCarriesTheBuildersLog() throws Exception {
    NixException e =
        fail(
            Jobs.HELLO_WORLD.replace(
                "${pkgs.python3}",
                "${derivation { name = \"broken\"; system = builtins.currentSystem; builder = \"/bin/sh\"; allowSubstitutes = false;"
                    + " args = [ \"-c\" \"echo compiler exploded >&2; exit 3\" ]; }}"));
    assertTrue(e.getMessage().contains("builder for '/nix/store/"), e.getMessage());
    assertTrue(e.getMessage().contains("-broken.drv' failed with exit code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("compiler exploded"), e.getMessage());
  }
}
