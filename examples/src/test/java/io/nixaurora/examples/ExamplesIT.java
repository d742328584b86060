package io.nixaurora.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.nix.local.LocalStoreProvider;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import io.nixaurora.nix.local.NixJobEvaluator;
import io.nixaurora.nix.local.NixRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds every example with real Nix and checks the compiled Aurora JSON. */
class ExamplesIT {

  /** The examples module's directory (Maven runs tests there). */
  static final Path EXAMPLES = Path.of("").toAbsolutePath();

  @TempDir Path tmp;

  private final ObjectMapper json = new ObjectMapper();
  private final NixJobEvaluator evaluator = NixJobEvaluator.onPath();

  private LocalStoreProvider store() {
    return new LocalStoreProviderFactory()
        .create(Map.of("gc_roots_dir", tmp.resolve("roots").toString()));
  }

  private JsonNode compile(Path example) throws Exception {
    BuiltJob built = evaluator.evaluate(JobSource.file(example), EventListener.NONE);
    AuroraJobConfig config = new JobCompiler().compile(built, store().initCommand());
    return json.readTree(config.json());
  }

  private static List<String> names(JsonNode processes) {
    List<String> names = new ArrayList<>();
    processes.forEach(p -> names.add(p.get("name").asText()));
    return names;
  }

