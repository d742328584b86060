package io.nixaurora.nix.cache;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code cache gc --delete} in its own JVM for kill tests: {@code GcMain URL DIE_AFTER
 * CLOCK_SHIFT_SECONDS ROOT…}. With {@code DIE_AFTER} > 0 the process halts (no shutdown hooks, no
 * cleanup: as SIGKILL) right after the target deleted that many keys, one key per request.
 */
public final class GcMain {

  private GcMain() {}

  public static void main(String[] args) throws Exception {
    CacheUrl url = CacheUrl.parse(args[0]);
    int dieAfter = Integer.parseInt(args[1]);
    long shift = Long.parseLong(args[2]);
    List<StorePath> roots = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      roots.add(StorePath.of(args[i]));
    }
    try (BinaryCacheTarget t = BinaryCacheTarget.openExisting(url, Optional.empty())) {
      BinaryCacheTarget target = dieAfter > 0 ? new Dying(t, dieAfter) : t;
      CacheGc.Report r =
          CacheGc.builder()
              .target(target)
              .roots(roots)
              .grace(Duration.ofDays(3))
              .delete(true)
              .clock(() -> Instant.now().plusSeconds(shift))
              .build()
              .run();
      System.out.println(r.summary());
    }
    System.exit(0);
  }

  /** Deletes one key a request and halts the JVM after the N-th. */
  static final class Dying extends ForwardingTarget {
    private final int dieAfter;
    private final AtomicInteger deleted = new AtomicInteger();

    Dying(BinaryCacheTarget t, int dieAfter) {
      super(t);
      this.dieAfter = dieAfter;
    }

    @Override
    public void delete(List<String> keys) throws CacheException {
      for (String k : keys) {
        t.delete(List.of(k));
        if (deleted.incrementAndGet() >= dieAfter) {
          Runtime.getRuntime().halt(137);
        }
      }
    }
  }
}
