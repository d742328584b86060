package io.nixaurora.nix.cache;

import io.nixaurora.support.Command;
import io.nixaurora.support.CommandException;
import io.nixaurora.support.RunningCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;

/**
 * A real S3 server for tests: S3Proxy with its filesystem backend, as its own process on a free
 * localhost port, with one access key. The jar is copied into target/s3proxy by the pom; a machine
 * without it fails loudly.
 */
final class S3Proxy implements AutoCloseable {

  static final String ACCESS_KEY = "AKIDNIXAURORATEST";
  static final String SECRET_KEY = "nix-aurora-test-secret-do-not-print";

  final Path dir;
  final Path data;
  final int port;
  private final RunningCommand process;

  private S3Proxy(Path dir, Path data, int port, RunningCommand process) {
    this.dir = dir;
    this.data = data;
    this.port = port;
    this.process = process;
  }

  static S3Proxy start(Path dir) throws IOException, InterruptedException {
    Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          jar + " is missing: run the tests through Maven (it copies org.gaul:s3proxy there)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Path data = Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.conf");
    Files.writeString(
        props,
        "s3proxy.endpoint=http://127.0.0.1:"
            + port
            + "\n"
            + "s3proxy.authorization=aws-v2-or-v4\n"
            + "s3proxy.identity="
            + ACCESS_KEY
            + "\n"
            + "s3proxy.credential="
            + SECRET_KEY
            + "\n"
            + "jclouds.provider=filesystem\n"
            + "jclouds.filesystem.basedir="
            + data
            + "\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    RunningCommand p;
    try {
      p =
          Command.of(
                  List.of(
                      java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString()))
              .withOutputLimit(1 << 20)
              .withGrace(Duration.ofSeconds(10))
              .start();
      p.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
    } catch (CommandException e) {
      throw new IOException("S3Proxy did not start: " + e.getMessage(), e);
    }
    return new S3Proxy(dir, data, port, p);
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The cache URL of {@code bucket/prefix} on this server. */
  String url(String bucketAndPrefix) {
    return "s3://"
        + bucketAndPrefix
        + "?endpoint="
        + endpoint()
        + "&region=us-east-1&acl=public-read";
  }

  /** The HTTP URL Nix substitutes from (anonymous reads of a public-read bucket). */
  String httpUrl(String bucketAndPrefix) {
    return endpoint() + "/" + bucketAndPrefix;
  }

  /** An admin client with the server's key. */
  S3Client client() {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  /** Creates {@code bucket}, readable anonymously (as a cache agents substitute from over HTTP). */
  void createPublicBucket(String bucket) {
    try (S3Client c = client()) {
      c.createBucket(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
    }
  }

  /**
   * The credentials, as the SDK's default chain reads them in this JVM (system properties are the
   * chain's second source, after the environment, which a test cannot set).
   */
  static void useCredentials() {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }

  @Override
  public void close() {
    process.stop();
  }
}
