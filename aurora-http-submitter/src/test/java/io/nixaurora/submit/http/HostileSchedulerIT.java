package io.nixaurora.submit.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.event.EventListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 items 2, 8, 9 and 14 for the scheduler: the redirect matrix with credentials from the
 * configuration and from netrc, and a hostile or broken scheduler (slow or huge answers, huge diff
 * ranges, huge details, no TJSON, passwords in scheduler_uri). WireMock plays the scheduler: the
 * stand-in cannot redirect elsewhere or misbehave on demand.
 */
@Timeout(60)
class HostileSchedulerIT {
  static final JobKey KEY = HttpSubmitterTest.KEY;

  @TempDir Path home;
  FakeScheduler scheduler;

  @BeforeEach
  void start() {
    scheduler = new FakeScheduler();
  }

  @AfterEach
  void stop() {
    scheduler.close();
  }

  HttpSubmitter submitter(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("scheduler_uri", scheduler.uri());
    settings.put("owner", "vagrant");
    settings.put("retry_budget_seconds", "2");
    settings.putAll(extra);
    return new HttpSubmitter(
        HttpSubmitterSettings.parse(settings), event -> {}, UUID::randomUUID, home, Map.of());
  }

  /** Settings with credentials from the configuration, or an empty map and a netrc file. */
  Map<String, String> credentials(String source) throws Exception {
    if (source.equals("configuration")) {
      return Map.of("username", "aurora", "password", "secret");
    }
    Files.writeString(
        home.resolve(".netrc"),
        "machine 127.0.0.1 login aurora password secret\n"
            + "machine localhost login aurora password secret\n");
    return Map.of();
  }

  private void redirectApiTo(String location) {
    scheduler.stub(
        post(urlEqualTo("/api"))
            .willReturn(aResponse().withStatus(307).withHeader("Location", location)));
  }

  // ---- redirects (item 2) ----

  @ParameterizedTest
  @ValueSource(strings = {"configuration", "netrc"})
  void aRedirectOnTheSameHostIsFollowedWithTheCredentials(String source) throws Exception {
    redirectApiTo("/leader/api");
    scheduler.stub(
        post(urlEqualTo("/leader/api"))
            .willReturn(
                FakeScheduler.reply(
                    "getTasksWithoutConfigs",
                    FakeScheduler.OK,
                    List.of(),
                    3,
                    FakeScheduler.tasksResult(HttpSubmitterTest.ONE_RUNNING))));

    JobStatus status = submitter(credentials(source)).status(KEY);

    assertEquals(1, status.tasks().size());
    scheduler.server.verify(
        postRequestedFor(urlEqualTo("/leader/api"))
            .withHeader("Authorization", equalTo("Basic YXVyb3JhOnNlY3JldA==")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"configuration", "netrc"})
  void aRedirectToAnotherHostIsRefusedAndNothingIsSentThere(String source) throws Exception {
    // Same server, another host name: whatever reached it would be logged.
    String elsewhere = "http://localhost:" + scheduler.server.port() + "/elsewhere/api";
    redirectApiTo(elsewhere);

    SubmitException.Network e =
        assertThrows(SubmitException.Network.class, () -> submitter(credentials(source)).kill(KEY));

    assertTrue(e.getMessage().contains(scheduler.uri() + "api"), e.getMessage());
    assertTrue(e.getMessage().contains(elsewhere), e.getMessage());
    assertTrue(e.getMessage().contains("another host"), e.getMessage());
    assertEquals(1, scheduler.server.getAllServeEvents().size(), "one request, not followed");
    assertFalse(e.getMessage().contains("secret"));
  }

  @Test
  void aRedirectToAnotherPortOrSchemeIsRefused() throws Exception {
    try (FakeScheduler other = new FakeScheduler(true)) {
      redirectApiTo("http://127.0.0.1:" + other.server.port() + "/api");
      SubmitException.Network port =
          assertThrows(
              SubmitException.Network.class,
              () -> submitter(credentials("configuration")).kill(KEY));
      assertTrue(port.getMessage().contains("another port"), port.getMessage());

      scheduler.server.resetAll();
      redirectApiTo("https://127.0.0.1:" + other.server.httpsPort() + "/api");
      SubmitException.Network scheme =
          assertThrows(
              SubmitException.Network.class,
              () -> submitter(credentials("configuration")).kill(KEY));
      assertTrue(scheme.getMessage().contains("changes the scheme"), scheme.getMessage());
      assertEquals(0, other.server.getAllServeEvents().size(), "nothing reached the other server");
    }
  }

  // ---- passwords in scheduler_uri (item 9) ----

  @Test
  void aPasswordInSchedulerUriIsUsedButNeverShown() throws Exception {
    scheduler.tiers();
    scheduler.answer("createJob", FakeScheduler.OK);
    scheduler.tasks(HttpSubmitterTest.ONE_RUNNING);
    String uri = "http://aurora:s3cret@127.0.0.1:" + scheduler.server.port() + "/";

    SubmitResult result =
        submitter(Map.of("scheduler_uri", uri)).create(HttpSubmitterTest.helloWorld());

    assertFalse(result.message().contains("s3cret"), result.message());
    assertFalse(result.url().orElseThrow().contains("s3cret"), result.url().get());
    assertTrue(result.message().contains("http://127.0.0.1:"), result.message());
    HttpSubmitter submitter = submitter(Map.of("scheduler_uri", uri));
    assertFalse(submitter.toString().contains("s3cret"), submitter.toString());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> HttpSubmitterSettings.parse(Map.of("scheduler_uri", "ftp://u:s3cret@h/")));
    assertFalse(bad.getMessage().contains("s3cret"), bad.getMessage());
    scheduler.server.verify(
        postRequestedFor(urlEqualTo("/api"))
            .withHeader("Authorization", equalTo("Basic YXVyb3JhOnMzY3JldA==")));
  }

