package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real S3 (S3Proxy, filesystem backend) and real Nix: closures pushed to s3:// are substituted by
 * fresh chroot stores from the bucket's HTTP endpoint with signatures required; large NARs go up as
 * multipart uploads; the cache verifies by listing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class S3PushAndSubstituteIT {

  private Path dir;
  private S3Proxy s3;
  private StorePath top;
  private List<StorePath> closure;
  private SigningKey key;
  private NixStore store;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("nbc-s3");
    s3 = S3Proxy.start(dir.resolve("s3proxy"));
    S3Proxy.useCredentials();
    s3.createPublicBucket("cache");
    top = TestNix.buildClosure(dir, "s3push");
    closure = TestNix.requisites(top);
    key = SigningKey.generate("test-s3-1");
    store = new NixStore(NixRunner.onPath());
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
    TestNix.deleteTree(dir);
  }

  @Test
  void aPushToS3IsSubstitutedThroughTheBucketsHttpEndpoint() throws Exception {
    CacheUrl url = CacheUrl.parse(s3.url("cache/prefix/a") + "&compression=xz");
    assertEquals(s3.httpUrl("cache/prefix/a"), url.substituterUrl());
    try (BinaryCacheTarget target = BinaryCacheTarget.open(url, Optional.empty())) {
      assertTrue(target instanceof S3Target);
      CachePusher pusher =
          CachePusher.builder()
              .store(store)
              .target(target)
              .signingKey(key)
              .compression(url.compression().orElseThrow())
              .build();
      PushSummary first = pusher.push(List.of(top));
      assertEquals(closure.size(), first.pushed());
      PushSummary again = pusher.push(List.of(top));
      assertEquals(0, again.pushed());
      assertEquals(closure.size(), again.skipped());
      CacheVerifier verifier = new CacheVerifier(target, List.of(key.publicKey()), 2);
      assertEquals(List.of(), verifier.verifyAll());
      assertEquals(closure.size(), target.listNarInfos().orElseThrow().size());
    }
    // The keys are under the prefix, as Nix's layout.
    assertTrue(
        Files.exists(s3.data.resolve("cache/prefix/a/" + top.hashPart() + ".narinfo")),
        "narinfo under the prefix");
    // agent-config: agents substitute from the bucket's HTTP endpoint (as done here), or s3://.
    AgentConfig agents = new AgentConfig(url, key.publicKey());
    assertEquals("substituters = " + s3.httpUrl("cache/prefix/a"), agents.lines().get(0));
    assertTrue(agents.text().contains("#   substituters = s3://cache?"), agents.text());
    substituteInto(s3.httpUrl("cache/prefix/a"), top, closure);
  }

  @Test
  void aLargeNarGoesUpInPartsAndSubstitutes() throws Exception {
    StorePath big = TestNix.buildBig(dir, "s3multi", 12, null);
    CacheUrl url = CacheUrl.parse(s3.url("cache/multi"));
    try (S3Target target = S3Target.open(url, 6L << 20, 5L << 20)) {
      CachePusher.builder()
          .store(store)
          .target(target)
          .signingKey(key)
          .compression(Compression.NONE)
          .inMemoryNarLimit(0)
          .build()
          .push(List.of(big));
      assertEquals(
          List.of(), new CacheVerifier(target, List.of(key.publicKey()), 2).verify(List.of(big)));
      // Nothing left over: no incomplete multipart upload.
      assertEquals(0, target.abortStaleUploads(Instant.now().plusSeconds(3600)));
    }
    substituteInto(s3.httpUrl("cache/multi"), big, List.of(big));
  }

  @Test
  void aFailedMultipartUploadIsAbortedAndLeavesNothingVisible() throws Exception {
    CacheUrl url = CacheUrl.parse(s3.url("cache/abort"));
    Path staged = Files.createTempFile(dir, "part", ".tmp");
    // 11 MiB of data with a part size S3 refuses for a non-last part (1 MiB < 5 MiB): the
    // completion fails and the upload must be aborted, not left half there.
    Files.write(staged, new byte[11 << 20]);
    try (S3Target target = S3Target.open(url, 1L << 20, 1L << 20)) {
      CacheException e =
          assertThrows(
              CacheException.class,
              () -> target.writeFile("nar/x.nar", staged, "application/x-nix-nar"));
      assertTrue(e.getMessage().contains("s3://cache/abort/nar/x.nar"), e.getMessage());
      assertFalse(target.exists("nar/x.nar"));
      assertEquals(0, target.abortStaleUploads(Instant.now().plusSeconds(3600)));
    }
  }

  @Test
  void wrongCredentialsFailNamingTheCacheNotTheSecret() throws Exception {
    String saved = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.secretAccessKey", "wrong-secret-value");
    try (BinaryCacheTarget target =
        BinaryCacheTarget.open(CacheUrl.parse(s3.url("cache/denied")), Optional.empty())) {
      CacheException e =
          assertThrows(CacheException.class, () -> target.write("x", new byte[1], "text/plain"));
      assertEquals(CacheException.Kind.AUTHENTICATION, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("s3://cache/denied/x"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-secret-value"));
    } finally {
      System.setProperty("aws.secretAccessKey", saved);
    }
  }

  @Test
  void aProfileFromACredentialsFileIsUsed() throws Exception {
    Path creds = dir.resolve("aws-credentials");
    Files.writeString(
        creds,
        "[cachepusher]\naws_access_key_id = "
            + S3Proxy.ACCESS_KEY
            + "\naws_secret_access_key = "
            + S3Proxy.SECRET_KEY
            + "\n");
    String saved = System.getProperty("aws.secretAccessKey");
    // Wrong default credentials: only the profile's work.
    System.setProperty("aws.secretAccessKey", "wrong");
    System.setProperty("aws.sharedCredentialsFile", creds.toString());
    try (BinaryCacheTarget target =
        BinaryCacheTarget.open(
            CacheUrl.parse(s3.url("cache/profile") + "&profile=cachepusher"), Optional.empty())) {
      target.write("probe", "x".getBytes(), "text/plain");
      assertTrue(target.exists("probe"));
    } finally {
      System.setProperty("aws.secretAccessKey", saved);
      System.clearProperty("aws.sharedCredentialsFile");
    }
  }

  @Test
  void aMissingBucketIsNamed() throws Exception {
    try (BinaryCacheTarget target =
        BinaryCacheTarget.open(CacheUrl.parse(s3.url("no-such-bucket")), Optional.empty())) {
      CacheException e =
          assertThrows(CacheException.class, () -> target.write("x", new byte[1], "text/plain"));
      assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
    }
    try (S3Client c = s3.client()) {
      assertFalse(
          c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("no-such-bucket")));
    }
  }

  private void substituteInto(String httpUrl, StorePath root, List<StorePath> paths)
      throws Exception {
    Path fresh = dir.resolve("store-" + Math.abs((httpUrl + root).hashCode()));
    TestNix.Result r = TestNix.substitute(fresh, httpUrl, key.publicKey().toString(), root);
    assertEquals(0, r.exit(), r.stderr());
    for (StorePath p : paths) {
      assertTrue(Files.exists(Path.of(fresh + p.toString())), p + " substituted");
    }
    TestNix.deleteTree(fresh);
  }
}
