package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several jobs in one command ({@code create|update|diff CLUSTER JOB [JOB...]}, {@code build JOB
 * [JOB...]}) with real Nix, a file:// binary cache (so what was published for each job can be read
 * back) and a fake aurora client that refuses the jobs named {@code refused*} as a scheduler would.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ManyJobsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Cli cli;
  private Path cache;
  private Path records;
  private Path jobs;
  private String marker;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(tmp);
    marker = "many-" + System.nanoTime();
    records = Files.createDirectories(tmp.resolve("records"));
    Path aurora = tmp.resolve("bin/aurora");
    Files.createDirectories(aurora.getParent());
    // Like Fixtures.FakeAurora, but `job create` of a job named refused* fails as the scheduler's
    // refusal does (exit 4, "command failure").
    Files.writeString(
        aurora,
        """
        #!/bin/bash
        key="$4"
        echo "$*" >> %s/calls
        case "$1 $2" in
          "job create")
            case "${key##*/}" in
              refused*) echo "Error: job ${key} already exists" >&2; exit 4;;
            esac
            echo "Job create succeeded: job url=http://aurora.local:8081/scheduler/${key#*/}";;
          "job status") echo "Active tasks (1):";;
          "update start") echo "Job update has started. View your update progress at http://aurora.local:8081/scheduler/${key#*/}/update/upd-1";;
          "update info") echo "Current status: ROLLING_FORWARD";;
          *) echo "fake aurora: unexpected $*" >&2; exit 1;;
        esac
        """
            .formatted(records));
    Files.setPosixFilePermissions(aurora, PosixFilePermissions.fromString("rwxr-xr-x"));
    cache = Files.createDirectories(tmp.resolve("cache"));
    Cli.Result keygen =
        cli.run("cache", "keygen", "many-1", "--out-dir", tmp.resolve("keys").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    cli.config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "file://%s",
          "secret_key_file": "%s", "aurora_binary": "%s"}}}
        """
            .formatted(cache, tmp.resolve("keys/many-1.sec"), aurora));
    jobs = Files.createDirectories(tmp.resolve("jobs"));
  }

  /** A job file {@code NAME.nix} (or {@code NAME/default.nix}) of {@code cluster}. */
  private Path job(String file, String cluster, String name, String resources) throws IOException {
    Path path = jobs.resolve(file);
    Files.createDirectories(path.getParent());
    return Files.writeString(
        path,
        """
        { aurora, pkgs, ... }:
        with aurora;
        Service {
          cluster = "%s"; role = "vagrant"; environment = "devel"; name = "%s";
          task = Task {
            processes = [ (Process { name = "hello";
                                     cmdline = "${pkgs.hello}/bin/hello; echo %s"; }) ];
            resources = %s;
          };
        }
        """
            .formatted(cluster, name, marker, resources));
  }

  private Path good(String file, String name) throws IOException {
    return job(file, "devcluster", name, "Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; }");
  }

  /** A job Aurora's rules refuse (no RAM): refused before anything is published for it. */
  private Path invalid(String file, String name) throws IOException {
    return job(file, "devcluster", name, "Resources { cpu = 1; ram = 0; disk = 16 * MB; }");
  }

  private List<String> calls() throws IOException {
    Path file = records.resolve("calls");
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  /** The store paths of the cache's narinfos. */
  private List<String> cached() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(cache)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".narinfo")).toList()) {
        Files.readAllLines(f).stream()
            .filter(l -> l.startsWith("StorePath: "))
            .forEach(l -> out.add(l.substring("StorePath: ".length())));
      }
    }
    return out;
  }

  /** Whether the process script of job {@code name} was published. */
  private boolean published(String name) throws IOException {
    return cached().stream()
        .anyMatch(p -> p.endsWith("-aurora-process-devcluster-vagrant-devel-" + name + "-hello"));
  }

  @Test
  void aDirectoryOfJobsDeploysEveryGoodJobAndReportsEachFailure() throws Exception {
    good("a.nix", "alpha");
    good("b/default.nix", "beta");
    invalid("c.nix", "gamma");
    job("d.nix", "othercluster", "delta", "Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; }");
    Files.writeString(jobs.resolve("notes.txt"), "not a job\n");
    Files.createDirectories(jobs.resolve("empty"));

    Cli.Result r = cli.run("create", "devcluster", jobs.toString());

    // the refusals (invalid job, another cluster) share exit code 3
    assertEquals(3, r.exitCode(), r.toString());
    List<String> calls = calls();
    assertEquals(2, calls.size(), calls.toString());
    assertTrue(
        calls.stream().anyMatch(c -> c.contains("devcluster/vagrant/devel/alpha")),
        calls.toString());
    assertTrue(
        calls.stream().anyMatch(c -> c.contains("devcluster/vagrant/devel/beta")),
        calls.toString());
    assertTrue(r.out().contains("scheduler/vagrant/devel/alpha"), r.out());
    assertTrue(r.out().contains("scheduler/vagrant/devel/beta"), r.out());
    assertTrue(r.err().contains("created devcluster/vagrant/devel/alpha"), r.err());
    assertTrue(
        r.err()
            .lines()
            .anyMatch(l -> l.startsWith("error: ") && l.contains("c.nix") && l.contains("ram")),
        r.err());
    assertTrue(r.err().contains("othercluster/vagrant/devel/delta"), r.err());
    assertTrue(r.err().contains("not of cluster devcluster"), r.err());
    assertTrue(r.err().contains("created 2 of 4 jobs in cluster devcluster, 2 failed"), r.err());
    // the good jobs' closures were published, nothing of the refused ones
    assertTrue(published("alpha") && published("beta"), cached().toString());
    assertFalse(published("gamma"), cached().toString());
    assertFalse(cached().stream().anyMatch(p -> p.contains("-delta-")), cached().toString());

    // a failure of another kind (the scheduler's exit 4) beside a refusal (3): exit 1
    good("refused.nix", "refused");
    Cli.Result mixed =
        cli.run(
            "create",
            "devcluster",
            jobs.resolve("refused.nix").toString(),
            jobs.resolve("c.nix").toString());
    assertEquals(1, mixed.exitCode(), mixed.toString());
    assertTrue(mixed.err().contains("already exists"), mixed.err());
  }

  @Test
  void failFastPublishesAndSubmitsNothingOnceAJobIsRefused() throws Exception {
    good("a.nix", "alpha");
    invalid("c.nix", "gamma");
    good("z.nix", "zeta");

    Cli.Result r = cli.run("create", "devcluster", jobs.toString(), "--fail-fast");

    assertEquals(3, r.exitCode(), r.toString());
    assertEquals(List.of(), calls());
    assertEquals(List.of(), cached());
    assertTrue(r.err().contains("skipped devcluster/vagrant/devel/alpha"), r.err());
    assertTrue(r.err().contains("skipped devcluster/vagrant/devel/zeta"), r.err());
    assertTrue(r.err().contains("created 0 of 3 jobs"), r.err());

    // without --fail-fast the others go ahead
    Cli.Result on = cli.run("create", "devcluster", jobs.toString());
    assertEquals(3, on.exitCode(), on.toString());
    assertEquals(2, calls().size(), calls().toString());
  }

  @Test
  void failFastStartsNoSubmissionAfterOneFailed() throws Exception {
    good("a.nix", "refused_a");
    good("b.nix", "refused_b");
    good("c.nix", "refused_c");

    Cli.Result r =
        cli.run("create", "devcluster", jobs.toString(), "--fail-fast", "--parallel", "1");

    assertEquals(4, r.exitCode(), r.toString());
    assertEquals(1, calls().size(), calls().toString());
    assertTrue(r.err().contains("not submitted: another job failed"), r.err());
  }

  @Test
  void twoJobsWithTheSameKeyAreBothRefusedBeforeAnythingIsPublished() throws Exception {
    good("one.nix", "twin");
    good("two.nix", "twin");
    good("three.nix", "single");

    Cli.Result r = cli.run("create", "devcluster", jobs.toString(), "--json");

    assertEquals(3, r.exitCode(), r.toString());
    JsonNode results = JSON.readTree(r.out());
    assertEquals(3, results.size(), r.out());
    List<String> statuses = new ArrayList<>();
    results.forEach(
        n ->
            statuses.add(
                n.get("job").asText().replace(jobs + "/", "") + "=" + n.get("status").asText()));
    // sorted by file name: one, three, two
    assertEquals(List.of("one.nix=failed", "three.nix=created", "two.nix=failed"), statuses);
    assertTrue(
        results
            .get(0)
            .get("error")
            .asText()
            .contains("2 jobs define devcluster/vagrant/devel/twin"),
        r.out());
    assertEquals(3, results.get(0).get("exit_code").asInt());
    assertFalse(results.get(0).get("published").asBoolean());
    assertEquals("devcluster/vagrant/devel/single", results.get(1).get("key").asText());
    assertTrue(results.get(1).get("url").asText().endsWith("/vagrant/devel/single"), r.out());
    assertFalse(published("twin"), cached().toString());
    assertTrue(published("single"), cached().toString());
    assertEquals(1, calls().size(), calls().toString());
  }

  @Test
  void buildTakesSeveralJobsAndAFlakesEveryJob() throws Exception {
    Path flake = FlakeCommandsIT.copyExample(cli.workingDirectory.resolve("flake"));
    String hello = Files.readString(flake.resolve("hello.nix"));
    Files.writeString(flake.resolve("second.nix"), hello.replace("hello_flake", "second_flake"));
    Path nix = flake.resolve("flake.nix");
    Files.writeString(
        nix,
        Files.readString(nix)
            .replace(
                "hello = import ./hello.nix;",
                "hello = import ./hello.nix; second = import ./second.nix;"));
    good("a.nix", "alpha");

    Cli.Result r = cli.run("build", "flake#*", jobs.resolve("a.nix").toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode built = JSON.readTree(r.out());
    List<String> keys = new ArrayList<>();
    built.forEach(n -> keys.add(n.get("job").asText() + "=" + n.get("key").asText()));
    assertEquals(
        List.of(
            "flake#hello=devcluster/vagrant/devel/hello_flake",
            "flake#second=devcluster/vagrant/devel/second_flake",
            jobs.resolve("a.nix") + "=devcluster/vagrant/devel/alpha"),
        keys);
    assertEquals(
        "nix_init_hello",
        built.get(2).get("config").get("task").get("processes").get(0).get("name").asText());
    assertEquals(List.of(), cached(), "build published something");

    // `build` does not validate (as before); a job that fails to build is its own failure
    Files.writeString(jobs.resolve("broken.nix"), "{ aurora, ... }: this is not nix");
    Cli.Result partial = cli.run("build", jobs.toString());
    assertEquals(3, partial.exitCode(), partial.toString());
    assertTrue(partial.err().contains(jobs.resolve("broken.nix").toString()), partial.err());
    assertTrue(partial.err().contains("built 1 of 2 jobs, 1 failed"), partial.err());
    assertTrue(partial.out().contains("\"alpha\""), partial.out());

    // every job of the flake in one deploy
    Cli.Result create = cli.run("create", "devcluster", "flake#*");
    assertEquals(0, create.exitCode(), create.toString());
    assertEquals(2, calls().size(), calls().toString());
    assertTrue(published("hello_flake") && published("second_flake"), cached().toString());
    assertTrue(create.err().contains("created 2 of 2 jobs in cluster devcluster"), create.err());
  }

  @Test
  void buildMakesOneStoreProviderPerClusterNotPerJob() throws Exception {
    good("a.nix", "alpha");
    good("b.nix", "beta");
    good("c.nix", "gamma");

    Cli.Result r = cli.run("build", jobs.toString(), "--verbose");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(
        1,
        r.err().lines().filter(l -> l.contains("store provider: binary-cache (")).count(),
        r.err());
  }

  @Test
  void diffWithFailFastExitsWithTheRefusalsCodeNotTheSkippedJobs() throws Exception {
    job("a.nix", "othercluster", "alpha", "Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; }");
    good("b.nix", "beta");

    Cli.Result r = cli.run("diff", "devcluster", jobs.toString(), "--fail-fast");

    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.err().contains("not of cluster devcluster"), r.err());
    assertTrue(r.err().contains("skipped " + jobs.resolve("b.nix")), r.err());

    // --json: an object per job, the skipped one too
    Cli.Result json = cli.run("diff", "devcluster", jobs.toString(), "--fail-fast", "--json");
    assertEquals(3, json.exitCode(), json.toString());
    JsonNode results = JSON.readTree(json.out());
    assertEquals(2, results.size(), json.out());
    assertEquals("failed", results.get(0).get("status").asText(), json.out());
    assertEquals(3, results.get(0).get("exit_code").asInt(), json.out());
    assertEquals("skipped", results.get(1).get("status").asText(), json.out());
    assertEquals("devcluster/vagrant/devel/beta", results.get(1).get("key").asText(), json.out());
  }

  @Test
  void diffAndUpdateTakeSeveralJobs() throws Exception {
    good("a.nix", "alpha");
    good("b.nix", "beta");
    Cli.Result create = cli.run("create", "devcluster", jobs.toString());
    assertEquals(0, create.exitCode(), create.toString());

    Files.writeString(
        jobs.resolve("b.nix"),
        Files.readString(jobs.resolve("b.nix")).replace(marker, marker + "-v2"));
    Cli.Result diff = cli.run("diff", "devcluster", jobs.toString(), "--json");
    assertEquals(0, diff.exitCode(), diff.toString());
    JsonNode diffs = JSON.readTree(diff.out());
    assertFalse(diffs.get(0).get("changes").asBoolean(), diff.out());
    assertTrue(diffs.get(1).get("changes").asBoolean(), diff.out());
    assertEquals("devcluster/vagrant/devel/beta", diffs.get(1).get("key").asText());

    Cli.Result update = cli.run("update", "devcluster", jobs.toString(), "--parallel", "2");
    assertEquals(0, update.exitCode(), update.toString());
    assertTrue(
        update.err().contains("update started for devcluster/vagrant/devel/alpha"), update.err());
    assertTrue(
        update.err().contains("update started for devcluster/vagrant/devel/beta"), update.err());

    // KEY JOB takes one job
    Cli.Result usage =
        cli.run(
            "create",
            "devcluster/vagrant/devel/alpha",
            jobs.resolve("a.nix").toString(),
            jobs.resolve("b.nix").toString());
    assertEquals(2, usage.exitCode(), usage.toString());
    assertTrue(usage.err().contains("CLUSTER JOB [JOB...]"), usage.err());
  }
}
