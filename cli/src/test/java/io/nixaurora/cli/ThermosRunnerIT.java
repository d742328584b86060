package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs built by nix-aurora run under Aurora 0.22's real Thermos runner ({@code
 * aurora-0.22/bin/thermos-run}, which starts a task as the executor does): every example, and a job
 * with final, daemon and ephemeral processes and several order constraints. For every process
 * {@code P}: {@code nix_init_P} ended in SUCCESS before {@code P} started, {@code .gc/P} in the
 * sandbox is a GC root ({@code nix-store -q --roots}), and {@code P} did its work.
 */
class ThermosRunnerIT {

  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What thermos-run printed: the task line, one line per process, the final status line. */
  record Run(JsonNode task, Map<String, JsonNode> processes, JsonNode status, String output) {
    Path sandbox() {
      return Path.of(task.get("sandbox").asText());
    }

    String stdout(String process) throws IOException {
      return Files.readString(sandbox().resolve(".logs/" + process + "/0/stdout"));
    }

    JsonNode process(String name) {
      JsonNode p = processes.get(name);
      assertTrue(p != null, "no process " + name + " in\n" + output);
      return p;
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everyExampleRunsUnderTheRealThermosRunner() throws Exception {
    Cli cli = new Cli(tmp);
    Path examples = Fixtures.repository().resolve("examples");

    Run hello = run(build(cli, examples.resolve("hello_world")), "hello", 15);
    checkInitsAndRoots(hello);
    assertEquals("KILLED", hello.process("hello_world").get("state").asText(), hello.output());
    assertTrue(hello.stdout("hello_world").contains("Hello world! The time is now"));

    int webPort = RealAurora.freePort();
    String[] page = new String[1];
    Run web =
        run(
            build(cli, examples.resolve("web_service")),
            "web",
            25,
            () -> page[0] = fetch(webPort, "/"),
            "--port",
            "http=" + webPort);
    checkInitsAndRoots(web);
    assertEquals("KILLED", web.process("http_server").get("state").asText(), web.output());
    assertTrue(page[0].contains("Served from the Nix store by an Aurora job."), page[0]);

    int greeterPort = RealAurora.freePort();
    String[] greeterPage = new String[1];
    Run greeter =
        run(
            build(cli, examples.resolve("multi_process")),
            "greeter",
            25,
            () -> greeterPage[0] = fetch(greeterPort, "/index.html"),
            "--port",
            "http=" + greeterPort);
    checkInitsAndRoots(greeter);
    assertEquals("SUCCESS", greeter.process("prepare").get("state").asText(), greeter.output());
    assertEquals("SUCCESS", greeter.process("render").get("state").asText(), greeter.output());
    assertEquals("KILLED", greeter.process("serve").get("state").asText(), greeter.output());
    String greeting = Files.readString(greeter.sandbox().resolve("greeting.txt"));
    assertTrue(greeting.startsWith("Hello, world!"), greeting);
    assertTrue(greeterPage[0].contains(greeting.strip()), greeterPage[0]);

    Run cron = run(build(cli, examples.resolve("cron_job")), "cron", 60);
    checkInitsAndRoots(cron);
    assertEquals("SUCCESS", cron.process("report").get("state").asText(), cron.output());
    assertEquals("SUCCESS", cron.status().get("task_state").asText(), cron.output());
    assertTrue(cron.stdout("report").contains("report done at"), cron.stdout("report"));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void finalDaemonAndEphemeralProcessesWithSeveralOrderConstraints() throws Exception {
    Cli cli = new Cli(tmp);
    Path job = Files.createDirectories(tmp.resolve("lifecycle"));
    Files.writeString(job.resolve("setup.txt"), "setup\n");
    Files.writeString(
        job.resolve("default.nix"),
        """
        { aurora, pkgs, ... }:
        with aurora;
        Service {
          cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "lifecycle";
          task = Task {
            processes = [
              (Process { name = "setup"; cmdline = "cat ${./setup.txt} > setup.txt"; })
              (Process { name = "worker";
                         cmdline = "cat setup.txt > worker.txt && echo worked >> worker.txt"; })
              (Process { name = "ticker"; daemon = true; min_duration = 1;
                         cmdline = "echo tick >> ticks.txt"; })
              (Process { name = "sidecar"; ephemeral = true;
                         cmdline = "echo sidecar up > sidecar.txt; while true; do sleep 1; done"; })
              (Process { name = "cleanup"; final = true;
                         cmdline = "cat worker.txt > final.txt && echo final >> final.txt"; })
              (Process { name = "cleanup2"; final = true;
                         cmdline = "test -f final.txt && echo second-final >> final.txt"; })
            ];
            constraints = [
              (order [ "setup" "worker" ])
              (order [ "setup" "ticker" ])
              (order [ "setup" "sidecar" ])
              (order [ "cleanup" "cleanup2" ])
            ];
            resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
          };
        }
        """);
    Run run = run(build(cli, job), "lifecycle", 15);
    checkInitsAndRoots(run);
    assertEquals("SUCCESS", run.process("setup").get("state").asText(), run.output());
    assertEquals("SUCCESS", run.process("worker").get("state").asText(), run.output());
    assertEquals("SUCCESS", run.process("cleanup").get("state").asText(), run.output());
    assertEquals("SUCCESS", run.process("cleanup2").get("state").asText(), run.output());
    assertEquals("KILLED", run.process("sidecar").get("state").asText(), run.output());
    // the daemon was rerun after each successful exit until the kill
    assertTrue(run.process("ticker").get("started_runs").asInt() >= 2, run.output());
    assertTrue(Files.readAllLines(run.sandbox().resolve("ticks.txt")).size() >= 2, run.output());
    assertEquals(
        "setup\nworked\nfinal\nsecond-final\n",
        Files.readString(run.sandbox().resolve("final.txt")));
    assertEquals("sidecar up\n", Files.readString(run.sandbox().resolve("sidecar.txt")));
    // final processes (and their inits) run only in finalizing, after the kill
    double killed = run.process("sidecar").get("stop_time").asDouble();
    assertTrue(
        run.process("nix_init_cleanup").get("start_time").asDouble() >= killed - 1, run.output());
    assertTrue(
        run.process("cleanup").get("start_time").asDouble()
            >= run.process("worker").get("stop_time").asDouble());
    assertTrue(
        run.process("cleanup2").get("start_time").asDouble()
            >= run.process("cleanup").get("stop_time").asDouble());
  }

  /** {@code nix-aurora build JOB --out}, the local store provider's init command. */
  private Path build(Cli cli, Path job) throws IOException {
    Path out = tmp.resolve(job.getFileName() + ".json");
    Cli.Result r = cli.run("build", job.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.toString());
    return out;
  }

  /**
   * Runs the job's instance 0 as root (the role users of the examples do not exist here); after
   * {@code seconds} thermos-run kills the task as the executor does.
   */
  private Run run(Path config, String name, int seconds, String... extra)
      throws IOException, InterruptedException {
    return run(config, name, seconds, () -> {}, extra);
  }

  /** Something a test does while the task runs (such as asking its server for a page). */
  interface During {
    void run() throws IOException, InterruptedException;
  }

  private Run run(Path config, String name, int seconds, During during, String... extra)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(RealAurora.home().resolve("bin/thermos-run").toString());
    command.add(config.toString());
    command.add(tmp.resolve("sandbox-" + name).toString());
    command.addAll(List.of("--user", "root", "--seconds", String.valueOf(seconds)));
    command.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("AURORA_PYTHON2", RealAurora.python2().toString());
    Path output = tmp.resolve("thermos-run-" + name + ".out");
    pb.redirectOutput(output.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    try {
      during.run();
    } finally {
      if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    String out = Files.readString(output);
    assertTrue(!p.isAlive(), "thermos-run did not finish:\n" + out);
    assertEquals(0, p.exitValue(), out);
    JsonNode task = null;
    JsonNode status = null;
    Map<String, JsonNode> processes = new LinkedHashMap<>();
    for (String line : out.lines().toList()) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      if (node.has("sandbox")) {
        task = node;
      } else if (node.has("process")) {
        processes.put(node.get("process").asText(), node);
      } else if (node.has("task_state")) {
        status = node;
      }
    }
    assertTrue(task != null && status != null, out);
    return new Run(task, processes, status, out);
  }

  /**
   * The page at {@code path} from the task's server on {@code port}, asked until it answers (the
   * task builds nothing, but its init and the server's start take a moment).
   */
  private static String fetch(int port, String path) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the task's server never served " + path);
      }
      Thread.sleep(200);
    }
  }

