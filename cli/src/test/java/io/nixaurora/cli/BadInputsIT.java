package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad inputs. Each gives its exit code and a few lines on stderr naming the problem,
 * never a stack trace; nothing is pushed (the cache stays empty) and nothing is submitted (the fake
 * aurora is never called).
 */
@org.junit.jupiter.api.Timeout(value = 600, unit = java.util.concurrent.TimeUnit.SECONDS)
class BadInputsIT {

  static Path root;
  static Path jobs;
  static Path cache;
  static Path keys;
  static Fixtures.FakeAurora aurora;
  static String otherPublicKey;

  /**
   * Every cluster pushes to the (empty) cache and submits with the fake client, unless a case says
   * otherwise.
   */
  static final String DEFAULT_CONFIG =
      """
      {"defaults": {"store": "binary-cache", "cache_url": "file://@CACHE@",
                    "secret_key_file": "@KEYS@/good.sec", "aurora_binary": "@AURORA@"}}
      """;

  private static final String GOOD_JOB =
      """
      { aurora, pkgs, ... }:
      with aurora;
      Service {
        cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "NAME";
        task = Task {
          processes = [ (Process { name = "p"; cmdline = "${pkgs.hello}/bin/hello"; }) ];
          resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
        };
      }
      """;

  @org.junit.jupiter.api.AfterAll
  static void removeTemporaryFiles() throws Exception {
    Fixtures.deleteTree(root);
  }

  @BeforeAll
  static void fixtures() throws Exception {
    root = Files.createTempDirectory("nix-aurora-bad-inputs-");
    jobs = Files.createDirectories(root.resolve("jobs"));
    cache = Files.createDirectories(root.resolve("cache"));
    keys = Files.createDirectories(root.resolve("keys"));
    aurora = new Fixtures.FakeAurora(root);
    Cli cli = new Cli(root.resolve("setup"));
    assertEquals(0, cli.run("cache", "keygen", "good", "--out-dir", keys.toString()).exitCode());
    Cli.Result other = cli.run("cache", "keygen", "other", "--out-dir", keys.toString());
    otherPublicKey = other.out().strip();
    Files.writeString(keys.resolve("garbage.sec"), "this is not a key\n");
    job("good", GOOD_JOB.replace("NAME", "good"));
    job("syntax", "{ aurora, pkgs, ... }: with aurora; Service { cluster = \"devcluster\" ");
    job("misspelt", GOOD_JOB.replace("NAME", "misspelt").replace("cmdline =", "cmdlin ="));
    job("wrongtype", GOOD_JOB.replace("NAME", "wrongtype").replace("cpu = 1;", "cpu = \"one\";"));
    job(
        "nodots",
        GOOD_JOB.replace("NAME", "nodots").replace("{ aurora, pkgs, ... }:", "{ aurora }:"));
    // 5 characters doubled 22 times: 20,971,520, past Jackson's 20,000,000 string limit.
    job(
        "hugecmdline",
        GOOD_JOB
            .replace("NAME", "hugecmdline")
            .replace(
                "with aurora;",
                "with aurora; let d = s: s + s; big = builtins.foldl' (s: _: d s) \"echo \" (builtins.genList (x: x) 22); in")
            .replace("\"${pkgs.hello}/bin/hello\"", "big"));
    job(
        "notask",
        "{ aurora, ... }: with aurora; Service { cluster = \"devcluster\"; role = \"vagrant\";"
            + " environment = \"devel\"; name = \"notask\"; }");
    job(
        "failingbuild",
        GOOD_JOB
            .replace("NAME", "failingbuild")
            .replace(
                "${pkgs.hello}/bin/hello",
                "${derivation { name = \"broken-"
                    + System.nanoTime()
                    + "\"; system = builtins.currentSystem; builder = \"/bin/sh\";"
                    + " args = [ \"-c\" \"echo failing on purpose; exit 1\" ]; }}/bin/x"));
    job("badname", GOOD_JOB.replace("NAME", "badname").replace("name = \"p\"", "name = \"a/b\""));
    job("noram", GOOD_JOB.replace("NAME", "noram").replace("ram = 16 * MB;", "ram = 0;"));
    job("batch", GOOD_JOB.replace("NAME", "batch").replace("Service {", "Job {"));
    Files.createDirectories(jobs.resolve("empty-dir"));
  }

  private static void job(String name, String content) throws Exception {
    Path dir = Files.createDirectories(jobs.resolve(name));
    Files.writeString(dir.resolve("default.nix"), content);
  }

