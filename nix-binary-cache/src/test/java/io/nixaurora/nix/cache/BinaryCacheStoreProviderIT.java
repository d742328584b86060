package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dagger.Component;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.CacheException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The binary-cache StoreProvider through its factory, as the CLI makes it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BinaryCacheStoreProviderIT {

  @Singleton
  @Component(modules = BinaryCacheModule.class)
  interface Providers {
    Map<String, StoreProviderFactory> storeProviders();
  }

  private Path dir;
  private StorePath top;
  private SigningKey key;
  private Path secretKey;
  private Nginx nginx;

  @BeforeAll
  void setUp() throws Exception {
    dir = Files.createTempDirectory("nbc-provider");
    top = TestNix.buildClosure(dir, "provider");
    key = SigningKey.generate("test-provider-1");
    secretKey = dir.resolve("sk");
    key.writeFiles(secretKey, dir.resolve("pk"));
    nginx = Nginx.start(dir.resolve("nginx"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    nginx.close();
    TestNix.deleteTree(dir);
  }

  private static BuiltJob job(StorePath script, String system) {
    Job job =
        Job.builder()
            .cluster("devcluster")
            .role("www-data")
            .environment("prod")
            .name("hello")
            .task(
                Task.builder()
                    .name("hello")
                    .process(Process.builder().name("hello").cmdline(script + "").build())
                    .resources(Resources.of(0.1, 16 * 1024 * 1024, 16 * 1024 * 1024))
                    .build())
            .build();
    return new BuiltJob(job, Map.of("hello", new ProcessScript("hello", script, system)), system);
  }

  private StoreProvider provider(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("cache_url", nginx.url("provider"));
    settings.put("secret_key_file", secretKey.toString());
    settings.put("agent_nix_bin_dir", "/usr/bin");
    settings.put("unrelated_key", "ignored");
    settings.putAll(extra);
    StoreProviderFactory f =
        DaggerBinaryCacheStoreProviderIT_Providers.create().storeProviders().get("binary-cache");
    assertEquals("binary-cache", f.name());
    return f.create(settings);
  }

  @Test
  void publishPushesEveryClosureAndConfirmsTheSignatures() throws Exception {
    StoreProvider p = provider(Map.of("compression", "xz"));
    Publication pub = p.publish(job(top, "x86_64-linux"), EventListener.NONE);
    List<StorePath> closure = TestNix.requisites(top);
    assertEquals(closure.size(), pub.paths().size());
    assertTrue(pub.paths().containsAll(closure));
    assertTrue(pub.summary().startsWith("pushed " + closure.size() + " paths"), pub.summary());
    assertEquals(
        "/usr/bin/nix-store --add-root .gc/hello -r " + top,
        pub.initCommand().cmdline(new ProcessScript("hello", top, "x86_64-linux")));
    // Again: everything is there, nothing pushed, still confirmed.
    Publication again = p.publish(job(top, "x86_64-linux"), EventListener.NONE);
    assertTrue(again.summary().startsWith("pushed 0 paths"), again.summary());
    assertTrue(
        Files.readString(nginx.root.resolve("provider/" + top.hashPart() + ".narinfo"))
            .contains("Compression: xz"));
  }

  /**
   * The confirmation after a push checks the narinfos the push found (GET) or wrote, rather than
   * asking the cache for each a second time: those texts must be exactly the cache's files.
   */
  @Test
  void thePushKeepsEveryNarInfoItFoundOrWroteForTheConfirmation() throws Exception {
    StorePath other = TestNix.buildClosure(dir, "provider-kept");
    NixStore store = new NixStore(NixRunner.onPath());
    var closure = store.closure(List.of(other));
    SigningKey key = SigningKey.read(secretKey);
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse(nginx.url("kept")), Optional.empty())) {
      CachePusher pusher = CachePusher.builder().target(t).signingKey(key).build();
      // A first push keeps what it wrote, a second one what it found.
      for (int round = 0; round < 2; round++) {
        Map<StorePath, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        PushSummary s = pusher.pushClosure(closure, seen);
        assertEquals(round == 0 ? closure.size() : 0, s.pushed(), s.toString());
        assertEquals(closure.size(), seen.size());
        for (var p : closure) {
          assertEquals(
              Files.readString(nginx.root.resolve("kept/" + p.path().hashPart() + ".narinfo")),
              seen.get(p.path()));
        }
        BinaryCacheStoreProvider.confirmSigned(
            t, closure.stream().map(p -> p.path()).toList(), key.publicKey(), seen);
      }
    }
  }

  @Test
  void aPathPresentButUnsignedByOurKeyFailsTheConfirmation() throws Exception {
    StorePath other = TestNix.buildClosure(dir, "provider-unsigned");
    // Someone pushed the closure without a key: the narinfos exist but carry no signature.
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse(nginx.url("unsigned")), Optional.empty())) {
      CachePusher.builder()
          .store(new NixStore(NixRunner.onPath()))
          .target(t)
          .build()
          .push(List.of(other));
    }
    StoreProvider p = provider(Map.of("cache_url", nginx.url("unsigned")));
    CacheException e =
        assertThrows(
            CacheException.class, () -> p.publish(job(other, "x86_64-linux"), EventListener.NONE));
    assertTrue(e.getMessage().contains("not signed by test-provider-1"), e.getMessage());
  }

  @Test
  void aJobBuiltForAnotherSystemIsRefusedBeforeAnythingIsPushed() throws Exception {
    StoreProvider p = provider(Map.of("cache_url", nginx.url("cross")));
    StoreException e =
        assertThrows(
            StoreException.class, () -> p.publish(job(top, "aarch64-darwin"), EventListener.NONE));
    assertTrue(e.getMessage().contains("aarch64-darwin"), e.getMessage());
    assertTrue(e.getMessage().contains("x86_64-linux"), e.getMessage());
    assertFalse(Files.exists(nginx.root.resolve("cross")));
  }

  @Test
  void aScriptNixDoesNotHaveIsRefusedAndTheCacheIsNotWritten() throws Exception {
    // Nix reads the closure while the cache's nix-cache-info is read: a failure writes nothing.
    StoreProvider p = provider(Map.of("cache_url", nginx.url("missing")));
    StorePath gone = StorePath.of("/nix/store/" + "0".repeat(32) + "-never-built");
    StoreException e =
        assertThrows(
            StoreException.class, () -> p.publish(job(gone, "x86_64-linux"), EventListener.NONE));
    assertTrue(
        e.getMessage().startsWith("cannot read the closure of devcluster/www-data/prod/hello"),
        e.getMessage());
    assertFalse(Files.exists(nginx.root.resolve("missing")));
  }

  @Test
  void aPublicKeyThatIsNotTheSecretKeysIsRefused() {
    StoreProvider p =
        provider(
            Map.of("public_key", SigningKey.generate("test-provider-1").publicKey().toString()));
    CacheException e =
        assertThrows(
            CacheException.class, () -> p.publish(job(top, "x86_64-linux"), EventListener.NONE));
    assertTrue(e.getMessage().startsWith("public_key:"), e.getMessage());
  }

  @Test
  void settingsAreCheckedWithTheKeyNamed() {
    for (var bad :
        List.of(
            Map.of("cache_url", "ftp://bucket"),
            Map.of("compression", "br"),
            Map.of("jobs", "many"),
            Map.of("trusted_substituter", "maybe"),
            Map.of("daemon", "sometimes"),
            Map.of("system", "x86_64"),
            Map.of("agent_nix_bin_dir", "relative/bin"),
            Map.of("public_key", "nocolon"))) {
      String k = bad.keySet().iterator().next();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> provider(bad), bad.toString());
      assertTrue(e.getMessage().startsWith(k + ":"), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BinaryCacheStoreProviderFactory().create(Map.of()));
    assertTrue(e.getMessage().startsWith("cache_url:"));
  }

  @Test
  void initCommandVariants() {
    BinaryCacheStoreProvider p =
        (BinaryCacheStoreProvider)
            provider(
                Map.of(
                    "daemon", "true",
                    "trusted_substituter", "true",
                    "profile_script", "/etc/profile.d/nix.sh",
                    "cache_url", "https://cache.example/c?compression=zstd"));
    assertEquals(
        ". /etc/profile.d/nix.sh && NIX_REMOTE=daemon /usr/bin/nix-store --option"
            + " extra-substituters https://cache.example/c --add-root .gc/hello -r "
            + top,
        p.initCommand().cmdline(new ProcessScript("hello", top, "x86_64-linux")));
  }

  @Test
  void agentConfigLines() throws Exception {
    BinaryCacheStoreProvider p =
        (BinaryCacheStoreProvider)
            provider(Map.of("cache_url", "https://cache.example/c?secret-key=/x"));
    AgentConfig c = p.agentNixConf();
    assertEquals(
        List.of(
            "substituters = https://cache.example/c",
            "trusted-substituters = https://cache.example/c",
            "trusted-public-keys = " + key.publicKey(),
            "require-sigs = true",
            "narinfo-cache-negative-ttl = 0",
            "max-jobs = auto",
            "connect-timeout = 5",
            "fallback = false"),
        c.lines());
    assertFalse(c.text().contains(key.secretKeyText().split(":")[1]));
  }
}