  /**
   * For every user process P: nix_init_P ended in SUCCESS before P started, and {@code .gc/P} is a
   * GC root of P's process script while the sandbox exists.
   */
  private static void checkInitsAndRoots(Run run) throws IOException, InterruptedException {
    int checked = 0;
    for (Map.Entry<String, JsonNode> e : run.processes().entrySet()) {
      String name = e.getKey();
      if (name.startsWith("nix_init_")) {
        continue;
      }
      JsonNode init = run.process("nix_init_" + name);
      assertEquals("SUCCESS", init.get("state").asText(), run.output());
      assertTrue(
          init.get("stop_time").asDouble() <= e.getValue().get("start_time").asDouble(),
          name + " started before its init ended:\n" + run.output());
      Path root = run.sandbox().resolve(".gc/" + name);
      assertTrue(Files.isSymbolicLink(root), "no GC root " + root);
      String script = Files.readSymbolicLink(root).toString();
      assertTrue(script.endsWith("-" + name), script);
      assertTrue(
          registeredIndirectRoots().contains(root.toAbsolutePath().normalize().toString()),
          "not a GC root: " + root + " (no link to it in " + AUTO_ROOTS + ")");
      checked++;
    }
    assertTrue(checked > 0, run.output());
  }

  /**
   * Where {@code nix-store --add-root} registers an indirect root: a link to the root's own path,
   * which the garbage collector follows while it exists. Read directly rather than through {@code
   * nix-store -q --roots}, which scans every process of the machine (and hung here once, blocked
   * writing to a pipe, on a machine busy with other Nix processes).
   */
  private static final Path AUTO_ROOTS = Path.of("/nix/var/nix/gcroots/auto");

  private static List<String> registeredIndirectRoots() throws IOException {
    List<String> targets = new ArrayList<>();
    try (var links = Files.list(AUTO_ROOTS)) {
      for (Path link : (Iterable<Path>) links::iterator) {
        if (Files.isSymbolicLink(link)) {
          targets.add(Files.readSymbolicLink(link).toString());
        }
      }
    }
    return targets;
  }
}
