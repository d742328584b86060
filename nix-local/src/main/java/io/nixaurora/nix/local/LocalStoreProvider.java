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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
    try {
      Systems.requireCompatible(job, settings.system());
    } catch (InvalidJobException e) {
      throw new StoreException(e.getMessage(), e);
    }
    List<StorePath> scripts = new ArrayList<>();
    try {
      // Check everything first: nothing is rooted unless every script is there.
      for (ProcessScript s : job.scripts().values()) {
        if (!store.isValid(s.path())) {
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
        scripts.add(s.path());
      }
      JobKey key;
      try {
        key = JobKey.of(job.job());
      } catch (IllegalArgumentException e) {
        throw new StoreException(
            "cannot root " + JobLabel.of(job.job()) + ": " + e.getMessage(), e);
      }
      Path dir = gcRootsOf(key);
      Files.createDirectories(dir);
      long done = 0;
      for (ProcessScript s : job.scripts().values()) {
        store.addRoot(dir.resolve(safe(s.process())), s.path());
        events.on(
            new ProgressEvent(
                "root", s.process(), ++done, job.scripts().size(), ProgressEvent.Unit.PATHS));
      }
      removeStaleRoots(dir, job, events);
      List<StorePath> closure = store.closure(scripts).stream().map(PathInfo::path).toList();
      String summary =
          closure.size()
              + " paths valid in the local store; "
              + job.scripts().size()
              + " GC roots in "
              + dir;
      events.on(LogEvent.info(summary));
      return new Publication(initCommand, closure, summary);
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
