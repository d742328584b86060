package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}: a task on this machine, as Thermos runs it (docs/aurora-spec.md §7). */
@org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
class RunCommandIT {

  @TempDir Path tmp;

  /** An Aurora job JSON with these processes (JSON objects) and constraints. */
  private Path config(String processes, String constraints, String taskExtra) throws Exception {
    String json =
        """
        {"cluster": "devcluster", "role": "vagrant", "environment": "devel", "name": "t",
         "task": {"name": "t", "processes": [%s], "constraints": [%s],
                  "resources": {"cpu": 1.0, "ram": 16777216, "disk": 16777216}%s}}
        """
            .formatted(processes, constraints, taskExtra);
    return Files.writeString(tmp.resolve("job-" + System.nanoTime() + ".json"), json);
  }

  private static String process(String name, String cmdline, String extra) {
    return "{\"name\": \""
        + name
        + "\", \"cmdline\": \""
        + cmdline.replace("\"", "\\\"")
        + "\""
        + extra
        + "}";
  }

  private Cli.Result run(Path config, String... more) throws Exception {
    Cli cli = new Cli(tmp.resolve("cli-" + System.nanoTime()));
    cli.variables.put("NIX_AURORA_TEST_SECRET", "must-not-leak");
    String[] args = new String[more.length + 2];
    args[0] = "run";
    args[1] = config.toString();
    System.arraycopy(more, 0, args, 2, more.length);
    Cli.Result r = cli.run(args);
    // names are padded to one width; tests match "name | line"
    return new Cli.Result(r.exitCode(), r.out().replaceAll(" +\\| ", " | "), r.err());
  }

  @Test
  void theReadmeExampleRunsAndCtrlCStopsIt() throws Exception {
    Cli cli = new Cli(tmp);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Path hello = Fixtures.repository().resolve("examples/hello_world");
    Thread command =
        new Thread(
            () ->
                code.set(
                    Main.execute(
                        cli.environment(),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "run",
                        hello.toString())));
    command.start();
    long deadline = System.currentTimeMillis() + 120_000;
    while (!out.toString().contains("| Hello world!")
        && System.currentTimeMillis() < deadline
        && command.isAlive()) {
      Thread.sleep(100);
    }
    String printed = out.toString().replaceAll(" +\\| ", " | ");
    assertTrue(printed.contains("hello_world | Hello world! The time is now"), out + "\n" + err);
    assertTrue(printed.contains("nix_init_hello_world | "), printed);
    Matcher sandbox = Pattern.compile("\\[run\\] sandbox (\\S+)").matcher(err.toString());
    assertTrue(sandbox.find(), err.toString());
    assertTrue(
        Files.isSymbolicLink(Path.of(sandbox.group(1), ".gc/hello_world")),
        "init rooted the closure");
    // The run's hello_world.py, found among this JVM's own descendants (never the machine's
    // other processes: another test or user may run the same example).
    List<ProcessHandle> started = ourProcessesRunning("hello_world.py");
    assertFalse(started.isEmpty(), "no hello_world.py among this JVM's processes");
    command.interrupt(); // what the Ctrl-C hook does
    command.join(15_000);
    assertFalse(command.isAlive());
    assertEquals(130, code.get(), err.toString());
    assertTrue(err.toString().contains("stopped hello_world"), err.toString());
    for (ProcessHandle p : started) {
      assertFalse(p.isAlive(), "hello_world.py (pid " + p.pid() + ") still runs");
    }
    assertEquals(List.of(), ourProcessesRunning("hello_world.py"), "hello_world.py still runs");
  }