  static Stream<Arguments> cases() {
    List<Arguments> c = new ArrayList<>();
    // name, exit code, expected text in stderr, config (null = default), args
    // --- bad job files
    c.add(
        bad(
            "nix syntax error",
            3,
            "default.nix",
            null,
            "create",
            "devcluster/vagrant/devel/x",
            "@JOBS@/syntax"));
    c.add(
        bad(
            "misspelt attribute",
            3,
            "cmdlin",
            null,
            "create",
            "devcluster/vagrant/devel/misspelt",
            "@JOBS@/misspelt"));
    c.add(
        bad(
            "wrong attribute type",
            3,
            "cpu",
            null,
            "create",
            "devcluster/vagrant/devel/wrongtype",
            "@JOBS@/wrongtype"));
    c.add(
        bad(
            "missing task",
            3,
            "task",
            null,
            "create",
            "devcluster/vagrant/devel/notask",
            "@JOBS@/notask"));
    c.add(
        bad(
            "failing package build",
            3,
            "broken-",
            null,
            "create",
            "devcluster/vagrant/devel/failingbuild",
            "@JOBS@/failingbuild"));
    c.add(
        bad(
            "process name with a slash",
            3,
            "a/b",
            null,
            "create",
            "devcluster/vagrant/devel/badname",
            "@JOBS@/badname"));
    c.add(
        bad(
            "zero ram",
            3,
            "ram",
            null,
            "create",
            "devcluster/vagrant/devel/noram",
            "@JOBS@/noram"));
    c.add(bad("job file missing", 3, "does not exist", null, "build", "@JOBS@/nonexistent.nix"));
    c.add(
        bad(
            "directory without default.nix",
            3,
            "no default.nix",
            null,
            "build",
            "@JOBS@/empty-dir"));
    c.add(bad("job is not a regular file", 3, "not a regular file", null, "build", "/dev/null"));
    c.add(
        bad(
            "job key differs from the file's",
            3,
            "the command line says",
            null,
            "create",
            "devcluster/vagrant/devel/other",
            "@JOBS@/good"));
    c.add(
        bad(
            "update of a non-service",
            3,
            "not a service",
            null,
            "update",
            "devcluster/vagrant/devel/batch",
            "@JOBS@/batch"));
    c.add(bad("run of a missing job", 3, "does not exist", null, "run", "@JOBS@/nonexistent"));
    // --- bad keys
    c.add(
        bad(
            "key with three parts",
            2,
            "CLUSTER/ROLE/ENV/NAME",
            null,
            "create",
            "devcluster/vagrant/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "key with a bad environment",
            2,
            "environment",
            null,
            "kill",
            "devcluster/vagrant/dev/good"));
    c.add(
        bad(
            "key with a space in the role",
            2,
            "role",
            null,
            "status",
            "devcluster/vag rant/devel/good"));
    // --- bad configuration
    c.add(
        bad(
            "configuration not JSON",
            3,
            "not valid JSON",
            "{\"defaults\": {,}}",
            "build",
            "@JOBS@/good"));
    c.add(bad("unknown top-level key", 3, "default", "{\"default\": {}}", "build", "@JOBS@/good"));
    c.add(
        bad(
            "unknown key in a cluster",
            3,
            "clusters.devcluster.cache_ur",
            "{\"clusters\": {\"devcluster\": {\"cache_ur\": \"x\"}}}",
            "build",
            "@JOBS@/good"));
    c.add(
        bad(
            "boolean given as a string",
            3,
            "daemon",
            "{\"defaults\": {\"daemon\": \"yes\"}}",
            "build",
            "@JOBS@/good"));
    c.add(
        bad(
            "integer given as a string",
            3,
            "timeout_seconds",
            "{\"defaults\": {\"timeout_seconds\": \"60\"}}",
            "build",
            "@JOBS@/good"));
    c.add(
        bad(
            "unknown compression",
            3,
            "compression",
            "{\"defaults\": {\"compression\": \"gzip\"}}",
            "build",
            "@JOBS@/good"));
    c.add(
        bad(
            "--config file missing",
            3,
            "does not exist",
            null,
            "build",
            "@JOBS@/good",
            "--config",
            "@ROOT@/missing.json"));
    c.add(
        bad(
            "--set unknown key",
            3,
            "--set dameon",
            null,
            "build",
            "@JOBS@/good",
            "--set",
            "dameon=true"));
    c.add(
        bad(
            "--set bad boolean",
            3,
            "daemon",
            null,
            "build",
            "@JOBS@/good",
            "--set",
            "daemon=maybe"));
    c.add(bad("--set without =", 2, "KEY=VALUE", null, "build", "@JOBS@/good", "--set", "daemon"));
    c.add(
        bad(
            "unknown cluster",
            3,
            "unknown cluster 'devcluster'",
            "{\"clusters\": {\"prod\": {}}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "unknown store provider",
            3,
            "known: binary-cache, echo, local",
            null,
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good",
            "--store",
            "nfs"));
    c.add(
        bad(
            "unknown submitter",
            3,
            "known: cli, http",
            null,
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good",
            "--submitter",
            "ssh"));
    c.add(
        bad(
            "binary cache without cache_url",
            3,
            "cache_url",
            "{\"defaults\": {\"store\": \"binary-cache\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "cache_url of an unknown scheme",
            3,
            "cache url",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"ftp://x/y\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "secret key file missing",
            4,
            "secret_key_file",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"file://@CACHE@\", \"secret_key_file\": \"@KEYS@/missing.sec\", \"aurora_binary\": \"@AURORA@\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "secret key file is not a key",
            4,
            "secret_key_file",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"file://@CACHE@\", \"secret_key_file\": \"@KEYS@/garbage.sec\", \"aurora_binary\": \"@AURORA@\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "public key does not match the secret key",
            4,
            "public_key",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"file://@CACHE@\", \"secret_key_file\": \"@KEYS@/good.sec\", \"public_key\": \"@OTHERKEY@\", \"aurora_binary\": \"@AURORA@\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    // issue 12 item 7: refused for the key, and no new cache directory either
    c.add(
        bad(
            "public key does not match, cache directory not yet made",
            4,
            "public_key",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"file://@ROOT@/no/such/dir\", \"secret_key_file\": \"@KEYS@/good.sec\", \"public_key\": \"@OTHERKEY@\", \"aurora_binary\": \"@AURORA@\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "cache verify of a mistyped directory",
            4,
            "@ROOT@/no/such/dir does not exist",
            null,
            "cache",
            "verify",
            "file://@ROOT@/no/such/dir",
            "--public-key",
            "@OTHERKEY@"));
    // issue 12 item 13: a misspelt cache-URL parameter
    c.add(
        bad(
            "misspelt cache URL parameter",
            2,
            "did you mean 'compression'",
            null,
            "cache",
            "push",
            "--to",
            "file://@CACHE@?compresion=xz",
            "--secret-key-file",
            "@KEYS@/good.sec",
            "/nix/store/00000000000000000000000000000000-x"));
    c.add(
        bad(
            "misspelt cache_url parameter",
            3,
            "did you mean 'secret-key'",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"file://@CACHE@?secretkey=/k\", \"secret_key_file\": \"@KEYS@/good.sec\", \"aurora_binary\": \"@AURORA@\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "cache verify of an HTTP cache without store paths",
            2,
            "name the store paths",
            null,
            "cache",
            "verify",
            "http://127.0.0.1:9/cache",
            "--public-key",
            "@OTHERKEY@"));
    c.add(
        bad(
            "unreachable cache",
            7,
            "127.0.0.1:9",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"http://127.0.0.1:9/cache\", \"secret_key_file\": \"@KEYS@/good.sec\", \"aurora_binary\": \"@AURORA@\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            "cluster of another system",
            3,
            "aarch64-linux",
            "{\"defaults\": {\"store\": \"binary-cache\", \"cache_url\": \"file://@CACHE@\", \"secret_key_file\": \"@KEYS@/good.sec\", \"aurora_binary\": \"@AURORA@\", \"system\": \"aarch64-linux\"}}",
            "create",
            "devcluster/vagrant/devel/good",
            "@JOBS@/good"));
    c.add(
        bad(
            // issue 12 item 14: refused is a network failure (7) named as such, not a timeout (9)
            "unreachable scheduler",
            7,
            "connection refused",
            "{\"defaults\": {\"submitter\": \"http\", \"scheduler_uri\": \"http://127.0.0.1:9/\", \"connect_timeout_seconds\": 1, \"retry_budget_seconds\": 0}}",
            "kill",
            "devcluster/vagrant/devel/good"));
    c.add(
        bad(
            "--out into a missing directory",
            4,
            "does not exist",
            null,
            "build",
            "@JOBS@/good",
            "--out",
            "@ROOT@/no/such/dir/job.json"));
    // --- bad arguments to cache commands
    c.add(
        bad(
            "cache push of a non-store path",
            2,
            "/etc/hostname",
            null,
            "cache",
            "push",
            "--to",
            "file://@CACHE@",
            "--secret-key-file",
            "@KEYS@/good.sec",
            "/etc/hostname"));
    c.add(
        bad(
            "cache push to an ftp URL",
            2,
            "ftp://",
            null,
            "cache",
            "push",
            "--to",
            "ftp://x/y",
            "--secret-key-file",
            "@KEYS@/good.sec",
            "/nix/store/00000000000000000000000000000000-x"));
    c.add(
        bad(
            "cache push without a key",
            2,
            "secret key",
            null,
            "cache",
            "push",
            "--to",
            "file://@CACHE@",
            "/nix/store/00000000000000000000000000000000-x"));
    c.add(
        bad(
            "cache verify with a bad public key",
            2,
            "public key",
            null,
            "cache",
            "verify",
            "file://@CACHE@",
            "--public-key",
            "nokey:!!!"));
    c.add(
        bad(
            "keygen name with a colon",
            2,
            "key name",
            null,
            "cache",
            "keygen",
            "bad:name",
            "--out-dir",
            "@ROOT@/k"));
    // --- issue 12: deep, huge and ill-shaped input
    c.add(
        bad(
            "a 100,000-deep configuration",
            3,
            "nested too deeply",
            "{\"defaults\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}",
            "config"));
    c.add(
        bad(
            "a job function without ...",
            3,
            "@JOBS@/nodots/default.nix:1:1: the job's function does not accept the argument",
            null,
            "build",
            "@JOBS@/nodots"));
    c.add(
        bad(
            "a 20 MB cmdline",
            3,
            "more than 20,000,000 characters",
            null,
            "build",
            "@JOBS@/hugecmdline"));
    // --- usage
    c.add(bad("unknown command", 2, "Unmatched argument", null, "deploy"));
    c.add(bad("unknown option", 2, "Unknown option", null, "build", "@JOBS@/good", "--fast"));
    c.add(
        bad(
            "missing argument",
            2,
            "Missing required parameter",
            null,
            "create",
            "devcluster/vagrant/devel/good"));
    c.add(bad("completion for an unknown shell", 2, "unknown shell", null, "completion", "fish"));
    return c.stream();
  }

  private static Arguments bad(
      String name, int exit, String expected, String config, String... args) {
    return Arguments.of(name, exit, expected, config, List.of(args));
  }

  private static String fill(String s) {
    return s.replace("@JOBS@", jobs.toString())
        .replace("@CACHE@", cache.toString())
        .replace("@KEYS@", keys.toString())
        .replace("@AURORA@", aurora.executable.toString())
        .replace("@ROOT@", root.toString())
        .replace("@OTHERKEY@", otherPublicKey);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedClearly(String name, int exit, String expected, String config, List<String> args)
      throws Exception {
    Path dir = Files.createTempDirectory(root, "case-");
    Cli cli = new Cli(dir);
    cli.config(fill(config == null ? DEFAULT_CONFIG : config));
    Cli.Result r = cli.run(args.stream().map(BadInputsIT::fill).toArray(String[]::new));
    assertEquals(exit, r.exitCode(), r.toString());
    assertTrue(r.err().contains(fill(expected)), "stderr should name '" + expected + "':\n" + r);
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.size() <= 8, "too many lines:\n" + r.err());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("error: ")), r.err());
    assertFalse(r.err().contains("\tat "), "stack trace:\n" + r.err());
    assertFalse(r.err().contains("Exception"), "exception name:\n" + r.err());
    assertFalse(r.err().contains("StreamReadConstraints"), "Jackson's limit text:\n" + r.err());
    assertFalse(r.err().contains("eval.nix"), "the tool's own file:\n" + r.err());
    assertFalse(r.err().contains("the Nix installation"), "a hint about Nix:\n" + r.err());
    assertEquals("", r.out(), "nothing on stdout");
    assertTrue(Fixtures.noFiles(cache), "something was pushed to the cache");
    assertEquals(List.of(), aurora.calls(), "the aurora client was called");
    assertFalse(Files.exists(root.resolve("no/such/dir")));
    assertTrue(Map.of().isEmpty());
  }
}
