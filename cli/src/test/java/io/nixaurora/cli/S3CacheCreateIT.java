package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.support.Command;
import io.nixaurora.support.RunningCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code create --store binary-cache} with an {@code s3://} cache_url, end to end against a real S3
 * server (S3Proxy, filesystem backend, its own process): the closure is pushed and confirmed
 * signed, the job submitted (fake aurora client), {@code cache verify} passes on the bucket, {@code
 * agent-config} names the bucket's HTTP endpoint, and an empty store with only our key trusted
 * substitutes the process script's closure from there.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class S3CacheCreateIT {

  private static final String ACCESS_KEY = "AKIDNIXAURORACLI";
  private static final String SECRET_KEY = "cli-test-secret-never-printed";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private RunningCommand s3proxy;
  private int port;

  @BeforeEach
  void start() throws Exception {
    Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: run the tests through Maven, which copies it");
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = Files.createDirectories(tmp.resolve("s3data"));
    Path props = tmp.resolve("s3proxy.conf");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data,
            ""));
    s3proxy =
        Command.of(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-jar",
                    jar.toString(),
                    "--properties",
                    props.toString()))
            .withOutputLimit(1 << 20)
            .withGrace(Duration.ofSeconds(10))
            .start();
    s3proxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
    try (S3Client c =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      c.createBucket(b -> b.bucket("nix-cache"));
    }
    // The SDK's default chain: in this JVM, system properties (a test cannot set the environment).
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }

  @AfterEach
  void stop() throws Exception {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    s3proxy.stop();
  }

  @Test
  void createWithAnS3CacheUrlPushesVerifiesAndSubmits() throws Exception {
    Cli cli = new Cli(tmp);
    Fixtures.FakeAurora aurora = new Fixtures.FakeAurora(tmp);
    Path job =
        Fixtures.helloJob(tmp.resolve("job"), "devcluster", "hello", "s3-" + System.nanoTime())
            .getParent();
    Cli.Result keygen =
        cli.run("cache", "keygen", "test-s3-1", "--out-dir", tmp.resolve("keys").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String publicKey = keygen.out().strip();
    String endpoint = "http://127.0.0.1:" + port;
    String cacheUrl =
        "s3://nix-cache/prod?endpoint=" + endpoint + "&region=us-east-1&acl=public-read";
    cli.config(
        """
        {"clusters": {"devcluster": {"store": "binary-cache", "cache_url": "%s",
          "secret_key_file": "%s", "aurora_binary": "%s"}}}
        """
            .formatted(cacheUrl, tmp.resolve("keys/test-s3-1.sec"), aurora.executable));

    Cli.Result r = cli.run("create", "devcluster/vagrant/devel/hello", job.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("pushed "), r.err());
    assertFalse(r.err().contains(SECRET_KEY), r.err());
    assertFalse(r.err().contains("SLF4J"), r.err());
    assertEquals(1, aurora.calls().size());
    JsonNode submitted = JSON.readTree(aurora.config(1));
    String init = submitted.get("task").get("processes").get(0).get("cmdline").asText();
    String script = init.substring(init.indexOf("/nix/store/")).split(" ")[0];

    Cli.Result verify = cli.run("cache", "verify", cacheUrl, "--public-key", publicKey);
    assertEquals(0, verify.exitCode(), verify.toString());
    assertTrue(verify.err().contains("is sound"), verify.err());

    String http = endpoint + "/nix-cache/prod";
    Cli.Result agents = cli.run("agent-config", "devcluster");
    assertEquals(0, agents.exitCode(), agents.toString());
    assertTrue(agents.out().contains("substituters = " + http), agents.out());

    Process p =
        new ProcessBuilder(
                "nix-store",
                "--store",
                tmp.resolve("agent-store").toString(),
                "-r",
                script,
                "--option",
                "substituters",
                http,
                "--option",
                "trusted-public-keys",
                publicKey,
                "--option",
                "require-sigs",
                "true")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
    assertTrue(Files.exists(Path.of(tmp.resolve("agent-store") + script)), output);
  }
}
