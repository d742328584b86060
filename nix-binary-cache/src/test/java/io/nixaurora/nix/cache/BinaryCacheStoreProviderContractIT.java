package io.nixaurora.nix.cache;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.tck.StoreProviderContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared StoreProvider contract, for the binary-cache provider pushing to a real nginx. The
 * agent is an empty chroot store that substitutes from that cache, so the contract's init runs
 * really fetch what publish pushed.
 */
class BinaryCacheStoreProviderContractIT extends StoreProviderContract {

  static Path dir;
  static StorePath top;
  static SigningKey key;
  static Path secretKey;
  static Nginx nginx;
  static final AtomicInteger CACHES = new AtomicInteger();

  private String cache;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("nbc-tck");
    top = TestNix.buildClosure(dir, "tck");
    key = SigningKey.generate("test-tck-1");
    secretKey = dir.resolve("sk");
    key.writeFiles(secretKey, dir.resolve("pk"));
    nginx = Nginx.start(dir.resolve("nginx"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    nginx.close();
    TestNix.deleteTree(dir);
  }

  private StoreProvider provider(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("cache_url", nginx.url(cache));
    settings.put("secret_key_file", secretKey.toString());
    settings.put("agent_nix_bin_dir", "/usr/bin");
    return new BinaryCacheStoreProviderFactory().create(settings);
  }

  @Override
  protected StoreProvider newProvider() {
    cache = "tck-" + CACHES.incrementAndGet();
    return provider(Map.of());
  }

  @Override
  protected String expectedName() {
    return "binary-cache";
  }

  @Override
  protected BuiltJob builtJob() {
    Job job =
        Job.builder()
            .cluster("devcluster")
            .role("www-data")
            .environment("prod")
            .name("hello")
            .task(
                Task.builder()
                    .name("hello")
                    .process(Process.builder().name("hello").cmdline(top + "").build())
                    .resources(Resources.of(0.1, 16 * 1024 * 1024, 16 * 1024 * 1024))
                    .build())
            .build();
    return new BuiltJob(
        job, Map.of("hello", new ProcessScript("hello", top, "x86_64-linux")), "x86_64-linux");
  }

  @Override
  protected List<Path> writtenPlaces() {
    return List.of(nginx.root.resolve(cache));
  }

  @Override
  protected boolean keepsSomethingPerJob() {
    return false;
  }

  @Override
  protected Optional<StoreProvider> daemonModeProvider() {
    return Optional.of(provider(Map.of("daemon", "true")));
  }

  @Override
  protected Map<String, String> agentEnvironment() throws Exception {
    Path agent = Files.createTempDirectory(dir, "agent-store");
    return Map.of(
        "NIX_REMOTE",
        "local?root=" + agent,
        "NIX_CONFIG",
        String.join(
            "\n",
            "substituters = " + nginx.url(cache),
            "trusted-public-keys = " + key.publicKey(),
            "require-sigs = true",
            "narinfo-cache-negative-ttl = 0",
            "narinfo-cache-positive-ttl = 0"));
  }
}
