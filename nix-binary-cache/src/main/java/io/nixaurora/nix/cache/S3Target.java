package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@code s3://bucket[/prefix]} cache, spoken to with the AWS SDK for Java v2 (its SigV4 signer,
 * credential chain and retry strategy; no hand-written signer). Parameters as in Nix's S3 store:
 * {@code region}, {@code endpoint} (an S3-compatible server, addressed path-style), {@code scheme}
 * and {@code profile}; and ours, {@code acl} (a canned ACL such as {@code public-read} given to
 * every object written, for S3-compatible servers where a bucket policy cannot grant agents'
 * anonymous reads). Credentials come from the SDK's default chain (environment, system properties,
 * {@code ~/.aws/credentials} and {@code ~/.aws/config}, container and instance roles) or the named
 * profile; they are never logged or shown.
 *
 * <p>Guarantees, as for {@link FileTarget}: an S3 PUT is atomic (readers see the old object or the
 * new one, never part of one); NARs above {@link #multipartThreshold} go up as multipart uploads,
 * which are invisible until completed and aborted on failure, so a killed push leaves no partial
 * object (a killed process leaves an incomplete upload, invisible to readers; {@link
 * #abortStaleUploads} removes those). 5xx answers, throttling and network failures are retried by
 * the SDK's standard retry strategy (exponential backoff with jitter).
 *
 * <p>HTTP client: the SDK's {@code url-connection-client} (the JDK's HttpURLConnection) rather than
 * the default Apache or Netty clients: one small jar instead of httpclient5/httpcore5 or the Netty
 * stack, and synchronous uploads from a thread per connection is how the pusher works already.
 */
public final class S3Target implements BinaryCacheTarget {

  private static final int CONCURRENCY = 16;
  private static final int ATTEMPTS = 6;

  /** S3's smallest part (except the last) is 5 MiB; parts of 16 MiB keep requests few. */
  static final long PART_SIZE = 16L << 20;

  /** NARs larger than this go up as multipart uploads. */
  static final long MULTIPART_THRESHOLD = 64L << 20;

  private final CacheUrl url;
  private final String bucket;
  private final String prefix;
  private final S3Client s3;
  private final long multipartThreshold;
  private final long partSize;
  private final ObjectCannedACL acl;
  private volatile boolean singleDeletes;
  private final StagingDirectory staging = new StagingDirectory();

  private S3Target(CacheUrl url, S3Client s3, long multipartThreshold, long partSize) {
    this.url = url;
    this.acl = url.s3Acl().map(ObjectCannedACL::fromValue).orElse(null);
    this.bucket = url.bucket();
    this.prefix = url.s3Prefix();
    this.s3 = s3;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
  }

  /** Opens the cache at {@code url} (nothing is sent until the first request). */
  public static S3Target open(CacheUrl url) throws CacheException {
    return open(url, MULTIPART_THRESHOLD, PART_SIZE);
  }

  /** As {@link #open(CacheUrl)}, with the multipart sizes given (tests use small ones). */
  static S3Target open(CacheUrl url, long multipartThreshold, long partSize) throws CacheException {
    if (!url.isS3()) {
      throw new IllegalArgumentException(url + " is not an S3 cache");
    }
    AwsCredentialsProvider credentials =
        url.s3Profile().isPresent()
            ? ProfileCredentialsProvider.create(url.s3Profile().get())
            : DefaultCredentialsProvider.builder().build();
    try {
      var builder =
          S3Client.builder()
              .region(Region.of(url.s3Region()))
              .credentialsProvider(credentials)
              .httpClientBuilder(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(Duration.ofSeconds(10))
                      .socketTimeout(Duration.ofMinutes(2)))
              // Checksums only where S3 requires them: S3-compatible servers (MinIO, Ceph,
              // S3Proxy) do not all accept the SDK's default streaming CRC trailers. NARs are
              // checked by their FileHash in the narinfo anyway.
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              // No aws-chunked uploads: some S3-compatible servers (S3Proxy) keep
              // "Content-Encoding: aws-chunked" as the object's encoding and serve it to Nix,
              // which then cannot read the file.
              .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
              .overrideConfiguration(
                  c ->
                      c.retryStrategy(
                          AwsRetryStrategy.standardRetryStrategy().toBuilder()
                              .maxAttempts(ATTEMPTS)
                              .build()));
      Optional<URI> endpoint = url.s3Endpoint();
      if (endpoint.isPresent()) {
        // As Nix: an endpoint means an S3-compatible server, addressed path-style.
        builder.endpointOverride(endpoint.get()).forcePathStyle(true);
      }
      return new S3Target(url, builder.build(), multipartThreshold, partSize);
    } catch (SdkException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "cannot set up S3 for " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CacheUrl url() {
    return url;
  }

  private String objectKey(String key) {
    if (key.startsWith("/") || key.contains("..")) {
      throw new IllegalArgumentException("cache key '" + key + "' leaves the cache");
    }
    return prefix + key;
  }

  private String shown(String key) {
    return url + "/" + key;
  }

  /** S3 answers 404 for a missing key, 403 when the credentials may not list the bucket. */
  private static boolean absent(AwsServiceException e) {
    return e.statusCode() == 404 || e.statusCode() == 403;
  }

  private CacheException failure(String method, String key, SdkException e) {
    if (e instanceof AwsServiceException a) {
      String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
      CacheException.Kind kind =
          a.statusCode() == 401 || a.statusCode() == 403
              ? CacheException.Kind.AUTHENTICATION
              : CacheException.Kind.FAILURE;
      String hint =
          "NoSuchBucket".equals(code)
              ? " (bucket " + bucket + " does not exist)"
              : kind == CacheException.Kind.AUTHENTICATION
                  ? " (check the AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,"
                      + " ~/.aws/credentials"
                      + url.s3Profile().map(p -> " profile " + p).orElse("")
                      + ")"
                  : "";
      return new CacheException(
          kind,
          method
              + " "
              + shown(key)
              + " failed with HTTP status "
              + a.statusCode()
              + (code == null ? "" : " " + code)
              + hint,
          e);
    }
    CacheException.Kind kind =
        e instanceof SdkClientException ? CacheException.Kind.NETWORK : CacheException.Kind.FAILURE;
    return new CacheException(kind, method + " " + shown(key) + " failed: " + e.getMessage(), e);
  }

  private Optional<HeadObjectResponse> head(String key) throws CacheException {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(objectKey(key))));
    } catch (AwsServiceException e) {
      if (absent(e)) {
        return Optional.empty();
      }
      throw failure("HEAD", key, e);
    } catch (SdkException e) {
      throw failure("HEAD", key, e);
    }
  }

  @Override
  public boolean exists(String key) throws CacheException {
    return head(key).isPresent();
  }

  @Override
  public OptionalLong size(String key) throws CacheException {
    Optional<HeadObjectResponse> h = head(key);
    return h.isEmpty() || h.get().contentLength() == null
        ? (h.isEmpty() ? OptionalLong.empty() : OptionalLong.of(-1))
        : OptionalLong.of(h.get().contentLength());
  }

  @Override
  public Optional<Instant> lastModified(String key) throws CacheException {
    return head(key).map(HeadObjectResponse::lastModified);
  }

  @Override
  public Optional<byte[]> read(String key) throws CacheException {
    try {
      ResponseBytes<GetObjectResponse> r =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey(key)));
      if (r.response().contentLength() != null
          && r.response().contentLength() > HttpTarget.MAX_SMALL_FILE) {
        throw new CacheException(
            CacheException.Kind.FAILURE,
            "GET " + shown(key) + ": larger than " + HttpTarget.MAX_SMALL_FILE + " bytes");
      }
      return Optional.of(r.asByteArray());
    } catch (AwsServiceException e) {
      if (absent(e)) {
        return Optional.empty();
      }
      throw failure("GET", key, e);
    } catch (SdkException e) {
      throw failure("GET", key, e);
    }
  }

  @Override
  public InputStream open(String key) throws CacheException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(objectKey(key)));
    } catch (SdkException e) {
      throw failure("GET", key, e);
    }
  }

  @Override
  public void write(String key, byte[] content, String contentType) throws CacheException {
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(objectKey(key)).contentType(contentType).acl(acl),
          RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw failure("PUT", key, e);
    }
  }

  @Override
  public void writeFile(String key, Path staged, String contentType) throws CacheException {
    try {
      long size = Files.size(staged);
      if (size > multipartThreshold) {
        multipartUpload(key, staged, size, contentType);
      } else {
        s3.putObject(
            b -> b.bucket(bucket).key(objectKey(key)).contentType(contentType).acl(acl),
            RequestBody.fromFile(staged));
      }
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "cannot read staged file " + staged + ": " + e, e);
    } catch (SdkException e) {
      throw failure("PUT", key, e);
    } finally {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException ignored) {
        // A leftover file in the temp directory is harmless.
      }
    }
  }

  /**
   * Uploads {@code staged} in parts. The object appears only when the upload is completed; any
   * failure aborts it, so S3 keeps no parts (a killed process leaves an incomplete upload, which
   * readers never see and {@link #abortStaleUploads} removes).
   */
  private void multipartUpload(String key, Path staged, long size, String contentType)
      throws CacheException {
    String objectKey = objectKey(key);
    String uploadId;
    try {
      uploadId =
          s3.createMultipartUpload(
                  b -> b.bucket(bucket).key(objectKey).contentType(contentType).acl(acl))
              .uploadId();
    } catch (SdkException e) {
      throw failure("CreateMultipartUpload", key, e);
    }
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += partSize, number++) {
        long length = Math.min(partSize, size - offset);
        byte[] part = readPart(staged, offset, (int) length);
        int n = number;
        UploadPartResponse r =
            s3.uploadPart(
                b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(n),
                RequestBody.fromBytes(part));
        parts.add(CompletedPart.builder().partNumber(n).eTag(r.eTag()).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(objectKey)
                  .uploadId(uploadId)
                  .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
      completed = true;
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "cannot read staged file " + staged + ": " + e, e);
    } catch (SdkException e) {
      throw failure("multipart PUT", key, e);
    } finally {
      if (!completed) {
        try {
          s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException ignored) {
          // The upload stays invisible; abortStaleUploads removes it later.
        }
      }
    }
  }

  private static byte[] readPart(Path file, long offset, int length) throws IOException {
    byte[] buf = new byte[length];
    try (var ch = Files.newByteChannel(file)) {
      ch.position(offset);
      var bb = java.nio.ByteBuffer.wrap(buf);
      while (bb.hasRemaining()) {
        if (ch.read(bb) < 0) {
          throw new IOException(file + " ended early");
        }
      }
    }
    return buf;
  }

  /**
   * Aborts the multipart uploads under this cache started before {@code cutoff} (left by killed
   * pushes: they were never visible, but S3 bills their parts).
   *
   * @return how many were aborted
   */
  public int abortStaleUploads(Instant cutoff) throws CacheException {
    int n = 0;
    try {
      for (MultipartUpload u :
          s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()) {
        if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
          s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
          n++;
        }
      }
    } catch (SdkException e) {
      throw failure("ListMultipartUploads", "", e);
    }
    return n;
  }

  @Override
  public String removeStaleTemporaries() {
    // Incomplete multipart uploads of killed pushes are invisible to readers; `cache gc` aborts
    // the old ones (it can tell a stale upload from a running one by its age).
    return Temporaries.cleanTemporaryDirectory();
  }

  @Override
  public Path stagingDirectory() throws CacheException {
    return staging.path();
  }

  @Override
  public int concurrency() {
    return CONCURRENCY;
  }

  @Override
  public Optional<List<String>> listNarInfos() throws CacheException {
    List<String> keys = new ArrayList<>();
    for (Entry e : list(prefix)) {
      if (!e.key().contains("/") && e.key().endsWith(".narinfo")) {
        keys.add(e.key());
      }
    }
    keys.sort(null);
    return Optional.of(keys);
  }

  @Override
  public Optional<List<Entry>> listEntries() throws CacheException {
    return listEntries(Integer.MAX_VALUE);
  }

  /** Stops paging once the bucket has shown more than {@code limit} objects under the prefix. */
  @Override
  public Optional<List<Entry>> listEntries(int limit) throws CacheException {
    Optional<List<Entry>> all = list(prefix, limit);
    if (all.isEmpty()) {
      return Optional.empty();
    }
    List<Entry> out = new ArrayList<>();
    for (Entry e : all.get()) {
      if ((!e.key().contains("/") && e.key().endsWith(".narinfo")) || e.key().startsWith("nar/")) {
        out.add(e);
      }
    }
    return Optional.of(out);
  }

  private List<Entry> list(String under) throws CacheException {
    return list(under, Integer.MAX_VALUE).orElseThrow();
  }

  /** The objects under {@code under}, or empty as soon as there are more than {@code limit}. */
  private Optional<List<Entry>> list(String under, int limit) throws CacheException {
    List<Entry> out = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(under)).contents()) {
        if (out.size() >= limit) {
          return Optional.empty();
        }
        if (!o.key().endsWith("/")) {
          // Not the "directory" markers some servers list (S3Proxy's filesystem backend).
          out.add(new Entry(o.key().substring(prefix.length()), o.size(), o.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw failure("LIST", "", e);
    } catch (UncheckedIOException e) {
      throw new CacheException(CacheException.Kind.NETWORK, "LIST " + url + ": " + e, e);
    }
    return Optional.of(out);
  }

  @Override
  public void delete(List<String> keys) throws CacheException {
    if (singleDeletes) {
      deleteOneByOne(keys);
      return;
    }
    // DeleteObjects takes up to 1,000 keys a request; each key's deletion is atomic.
    for (int i = 0; i < keys.size(); i += 1000) {
      List<ObjectIdentifier> batch = new ArrayList<>();
      for (String k : keys.subList(i, Math.min(keys.size(), i + 1000))) {
        batch.add(ObjectIdentifier.builder().key(objectKey(k)).build());
      }
      try {
        DeleteObjectsResponse r =
            s3.deleteObjects(
                b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
        if (r.hasErrors() && !r.errors().isEmpty()) {
          var err = r.errors().get(0);
          throw new CacheException(
              CacheException.Kind.FAILURE,
              "DELETE "
                  + shown(err.key().substring(prefix.length()))
                  + " failed: "
                  + err.code()
                  + " "
                  + err.message()
                  + (r.errors().size() > 1 ? " (and " + (r.errors().size() - 1) + " more)" : ""));
        }
      } catch (AwsServiceException e) {
        if (e.statusCode() == 501) {
          // Some S3-compatible servers (S3Proxy) do not implement the checksum header the SDK
          // sends with DeleteObjects: one DeleteObject a key instead, from here on.
          singleDeletes = true;
          delete(keys.subList(i, keys.size()));
          return;
        }
        throw failure("DELETE", keys.get(i), e);
      } catch (SdkException e) {
        throw failure("DELETE", keys.get(i), e);
      }
    }
  }

  /** DeleteObject per key, {@link #CONCURRENCY} at a time. */
  private void deleteOneByOne(List<String> keys) throws CacheException {
    Futures.forEachKey(
        keys,
        CONCURRENCY,
        k -> {
          try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey(k)));
          } catch (SdkException e) {
            throw failure("DELETE", k, e);
          }
        });
  }

  @Override
  public synchronized void close() {
    s3.close();
    staging.close();
  }
}
