package io.nixaurora.nix.cache;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.CacheException;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.NixException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.nix.local.NixInitCommand;
import io.nixaurora.nix.local.NixStore;
import io.nixaurora.nix.local.PathInfo;
import io.nixaurora.nix.local.Systems;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The {@code binary-cache} store provider: publishing pushes the closure of every process script to
 * a signed Nix binary cache, then confirms that every path of every closure has a narinfo signed by
 * the configured key. Agents realise paths through the substituters of their nix.conf (see {@link
 * #agentConfig()}).
 */
public final class BinaryCacheStoreProvider implements StoreProvider {

  /** The name this provider is selected by. */
  public static final String NAME = "binary-cache";

  private final BinaryCacheConfig config;
  private final NixStore store;
  private final InitCommand initCommand;

  /**
   * @param store the local store closures are read from
   */
  public BinaryCacheStoreProvider(BinaryCacheConfig config, NixStore store) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    // The local provider's init command; the cache goes on the command line only for clusters
    // whose role users Nix trusts (untrusted users' substituters are filtered by the daemon).
    this.initCommand =
        NixInitCommand.builder()
            .agentNixBinDir(config.store().agentNixBinDir())
            .daemon(config.store().daemon())
            .profileScript(config.store().profileScript().orElse(null))
            .extraArguments(
                config.trustedSubstituter()
                    ? List.of("--option", "extra-substituters", config.cacheUrl().substituterUrl())
                    : List.of())
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The settings. */
  public BinaryCacheConfig config() {
    return config;
  }

  @Override
  public InitCommand initCommand() {
    return initCommand;
  }

  /** The nix.conf lines agents need to substitute from this cache. */
  public AgentConfig agentNixConf() throws CacheException {
    return new AgentConfig(config.cacheUrl(), config.trustedKey());
  }

  @Override
  public Optional<String> agentConfig() throws CacheException {
    return Optional.of(agentNixConf().text());
  }

  @Override
  public String interruptedPublishLeaves() {
    return "the store may hold part of the closures (a cache never a narinfo without its NAR)";
  }

  @Override
  public Publication publish(BuiltJob job, EventListener events) throws StoreException {
    return publishAll(List.of(job), events).get(0);
  }

  /**
   * Pushes the union of the jobs' closures once: one closure read for all their process scripts,
   * each path asked for and uploaded once however many jobs share it, one confirmation of the
   * signatures. Every job's system is checked before anything is pushed, so a refused job leaves
   * the cache untouched.
   */
  @Override
  public List<Publication> publishAll(List<BuiltJob> jobs, EventListener events)
      throws StoreException {
    if (jobs.isEmpty()) {
      return List.of();
    }
    for (BuiltJob job : jobs) {
      requireSystem(job);
    }
    SigningKey key = config.readSigningKey();
    PublicKey trusted = config.trustedKey();
    Set<StorePath> roots = new LinkedHashSet<>();
    for (BuiltJob job : jobs) {
      for (ProcessScript s : job.scripts().values()) {
        roots.add(s.path());
      }
    }
    String what = jobs.size() == 1 ? jobs.get(0).key().toString() : jobs.size() + " jobs";
    // The narinfos as the push found (GET) or wrote them: the confirmation checks their signatures
    // without asking the cache for every path a second time.
    Map<StorePath, String> narInfos = new ConcurrentHashMap<>();
    CachePusher.Pushed pushed;
    try (BinaryCacheTarget target =
        BinaryCacheTarget.open(config.cacheUrl(), config.credentials())) {
      CachePusher pusher =
          CachePusher.builder()
              .store(store)
              .target(target)
              .signingKey(key)
              .compression(config.compression())
              .jobs(config.jobs())
              .events(events)
              .build();
      try {
        pushed = pusher.push(roots, narInfos);
      } catch (NixException e) {
        throw new StoreException("cannot read the closure of " + what + ": " + e.getMessage(), e);
      }
      List<StorePath> paths = pushed.closure().stream().map(PathInfo::path).toList();
      confirmSigned(target, paths, trusted, narInfos);
    }
    events.on(LogEvent.debug("every path of " + what + " is signed by " + trusted.name()));
    Map<StorePath, PathInfo> byPath = new LinkedHashMap<>();
    for (PathInfo p : pushed.closure()) {
      byPath.put(p.path(), p);
    }
    List<Publication> publications = new ArrayList<>(jobs.size());
    for (BuiltJob job : jobs) {
      // In the order publishing the job alone gives, whichever jobs were published with it.
      List<StorePath> closure = NixStore.closureOf(job, byPath);
      publications.add(new Publication(initCommand, closure, pushed.summary().toString()));
    }
    return List.copyOf(publications);
  }

  private void requireSystem(BuiltJob job) throws StoreException {
    try {
      Systems.requireCompatible(job, config.store().system());
    } catch (InvalidJobException e) {
      throw new StoreException(e.getMessage() + "; nothing was pushed", e);
    }
  }

  /**
   * Every path has a narinfo (for that path) with a valid signature by {@code key}; the text of
   * those in {@code known} (read or written by this push) is taken from there, the others' is read
   * from the cache.
   */
  static void confirmSigned(
      BinaryCacheTarget target, List<StorePath> paths, PublicKey key, Map<StorePath, String> known)
      throws CacheException {
    // Signature checks are CPU work (~0.15 ms each with BouncyCastle's Ed25519): use the cores
    // even when the target itself wants one connection.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(target.concurrency(), Runtime.getRuntime().availableProcessors()));
    try {
      List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
      for (StorePath p : paths) {
        checks.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return problem(target, p, key, known.get(p));
                  } catch (CacheException e) {
                    throw new CompletionException(e);
                  }
                },
                pool));
      }
      List<String> problems = new ArrayList<>();
      for (CompletableFuture<Optional<String>> c : checks) {
        try {
          c.join().ifPresent(problems::add);
        } catch (CompletionException e) {
          if (e.getCause() instanceof CacheException ce) {
            throw ce;
          }
          throw e;
        }
      }
      if (!problems.isEmpty()) {
        throw new CacheException(
            CacheException.Kind.FAILURE,
            problems.size()
                + " path(s) not properly published to "
                + target.url()
                + ": "
                + problems.get(0)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Optional<String> problem(
      BinaryCacheTarget target, StorePath p, PublicKey key, String known) throws CacheException {
    Optional<String> text =
        known != null
            ? Optional.of(known)
            : target.read(NarInfo.key(p)).map(b -> new String(b, StandardCharsets.UTF_8));
    if (text.isEmpty()) {
      return Optional.of(p + " has no narinfo");
    }
    NarInfo info;
    try {
      info = NarInfo.parse(text.get(), NarInfo.key(p));
    } catch (IllegalArgumentException e) {
      return Optional.of(p + " has a corrupt narinfo: " + e.getMessage());
    }
    if (!info.storePath().equals(p)) {
      return Optional.of(p + "'s narinfo is for " + info.storePath());
    }
    if (!info.isSignedBy(key)) {
      return Optional.of(p + " is not signed by " + key.name());
    }
    return Optional.empty();
  }
}
