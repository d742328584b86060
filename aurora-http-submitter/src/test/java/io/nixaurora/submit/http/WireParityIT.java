package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.RealAurora;
import io.nixaurora.api.SubmitException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The http submitter against the real Aurora 0.22 client, side by side: every job of {@code
 * wire-corpus/} goes through the real client to one scheduler stand-in and through {@link
 * HttpSubmitter} to another, and the createJob / scheduleCronJob calls (and for services the
 * startJobUpdate call) must be equal: {@code executorConfig.data} byte for byte, every other
 * JobConfiguration and TaskConfig field as Thrift compares them. A job whose Choice fields 0.22's
 * {@code --read-json} cannot load has a {@code NAME.aurora} beside its JSON: the same job in
 * Aurora's DSL, which is then the reference. Needs CPython 2.7 (see {@link RealAurora}).
 */
@Timeout(600)
class WireParityIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dir;

  private static RealAurora aurora;
  private static RealAurora.StandIn reference;
  private static RealAurora.StandIn ours;
  private static Path configRoot;

  @BeforeAll
  static void start() throws Exception {
    aurora = RealAurora.locate();
    reference = aurora.standIn(dir.resolve("reference.log"));
    ours = aurora.standIn(dir.resolve("nix-aurora.log"));
    configRoot = RealAurora.clusters(dir.resolve("aurora-config"), reference);
  }

  @AfterAll
  static void stop() {
    if (reference != null) {
      reference.close();
    }
    if (ours != null) {
      ours.close();
    }
  }

  static Stream<String> corpus() throws Exception {
    try (Stream<Path> files = Files.list(corpusDir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  private static Path corpusDir() throws URISyntaxException {
    return Path.of(WireParityIT.class.getResource("wire-corpus").toURI());
  }

  @Test
  @Timeout(30)
  void theCorpusCoversEveryChoiceAlternative() throws Exception {
    List<String> names = corpus().toList();
    assertTrue(names.size() >= 35, "corpus has " + names.size() + " jobs");
    long dsl = names.stream().filter(n -> Files.exists(dirOf(n).resolve(n + ".aurora"))).count();
    assertTrue(dsl >= 8, dsl + " jobs with an .aurora reference");
  }

  private static Path dirOf(String name) {
    try {
      return corpusDir();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  @Timeout(300)
  void sameCallsAsTheRealClient(String name) throws Exception {
    Path jsonFile = corpusDir().resolve(name + ".json");
    Path dslFile = corpusDir().resolve(name + ".aurora");
    boolean dsl = Files.exists(dslFile);
    String json = Files.readString(jsonFile, StandardCharsets.UTF_8);
    JsonNode job = MAPPER.readTree(json);
    String jobName =
        job.has("name")
            ? job.get("name").asText()
            : job.path("task")
                .path("name")
                .asText(job.path("task").path("processes").path(0).path("name").asText());
    JobKey key =
        new JobKey(
            job.get("cluster").asText(),
            job.get("role").asText(),
            job.get("environment").asText(),
            jobName);
    boolean cron = job.has("cron_schedule");
    boolean service = job.path("service").asBoolean(false);
    AuroraJobConfig config = new AuroraJobConfig(key, json, service, cron);
    Path work = Files.createDirectories(dir.resolve("work-" + name));
    String[] source =
        dsl
            ? new String[] {key.toString(), dslFile.toString()}
            : new String[] {"--read-json", key.toString(), jsonFile.toString()};

    // --read-json loads the job exactly when nix-aurora says it can (else the .aurora is needed)
    reference.clear();
    List<String> unloadable = ExecutorData.unloadableChoices(job);
    assertEquals(dsl, !unloadable.isEmpty(), name + ": unloadable " + unloadable);
    if (dsl) {
      RealAurora.Run refused =
          aurora.aurora(
              configRoot,
              work,
              "job",
              "create",
              "--read-json",
              key.toString(),
              jsonFile.toString());
      assertEquals(3, refused.exitCode(), name + ": " + refused.output());
      assertTrue(refused.output().contains("Unknown schema attribute"), refused.output());
      assertTrue(
          reference.calls().stream().noneMatch(c -> c.get("method").asText().contains("Job")));
    }

    // create / cron schedule
    reference.clear();
    String[] verb = cron ? new String[] {"cron", "schedule"} : new String[] {"job", "create"};
    RealAurora.Run run = aurora.aurora(configRoot, work, concat(verb, source));
    assertEquals(0, run.exitCode(), "the real client refused " + name + ":\n" + run.output());
    String method = cron ? "scheduleCronJob" : "createJob";
    JsonNode expected = call(reference, method).get("description");

    ours.clear();
    submitter(work).create(config);
    JsonNode actual = call(ours, method).get("description");
    assertSameJob(name, expected, actual);

    if (service && !cron) {
      reference.clear();
      RealAurora.Run update = aurora.auroraUpdateStart(configRoot, work, source);
      assertEquals(0, update.exitCode(), "update start of " + name + ":\n" + update.output());
      JsonNode expectedRequest = call(reference, "startJobUpdate").get("request");

      ours.clear();
      try {
        submitter(work).update(config);
      } catch (SubmitException e) {
        // The stand-in answers startJobUpdate but not the getJobUpdateSummaries that follows.
        assertTrue(e.getMessage().contains("getJobUpdateSummaries"), e.getMessage());
      }
      JsonNode actualRequest = call(ours, "startJobUpdate").get("request");
      assertSameJob(name + " (update)", expectedRequest.get("1"), actualRequest.get("1"));
      assertEquals(
          RealAurora.normalized(expectedRequest.get("2")),
          RealAurora.normalized(actualRequest.get("2")),
          name + ": instanceCount");
      assertEquals(
          RealAurora.normalized(expectedRequest.get("3")),
          RealAurora.normalized(actualRequest.get("3")),
          name + ": JobUpdateSettings");
      // metadata: the client's update id, a random UUID on both sides
      assertEquals(
          expectedRequest.at("/4/set/2/1"), actualRequest.at("/4/set/2/1"), name + ": metadata");
    }
  }

  static Stream<String> refused() throws Exception {
    try (Stream<Path> files =
        Files.list(Path.of(WireParityIT.class.getResource("wire-corpus-refused").toURI()))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  @Timeout(120)
  void whatTheRealClientRefusesIsRefused(String name) throws Exception {
    Path file =
        Path.of(WireParityIT.class.getResource("wire-corpus-refused/" + name + ".json").toURI());
    String json = Files.readString(file, StandardCharsets.UTF_8);
    JsonNode job = MAPPER.readTree(json);
    JobKey key = JobKey.parse("devcluster/vagrant/devel/" + job.get("name").asText());
    boolean cron = job.has("cron_schedule");
    Path work = Files.createDirectories(dir.resolve("refused-" + name));

    reference.clear();
    RealAurora.Run run =
        aurora.aurora(
            configRoot,
            work,
            cron ? "cron" : "job",
            cron ? "schedule" : "create",
            "--read-json",
            key.toString(),
            file.toString());
    assertEquals(3, run.exitCode(), "the real client: " + run.output());
    assertTrue(reference.calls().stream().noneMatch(c -> c.get("method").asText().contains("Job")));

    ours.clear();
    SubmitException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SubmitException.class,
            () ->
                submitter(work)
                    .create(
                        new AuroraJobConfig(
                            key, json, job.path("service").asBoolean(false), cron)));
    assertEquals(3, e.exitCode(), e.getMessage());
    assertTrue(
        ours.calls().stream().noneMatch(c -> c.get("method").asText().contains("Job")),
        ours.calls().toString());
  }

  private HttpSubmitter submitter(Path home) {
    return new HttpSubmitter(
        HttpSubmitterSettings.parse(Map.of("scheduler_uri", ours.uri())),
        event -> {},
        UUID::randomUUID,
        home,
        System.getenv());
  }

  /** JobConfiguration or TaskConfig: data byte for byte first (the clearer message), then all. */
  private static void assertSameJob(String name, JsonNode expected, JsonNode actual) {
    String path = expected.has("6") ? "/6/rec/25/rec/2/str" : "/25/rec/2/str";
    assertEquals(
        expected.at(path).asText(), actual.at(path).asText(), name + ": executorConfig.data");
    assertEquals(RealAurora.normalized(expected), RealAurora.normalized(actual), name);
  }

  private static JsonNode call(RealAurora.StandIn standIn, String method) throws Exception {
    List<JsonNode> calls =
        standIn.calls().stream().filter(c -> c.get("method").asText().equals(method)).toList();
    assertEquals(1, calls.size(), method + " calls: " + standIn.calls());
    JsonNode args = calls.get(0).get("args");
    return args instanceof ObjectNode ? args : MAPPER.createObjectNode();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