  /** The descendants of this JVM whose command line names {@code what}. */
  private static List<ProcessHandle> ourProcessesRunning(String what) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(what))
        .toList();
  }

  @Test
  void orderEnvironmentAndSandboxAreThermos() throws Exception {
    Path config =
        config(
            process("first", "echo one > file; sleep 0.2", "")
                + ","
                + process("second", "cat file; pwd; echo home=$HOME; env | sort", ""),
            "{\"order\": [\"first\", \"second\"]}",
            "");
    Cli.Result r = run(config, "--sandbox", tmp.resolve("sb").toString());
    assertEquals(0, r.exitCode(), r.toString());
    String sb = tmp.resolve("sb").toString();
    assertTrue(r.out().contains("second | one"), r.out());
    assertTrue(r.out().contains("second | " + sb), r.out());
    assertTrue(r.out().contains("second | home=" + sb), r.out());
    assertTrue(r.out().contains("second | PATH="), r.out());
    assertFalse(r.out().contains("must-not-leak"), r.out());
    assertTrue(Files.exists(tmp.resolve("sb/.logs/second/0/stdout")), "Thermos-style logs");
  }

  @Test
  void aSuccessfulRunRemovesItsTemporarySandboxUnlessKept() throws Exception {
    Path config =
        config(process("once", "pwd; mkdir -p .gc && ln -s /nix/store .gc/x", ""), "", "");
    Cli.Result removed = run(config);
    assertEquals(0, removed.exitCode(), removed.toString());
    Path first = Path.of(removed.out().strip().replaceAll("(?s).*once \\| (\\S+).*", "$1"));
    assertTrue(first.getFileName().toString().startsWith("nix-aurora-run-"), removed.out());
    assertFalse(Files.exists(first), "the sandbox of a successful run was left: " + first);
    assertTrue(removed.err().contains("sandbox removed"), removed.err());
    assertTrue(Files.isDirectory(Path.of("/nix/store")), "a link in the sandbox was followed");

    Cli.Result kept = run(config, "--keep");
    assertEquals(0, kept.exitCode(), kept.toString());
    Path second = Path.of(kept.out().strip().replaceAll("(?s).*once \\| (\\S+).*", "$1"));
    assertTrue(Files.isDirectory(second), "--keep keeps the sandbox");
    Fixtures.deleteTree(second);
  }

  @Test
  void aNegativeInstanceIsRefused() throws Exception {
    Cli.Result r = run(config(process("p", "true", ""), "", ""), "--instance", "-1");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--instance: must be 0 or more"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void maxFailuresRetriesUntilSuccess() throws Exception {
    Path config =
        config(
            process(
                "flaky",
                "n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; echo run $n; [ $n -ge 3 ]",
                ", \"max_failures\": 3, \"min_duration\": 0"),
            "",
            "");
    Cli.Result r = run(config);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("flaky | run 3"), r.out());
  }

  @Test
  void aFailedProcessFailsTheTaskAndItsDependentsNeverStart() throws Exception {
    Path config =
        config(
            process("broken", "echo trying; exit 2", "")
                + ","
                + process("after", "echo must-not-run", ""),
            "{\"order\": [\"broken\", \"after\"]}",
            "");
    Cli.Result r = run(config);
    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.out().contains("broken | trying"), r.out());
    assertFalse(r.out().contains("must-not-run"), r.out());
    assertTrue(r.err().contains("task FAILED"), r.err());
  }

  @Test
  void ephemeralSidecarsAreStoppedAndFinalProcessesRunLast() throws Exception {
    Path config =
        config(
            process("sidecar", "echo side; sleep 60", ", \"ephemeral\": true")
                + ","
                + process("main", "sleep 0.3; echo main-done", "")
                + ","
                + process("cleanup", "echo cleaning-up", ", \"final\": true"),
            "",
            "");
    Cli.Result r = run(config);
    assertEquals(0, r.exitCode(), r.toString());
    String out = r.out();
    assertTrue(out.indexOf("main | main-done") < out.indexOf("cleanup | cleaning-up"), out);
    assertTrue(r.err().contains("stopped sidecar"), r.err());
  }

  @Test
  void aDaemonRunsAgainAfterExitingZero() throws Exception {
    Path config =
        config(
            process(
                "daemon",
                "n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; echo run $n; [ $n -lt 3 ]",
                ", \"daemon\": true, \"min_duration\": 0"),
            "",
            "");
    Cli.Result r = run(config);
    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.out().contains("daemon | run 3"), r.out());
    assertTrue(r.err().contains("daemon, so it runs again"), r.err());
  }

  @Test
  void templatesAreBoundLikeTheExecutorBindsThem() throws Exception {
    Path config =
        config(
            process("a", "echo port={{thermos.ports[http]}} instance={{mesos.instance}}", "")
                + ","
                + process("b", "echo port={{thermos.ports[http]}} role={{role}}", ""),
            "",
            "");
    Cli.Result r = run(config, "--instance", "2");
    assertEquals(0, r.exitCode(), r.toString());
    Matcher a = Pattern.compile("a \\| port=(\\d+) instance=2").matcher(r.out());
    Matcher b = Pattern.compile("b \\| port=(\\d+) role=vagrant").matcher(r.out());
    assertTrue(a.find() && b.find(), r.out());
    assertEquals(a.group(1), b.group(1));
    assertTrue(r.err().contains("port http = " + a.group(1)), r.err());
  }

  @Test
  void theJobsFieldsAreBoundAsAurorasClientBindsThem() throws Exception {
    // pystachio looks {{name}} up in the process first: a process's own name, as the client sends
    Path config =
        config(
            process(
                "a", "echo {{name}} {{task.name}} {{instances}} {{environment}} {{cluster}}", ""),
            "",
            "");
    Cli.Result r = run(config);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("a | a t 1 devel devcluster"), r.out());
  }

  @Test
  void whatThermosRefusesIsRefusedBeforeAnythingRuns() throws Exception {
    for (List<String> bad :
        List.of(
            List.of(
                process("d", "touch ran", ", \"daemon\": true")
                    + ","
                    + process("e", "touch ran", ""),
                "{\"order\": [\"d\", \"e\"]}",
                "may not depend upon daemon"),
            List.of(
                process("x", "touch ran", "") + "," + process("y", "touch ran", ""),
                "{\"order\": [\"x\", \"y\"]}, {\"order\": [\"y\", \"x\"]}",
                "cycles"),
            List.of(process("u", "echo {{nope}}; touch ran", ""), "", "unbound template"))) {
      Path sb = tmp.resolve("sb-" + System.nanoTime());
      Cli.Result r = run(config(bad.get(0), bad.get(1), ""), "--sandbox", sb.toString());
      assertEquals(3, r.exitCode(), r.toString());
      assertTrue(r.err().contains(bad.get(2)), r.err());
      assertFalse(Files.exists(sb.resolve("ran")));
    }
  }
}
