package io.nixaurora.nix.local;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.FileName;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.NixException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The {@code local} store provider: the agents use this machine's Nix store (a single-node
 * devcluster, or agents sharing the store). Publishing checks that every process script is valid in
 * the local store and registers a GC root for each, at {@code
 * <gc_roots_dir>/<cluster>/<role>/<env>/<job>/<process>} (each part encoded by {@link FileName}),
 * so a garbage collection between the build and the task's start cannot break the job. Rebuilding
 * the job replaces its roots and removes the roots of processes it no longer has.
 *
 * <p>Settings: those of {@link StoreSettings} and {@code gc_roots_dir} (default {@value
 * #DEFAULT_GC_ROOTS_DIR} for root and single-user installs, the user's state directory on
 * multi-user ones: see {@link LocalStoreProviderFactory}; a directory outside {@code
 * /nix/var/nix/gcroots} works too, Nix then records the roots as indirect roots).
 */
public final class LocalStoreProvider implements StoreProvider {

  /** Where GC roots go unless {@code gc_roots_dir} says otherwise, for those who can write it. */
  public static final String DEFAULT_GC_ROOTS_DIR = "/nix/var/nix/gcroots/nix-aurora";

  private final StoreSettings settings;
  private final Path gcRootsDir;
  private final NixStore store;
  private final NixInitCommand initCommand;

  /**
   * @param settings the common store settings
   * @param gcRootsDir where the per-job GC roots go
   * @param store the local store (through the runner for this machine's Nix)
   */
  public LocalStoreProvider(StoreSettings settings, Path gcRootsDir, NixStore store) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.gcRootsDir = Objects.requireNonNull(gcRootsDir, "gcRootsDir").toAbsolutePath();
    this.store = Objects.requireNonNull(store, "store");
    this.initCommand = NixInitCommand.of(settings);
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Optional<String> agentConfig() {
    return Optional.of(
        "# this cluster uses the local store provider: agents realise closures from their own store"
            + " (built there or copied in), so nix.conf needs no cache lines.\n");
  }

  @Override
  public String interruptedPublishLeaves() {
    return "GC roots may be partly registered (`nix-aurora gc-roots` removes those of jobs that are"
        + " gone)";
  }

  @Override
  public InitCommand initCommand() {
    return initCommand;
  }

  /** The settings this provider was made with. */
  public StoreSettings settings() {
    return settings;
  }

  /** The directory of {@code key}'s GC roots. */
  public Path gcRootsOf(JobKey key) {
    // Each part is one encoded component: `..` as a name stays inside, two keys never share.
    return gcRootsDir
        .resolve(FileName.of(key.cluster()))
        .resolve(FileName.of(key.role()))
        .resolve(FileName.of(key.environment()))
        .resolve(FileName.of(key.name()));
  }

  @Override
  public Publication publish(BuiltJob job, EventListener events) throws StoreException {
    return publishAll(List.of(job), events).get(0);
  }

  /**
   * Publishes every job with a fixed number of Nix commands, however many jobs and processes: one
   * {@code nix-store --check-validity} of every script, the roots, and one {@code nix path-info} of
   * the union of their closures. Where {@code gc_roots_dir} is inside Nix's {@code gcroots} (the
   * default for root and single-user installs) a link there is a root by itself: one {@code
   * nix-store --add-root} holds every script (so a garbage collection running meanwhile keeps them)
   * while the links are made, then is let go. Elsewhere Nix must record each link as an indirect
   * root: one {@code nix-store --add-root} per process, as before.
   */
  @Override
  public List<Publication> publishAll(List<BuiltJob> jobs, EventListener events)
      throws StoreException {
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(events, "events");
    List<JobKey> keys = new ArrayList<>(jobs.size());
    Set<StorePath> allScripts = new LinkedHashSet<>();
    // Check everything first: nothing is rooted unless every script of every job is there.
    for (BuiltJob job : jobs) {
      try {
        Systems.requireCompatible(job, settings.system());
      } catch (InvalidJobException e) {
        throw new StoreException(e.getMessage(), e);
      }
      try {
        keys.add(JobKey.of(job.job()));
      } catch (IllegalArgumentException e) {
        throw new StoreException(
            "cannot root " + JobLabel.of(job.job()) + ": " + e.getMessage(), e);
      }
      job.scripts().values().forEach(s -> allScripts.add(s.path()));
    }
    if (jobs.isEmpty()) {
      return List.of();
    }
    try {
      Set<StorePath> invalid = store.invalid(allScripts);
      for (BuiltJob job : jobs) {
        for (ProcessScript s : job.scripts().values()) {
          if (invalid.contains(s.path())) {
            throw new StoreException(
                "process '"
                    + s.process()
                    + "' of "
                    + JobLabel.of(job.job())
                    + ": "
                    + s.path()
                    + " is not valid in the local store (was it garbage-collected since the build?"
                    + " build the job again)");
          }
        }
      }
      addRoots(jobs, keys, allScripts, events);
      List<PathInfo> union = store.closure(allScripts);
      Map<StorePath, PathInfo> byPath = new HashMap<>();
      union.forEach(i -> byPath.put(i.path(), i));
      List<Publication> publications = new ArrayList<>(jobs.size());
      for (int i = 0; i < jobs.size(); i++) {
        BuiltJob job = jobs.get(i);
        List<StorePath> closure = NixStore.closureOf(job, byPath);
        String summary =
            closure.size()
                + " paths valid in the local store; "
                + job.scripts().size()
                + " GC roots in "
                + gcRootsOf(keys.get(i));
        events.on(LogEvent.info(summary));
        publications.add(new Publication(initCommand, closure, summary));
      }
      return List.copyOf(publications);
    } catch (NixException e) {
      throw new StoreException("local store: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StoreException(
          "cannot write GC roots under "
              + gcRootsDir
              + ": "
              + e.getMessage()
              + " (set the store setting gc_roots_dir to a directory you can write)",
          e);
    }
  }

  /** Roots every script of every job under its job's directory, and removes stale roots. */
  private void addRoots(
      List<BuiltJob> jobs, List<JobKey> keys, Set<StorePath> allScripts, EventListener events)
      throws NixException, IOException, StoreException {
    Path hold = null;
    boolean direct = rootsAreDirect();
    try {
      if (direct) {
        hold = Files.createTempDirectory("nix-aurora-publish-");
        store.addRoots(hold.resolve("hold"), allScripts);
      }
      for (int i = 0; i < jobs.size(); i++) {
        BuiltJob job = jobs.get(i);
        Path dir = gcRootsOf(keys.get(i));
        Files.createDirectories(dir);
        long done = 0;
        for (ProcessScript s : job.scripts().values()) {
          Path root = dir.resolve(safe(s.process()));
          if (direct) {
            link(root, s.path());
          } else {
            store.addRoot(root, s.path());
          }
          events.on(
              new ProgressEvent(
                  "root", s.process(), ++done, job.scripts().size(), ProgressEvent.Unit.PATHS));
        }
        removeStaleRoots(dir, job, events);
      }
    } finally {
      if (hold != null) {
        deleteTree(hold);
      }
    }
  }

  /**
   * Whether a link under {@code gc_roots_dir} is a GC root by itself: the directory is inside the
   * default Nix state directory's {@code gcroots} (Nix finds every link there), and nothing points
   * Nix at another state directory.
   */
  private boolean rootsAreDirect() throws IOException {
    if (System.getenv("NIX_STATE_DIR") != null
        || store.runner().environment().containsKey("NIX_STATE_DIR")
        || store.runner().environment().getOrDefault("NIX_REMOTE", "").contains("?")) {
      return false;
    }
    Path existing = gcRootsDir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return false;
    }
    Path real = existing.toRealPath().resolve(existing.relativize(gcRootsDir));
    return real.normalize().startsWith(NIX_GC_ROOTS) && !real.normalize().equals(NIX_GC_ROOTS);
  }

  /** Nix's own GC-root directory: every symbolic link under it is a root. */
  private static final Path NIX_GC_ROOTS = Path.of("/nix/var/nix/gcroots");

  /**
   * Makes {@code root} a link to {@code path}, replacing a link that is there at once (no moment
   * without a root); like Nix, never a file or a link that does not point into the store.
   */
  private static void link(Path root, StorePath path) throws IOException, StoreException {
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)
        && (!Files.isSymbolicLink(root)
            || !Files.readSymbolicLink(root).toString().startsWith("/nix/store/"))) {
      throw new StoreException(
          "cannot create the GC root " + root + ": it already exists and is not a root");
    }
    Path tmp = root.resolveSibling(".new-" + UUID.randomUUID());
    Files.createSymbolicLink(tmp, Path.of(path.toString()));
    try {
      Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover hold link in the temp directory only keeps paths alive until it is cleaned.
    }
  }

  /**
   * The jobs with GC roots under {@code gc_roots_dir}: every {@code CLUSTER/ROLE/ENV/NAME}
   * directory holding a root. Directories whose names are not ones {@link FileName} makes are left
   * out.
   */
  @Override
  public Set<JobKey> retainedJobs() throws StoreException {
    Set<JobKey> keys = new TreeSet<>(java.util.Comparator.comparing(JobKey::toString));
    if (!Files.isDirectory(gcRootsDir)) {
      return keys;
    }
    try (Stream<Path> dirs = Files.find(gcRootsDir, 4, (p, a) -> a.isDirectory())) {
      for (Path dir : dirs.toList()) {
        Path relative = gcRootsDir.relativize(dir);
        if (relative.getNameCount() != 4 || !holdsRoots(dir)) {
          continue;
        }
        List<String> parts = new ArrayList<>();
        for (Path part : relative) {
          FileName.decode(part.toString()).ifPresent(parts::add);
        }
        if (parts.size() == 4) {
          try {
            keys.add(new JobKey(parts.get(0), parts.get(1), parts.get(2), parts.get(3)));
          } catch (IllegalArgumentException e) {
            // not a key (a directory someone else made): not ours to report or remove
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new StoreException("cannot read the GC roots under " + gcRootsDir + ": " + e, e);
    }
    return keys;
  }

  /**
   * Removes {@code key}'s GC roots (the links this provider made, nothing else) and its directory
   * and the parents it leaves empty, up to {@code gc_roots_dir}.
   */
  @Override
  public boolean release(JobKey key, EventListener events) throws StoreException {
    Path dir = gcRootsOf(key);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isSymbolicLink(entry)) {
          Files.delete(entry);
          removed++;
        } else {
          events.on(LogEvent.warn("left " + entry + " alone: not a GC root nix-aurora made"));
        }
      }
      for (Path d = dir; !d.equals(gcRootsDir) && d.startsWith(gcRootsDir); d = d.getParent()) {
        try (Stream<Path> left = Files.list(d)) {
          if (left.findAny().isPresent()) {
            break;
          }
        }
        Files.delete(d);
      }
    } catch (IOException e) {
      throw new StoreException("cannot remove the GC roots in " + dir + ": " + e.getMessage(), e);
    }
    events.on(LogEvent.info("removed " + removed + " GC root(s) of " + key + " in " + dir));
    return removed > 0;
  }

  private static boolean holdsRoots(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.anyMatch(Files::isSymbolicLink);
    }
  }

  private static void removeStaleRoots(Path dir, BuiltJob job, EventListener events)
      throws IOException {
    TreeSet<String> current = new TreeSet<>();
    job.scripts().keySet().forEach(p -> current.add(safe(p)));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!current.contains(name) && Files.isSymbolicLink(entry)) {
          Files.delete(entry);
          events.on(LogEvent.debug("removed the GC root of former process " + name));
        } else if (!current.contains(name)
            && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          events.on(LogEvent.warn("left " + entry + " alone: not a GC root nix-aurora made"));
        }
      }
    }
  }

  /** A process name as one path component. */
  private static String safe(String name) {
    return FileName.of(name);
  }

  @Override
  public String toString() {
    return "LocalStoreProvider["
        + settings.system()
        + ", roots "
        + gcRootsDir
        + ", "
        + initCommand
        + "]";
  }
}
