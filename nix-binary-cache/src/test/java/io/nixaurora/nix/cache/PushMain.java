package io.nixaurora.nix.cache;

import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A runnable push for fault tests and benchmarks (test scope: libraries do not print), until the
 * CLI's {@code nix-aurora cache push} exists.
 *
 * <pre>
 * PushMain URL SECRET_KEY_FILE COMPRESSION JOBS STOREPATH…
 * PushMain --verify URL PUBLIC_KEY      (exit 1 and one line per problem if the cache is unsound)
 * </pre>
 */
public final class PushMain {

  private PushMain() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--verify")) {
      CacheUrl url = CacheUrl.parse(args[1]);
      try (BinaryCacheTarget t = BinaryCacheTarget.open(url, Optional.empty())) {
        List<String> problems =
            new CacheVerifier(t, List.of(PublicKey.parse(args[2])), 2).verifyAll();
        problems.forEach(System.out::println);
        System.exit(problems.isEmpty() ? 0 : 1);
      }
    }
    boolean timing = System.getenv("NBC_TIMING") != null;
    long t0 = System.nanoTime();
    if (timing) {
      long jvm =
          java.time.Duration.between(
                  ProcessHandle.current().info().startInstant().orElseThrow(),
                  java.time.Instant.now())
              .toMillis();
      System.err.println("main entered " + jvm + " ms after process start");
    }
    CacheUrl url = CacheUrl.parse(args[0]);
    List<StorePath> roots = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      roots.add(StorePath.of(args[i]));
    }
    SigningKey key = SigningKey.read(Path.of(args[1]));
    if (timing) {
      System.err.printf("key %d ms%n", (System.nanoTime() - t0) / 1000000);
    }
    try (BinaryCacheTarget t = BinaryCacheTarget.open(url, Optional.empty())) {
      PushSummary s =
          CachePusher.builder()
              .store(new NixStore(NixRunner.onPath()))
              .target(t)
              .signingKey(key)
              .compression(Compression.named(args[2]))
              .jobs(Integer.parseInt(args[3]))
              .events(
                  e -> {
                    if (timing && e instanceof io.nixaurora.api.event.LogEvent l) {
                      System.err.println(l.message());
                    }
                  })
              .build()
              .push(roots);
      System.out.println(s);
    }
    if (timing) {
      System.err.printf("main done after %d ms%n", (System.nanoTime() - t0) / 1000000);
    }
    // As the CLI's main does: exit at once rather than wait for idle HTTP client threads.
    System.exit(0);
  }
}