  private static String nix(String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(NixRunner.findBinDirectory().resolve(tool).toString());
    command.addAll(List.of(args));
    java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), command + ": " + err);
    return out;
  }

  @Test
  void everyExampleDirectoryIsCoveredHere() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      List<String> examples =
          dirs.filter(d -> Files.isRegularFile(d.resolve("default.nix")))
              .map(d -> d.getFileName().toString())
              .sorted()
              .toList();
      assertEquals(List.of("cron_job", "hello_world", "multi_process", "web_service"), examples);
    }
  }

  @Test
  void theFlakeExampleIsAJobWhosePkgsIsItsLockedInput() throws Exception {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      List<String> flakes =
          dirs.filter(d -> Files.isRegularFile(d.resolve("flake.nix")))
              .map(d -> d.getFileName().toString())
              .toList();
      assertEquals(List.of("flake"), flakes);
    }
    BuiltJob built =
        evaluator.evaluate(
            JobSource.flake(EXAMPLES.resolve("flake").toString(), "hello"), EventListener.NONE);
    AuroraJobConfig config = new JobCompiler().compile(built, store().initCommand());
    JsonNode job = json.readTree(config.json());
    assertEquals("hello_flake", job.get("name").asText());
    JsonNode processes = job.get("task").get("processes");
    assertEquals(List.of("nix_init_hello", "hello"), names(processes));
    String cmdline = processes.get(1).get("cmdline").asText();
    assertTrue(
        cmdline.matches("/nix/store/[0-9a-z]{32}-hello-offline-2\\.12/bin/hello && sleep 3600"),
        cmdline);
  }

  @Test
  void helloWorld() throws Exception {
    JsonNode job = compile(EXAMPLES.resolve("hello_world"));
    assertEquals("devcluster", job.get("cluster").asText());
    assertEquals("vagrant", job.get("role").asText());
    assertEquals("devel", job.get("environment").asText());
    assertEquals("hello_world", job.get("name").asText());
    assertTrue(job.get("service").asBoolean());
    JsonNode task = job.get("task");
    assertEquals(List.of("nix_init_hello_world", "hello_world"), names(task.get("processes")));
    assertEquals(
        "[{\"order\":[\"nix_init_hello_world\",\"hello_world\"]}]",
        task.get("constraints").toString());
    assertEquals(1048576, task.get("resources").get("ram").asLong());
    assertEquals(8388608, task.get("resources").get("disk").asLong());

    String init = task.get("processes").get(0).get("cmdline").asText();
    String cmdline = task.get("processes").get(1).get("cmdline").asText();
    String[] words = init.split(" ");
    assertEquals(".gc/hello_world", words[2]);
    String script = words[4];
    assertTrue(
        script.matches(
            "/nix/store/[0-9a-z]{32}-aurora-process-devcluster-vagrant-devel-hello_world-hello_world"),
        init);
    nix("nix-store", "--check-validity", script);
    assertEquals(cmdline, Files.readString(Path.of(script)));
    // The closure holds the package the cmdline uses, and the script file.
    String closure = nix("nix-store", "-qR", script);
    String python = cmdline.split(" ")[0];
    assertTrue(python.endsWith("/bin/python3"), cmdline);
    assertTrue(
        closure.contains(python.substring(0, python.length() - "/bin/python3".length())), closure);
    assertTrue(closure.contains(cmdline.split(" ")[1]), closure);
  }

  @Test
  void editingHelloWorldPyChangesTheEmittedConfig() throws Exception {
    Path copy = tmp.resolve("hello_world");
    Files.createDirectories(copy);
    for (String f : List.of("default.nix", "hello_world.py")) {
      Files.copy(EXAMPLES.resolve("hello_world").resolve(f), copy.resolve(f));
    }
    JsonNode before = compile(copy);
    Files.writeString(
        copy.resolve("hello_world.py"),
        "\nprint('edited')\n",
        java.nio.file.StandardOpenOption.APPEND);
    JsonNode after = compile(copy);
    assertNotEquals(before, after);
    // Only the script paths changed: same processes, same structure.
    assertEquals(
        names(before.get("task").get("processes")), names(after.get("task").get("processes")));
    // The copy, before the edit, gave the same bytes as the example in place: nothing depends on
    // where the job file is.
    assertEquals(compile(EXAMPLES.resolve("hello_world")), before);
  }

  @Test
  void webServiceListensOnTheThermosPort() throws Exception {
    JsonNode job = compile(EXAMPLES.resolve("web_service"));
    JsonNode processes = job.get("task").get("processes");
    assertEquals(List.of("nix_init_http_server", "http_server"), names(processes));
    String cmdline = processes.get(1).get("cmdline").asText();
    assertTrue(cmdline.endsWith(" {{thermos.ports[http]}}"), cmdline);
    assertTrue(cmdline.matches(".*--directory /nix/store/[0-9a-z]{32}-site .*"), cmdline);
    assertFalse(processes.get(0).get("cmdline").asText().contains("{{"));
    assertEquals(2, job.get("instances").asInt());
    assertEquals(15, job.get("update_config").get("watch_secs").asInt());
    assertEquals(0.5, job.get("task").get("resources").get("cpu").asDouble());
  }

  @Test
  void multiProcessKeepsTheUsersOrder() throws Exception {
    JsonNode task = compile(EXAMPLES.resolve("multi_process")).get("task");
    assertEquals(
        List.of(
            "nix_init_prepare", "nix_init_render", "nix_init_serve", "prepare", "render", "serve"),
        names(task.get("processes")));
    List<String> orders = new ArrayList<>();
    task.get("constraints").forEach(c -> orders.add(c.get("order").toString()));
    assertEquals(
        List.of(
            "[\"nix_init_prepare\",\"prepare\"]",
            "[\"nix_init_render\",\"render\"]",
            "[\"nix_init_serve\",\"serve\"]",
            "[\"prepare\",\"render\",\"serve\"]"),
        orders);
  }

  @Test
  void cronJob() throws Exception {
    JsonNode job = compile(EXAMPLES.resolve("cron_job"));
    assertEquals("*/15 * * * *", job.get("cron_schedule").asText());
    assertEquals("KILL_EXISTING", job.get("cron_collision_policy").asText());
    assertFalse(job.path("service").asBoolean(false));
    assertEquals(List.of("nix_init_report", "report"), names(job.get("task").get("processes")));
  }

  @Test
  void embedCompilerBuildsAJavaJobWithPackageReferences() throws Exception {
    AuroraJobConfig config = EmbedCompiler.compile(EXAMPLES, EventListener.NONE);
    JsonNode job = json.readTree(config.json());
    assertEquals("devcluster/vagrant/devel/embedded_hello", config.key().toString());
    JsonNode processes = job.get("task").get("processes");
    assertEquals(
        List.of("nix_init_greet", "nix_init_hello_world", "greet", "hello_world"),
        names(processes));
    String greet = processes.get(2).get("cmdline").asText();
    assertTrue(greet.matches("/nix/store/[0-9a-z]{32}-hello-[^ ]+/bin/hello"), greet);
    String helloWorld = processes.get(3).get("cmdline").asText();
    // The Java job's file reference is the same store path as the Nix example's
    // ${./hello_world.py}.
    String nixExample =
        compile(EXAMPLES.resolve("hello_world"))
            .get("task")
            .get("processes")
            .get(1)
            .get("cmdline")
            .asText();
    assertEquals(nixExample, helloWorld);
  }

  @Test
  void theExampleProgramsWriteTheJsonTheyCompile() throws Exception {
    Path built = tmp.resolve("hello_world.json");
    BuildJobFile.main(new String[] {EXAMPLES.resolve("hello_world").toString(), built.toString()});
    assertEquals(
        BuildJobFile.build(evaluator, EXAMPLES.resolve("hello_world")).json(),
        Files.readString(built));

    Path embedded = tmp.resolve("embedded.json");
    EmbedCompiler.main(new String[] {EXAMPLES.toString(), embedded.toString()});
    assertEquals(
        EmbedCompiler.compile(EXAMPLES, EventListener.NONE).json(), Files.readString(embedded));
  }

  @Test
  void theReadmesJavaExampleIsEmbedCompilersText() throws IOException {
    List<String> regions = new ArrayList<>();
    List<String> region = null;
    Path source = EXAMPLES.resolve("src/main/java/io/nixaurora/examples/EmbedCompiler.java");
    for (String line : Files.readAllLines(source)) {
      if (line.contains("// README begin")) {
        region = new ArrayList<>();
      } else if (line.contains("// README end")) {
        regions.add(String.join("\n", region).stripIndent());
        region = null;
      } else if (region != null) {
        region.add(line);
      }
    }
    String readme = Files.readString(EXAMPLES.resolve("../README.md"));
    int start = readme.indexOf("```java\n") + "```java\n".length();
    String block = readme.substring(start, readme.indexOf("```", start));
    assertEquals(2, regions.size(), "EmbedCompiler's README regions");
    assertEquals(String.join("\n\n", regions) + "\n", block, "README.md's Java example");
  }

  @Test
  void helloWorldsInitRunsAsThermosRunsIt() throws Exception {
    JsonNode task = compile(EXAMPLES.resolve("hello_world")).get("task");
    String init = task.get("processes").get(0).get("cmdline").asText();
    String script = init.substring(init.lastIndexOf(' ') + 1);
    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", init).directory(sandbox.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("HOME", sandbox.toString());
    pb.redirectErrorStream(true);
    java.lang.Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals(script, Files.readSymbolicLink(sandbox.resolve(".gc/hello_world")).toString());
  }
}