  // ---- bounded reads (item 8) ----

  @Test
  void anAnswerSentSlowlyIsCutOffAtTheRequestTimeout() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody("x".repeat(600))
                    .withChunkedDribbleDelay(60, 60_000)));

    SubmitException e =
        assertThrows(
            SubmitException.class,
            () ->
                submitter(Map.of("request_timeout_seconds", "1", "retry_budget_seconds", "1"))
                    .status(KEY));

    assertTrue(e.getMessage().contains("no complete answer"), e.getMessage());
  }

  @Test
  void anAnswerOverTheLimitIsRefused() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .willReturn(aResponse().withStatus(200).withBody("[".repeat(5000))));
    SchedulerClient client =
        new SchedulerClient(
            URI.create(scheduler.uri()),
            HttpClient.newHttpClient(),
            host -> Optional.empty(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            EventListener.NONE,
            1000);

    SubmitException.ApiError e =
        assertThrows(
            SubmitException.ApiError.class,
            () -> client.call("getTasksWithoutConfigs", new TJson.Struct(), true));

    assertTrue(e.getMessage().contains("larger than 1000 bytes"), e.getMessage());
  }

  @Test
  void aDiffWithAHugeInstanceRangeIsRefusedNotExpanded() throws Exception {
    scheduler.tiers();
    TJson.Struct group =
        FakeScheduler.configGroup(List.of(FakeScheduler.range(0, Integer.MAX_VALUE - 1)));
    scheduler.answer(
        "getJobUpdateDiff",
        FakeScheduler.OK,
        List.of(),
        AuroraApi.Result.GET_JOB_UPDATE_DIFF_RESULT,
        new TJson.Struct()
            .set(AuroraApi.GetJobUpdateDiffResult.ADD, TJson.set("rec", List.of(group))));

    SubmitException.ApiError e =
        assertThrows(
            SubmitException.ApiError.class,
            () -> submitter(Map.of()).diff(HttpSubmitterTest.helloWorld()));

    assertTrue(e.getMessage().contains("0-2147483646"), e.getMessage());
  }

  @Test
  void hugeDetailsAreCut() throws Exception {
    scheduler.tiers();
    scheduler.answer("createJob", FakeScheduler.INVALID_REQUEST, "d".repeat(5_000_000));

    SubmitException e =
        assertThrows(
            SubmitException.class,
            () -> submitter(Map.of()).create(HttpSubmitterTest.helloWorld()));

    assertTrue(e.getMessage().length() < Responses.MAX_DETAILS + 200, "cut");
  }

  @Test
  void anAnswerThatIsNotTjsonIsNamedWithoutJacksonsInternals() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .willReturn(aResponse().withStatus(200).withBody("{\"truncated\": [1, 2")));

    SubmitException e = assertThrows(SubmitException.class, () -> submitter(Map.of()).status(KEY));

    assertTrue(e.getMessage().contains("not TJSON"), e.getMessage());
    assertFalse(e.getMessage().contains("Source:"), e.getMessage());
    assertFalse(e.getMessage().contains("com.fasterxml"), e.getMessage());
    assertFalse(e.getMessage().contains("StreamReadConstraints"), e.getMessage());
  }

  @Test
  void theSchedulersErrorPageKeepsItsExceptionName() throws Exception {
    scheduler.stub(
        FakeScheduler.call("getTasksWithoutConfigs")
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(
                        "<html><body><h2>HTTP ERROR 500</h2><pre>java.lang.NullPointerException:"
                            + " task store is null</pre></body></html>")));

    SubmitException e = assertThrows(SubmitException.class, () -> submitter(Map.of()).status(KEY));

    assertTrue(
        e.getMessage().contains("java.lang.NullPointerException: task store is null"),
        e.getMessage());
    assertFalse(e.getMessage().contains("<pre>"), e.getMessage());
  }

  @Test
  void homeIsTheHomeVariableAsForTheAuroraClient() {
    // ~/.netrc and ~/.aurora/clusters.json are read under it.
    assertEquals(Path.of("/srv/home"), HttpSubmitter.home(Map.of("HOME", "/srv/home")));
    assertEquals(Path.of(System.getProperty("user.home")), HttpSubmitter.home(Map.of()));
  }

  @Test
  void aBrokenClustersJsonIsNamedWithoutJacksonsInternals() throws Exception {
    Path etc = Files.createDirectories(home.resolve("etc-aurora"));
    Files.writeString(etc.resolve("clusters.json"), "[{\"name\": \"x\",\n");

    SubmitException e = assertThrows(SubmitException.class, () -> Clusters.load(List.of(etc)));

    assertTrue(e.getMessage().contains("clusters.json: not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("at line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("Source"), e.getMessage());
  }

  /** A client that trusts WireMock's self-signed certificate (this test's own server only). */
  private static HttpClient trustingClient() throws Exception {
    javax.net.ssl.X509TrustManager all =
        new javax.net.ssl.X509TrustManager() {
          @Override
          public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

          @Override
          public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
          }
        };
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {all}, null);
    return HttpClient.newBuilder()
        .sslContext(tls)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Test
  void anHttpsToHttpDowngradeIsRefusedAndTheCredentialsStayOnTls() throws Exception {
    // A certificate for 127.0.0.1 (WireMock's own names no address), trusted by this client only.
    Path keystore = home.resolve("tls.jks");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "scheduler",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "password",
                "-keypass",
                "password")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertEquals(0, keytool.waitFor(), "keytool");
    com.github.tomakehurst.wiremock.WireMockServer tls =
        new com.github.tomakehurst.wiremock.WireMockServer(
            com.github.tomakehurst.wiremock.core.WireMockConfiguration.options()
                .dynamicPort()
                .dynamicHttpsPort()
                .bindAddress("127.0.0.1")
                .keystorePath(keystore.toString())
                .keystorePassword("password")
                .keyManagerPassword("password"));
    tls.start();
    try {
      String downgrade = "http://127.0.0.1:" + tls.port() + "/api";
      tls.stubFor(
          post(urlEqualTo("/api"))
              .willReturn(aResponse().withStatus(307).withHeader("Location", downgrade)));
      SchedulerClient client =
          new SchedulerClient(
              URI.create("https://127.0.0.1:" + tls.httpsPort() + "/"),
              trustingClient(),
              host -> Optional.of(new io.nixaurora.support.Netrc.Credentials("aurora", "secret")),
              Duration.ofSeconds(10),
              Duration.ofSeconds(2),
              EventListener.NONE);

      SubmitException.Network e =
          assertThrows(
              SubmitException.Network.class,
              () -> client.call("getTasksWithoutConfigs", new TJson.Struct(), true));

      assertTrue(e.getMessage().contains("downgrades https to plain http"), e.getMessage());
      assertTrue(e.getMessage().contains(downgrade), e.getMessage());
      // One request, over TLS and with the credentials; nothing reached the plain-http port.
      assertEquals(1, tls.getAllServeEvents().size());
      var request = tls.getAllServeEvents().get(0).getRequest();
      assertEquals("https", request.getScheme());
      assertEquals("Basic YXVyb3JhOnNlY3JldA==", request.getHeader("Authorization"));
    } finally {
      tls.stop();
    }
  }
}
