package io.nixaurora.nix.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.NixException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Queries and roots paths in the local Nix store, through {@link NixRunner}. */
public final class NixStore {

  private static final List<String> NIX_COMMAND =
      List.of("--extra-experimental-features", "nix-command");

  private final NixRunner runner;
  private final ObjectMapper json = new ObjectMapper();

  public NixStore(NixRunner runner) {
    this.runner = runner;
  }

  public NixRunner runner() {
    return runner;
  }

  /**
   * The closure of {@code roots} with each path's metadata, read from Nix once ({@code nix
   * path-info --json -r}, in the format this Nix prints), in dependency order: every path comes
   * after all of its references.
   *
   * @throws NixException when a root is not valid in the store
   */
  public List<PathInfo> closure(Collection<StorePath> roots) throws NixException {
    if (roots.isEmpty()) {
      return List.of();
    }
    // Ask for the format explicitly where Nix has the option: without it 2.34 warns that --json
    // alone is deprecated. --offline: a path that is not valid is not looked up in substituters
    // (Nix 2.19+ would try cache.nixos.org, five times, before saying so).
    boolean explicitFormat = runner.version().atLeast(2, 33);
    NixRunner.Result result;
    try {
      result = runner.run("nix", pathInfoArguments(roots, explicitFormat));
    } catch (NixException e) {
      if (!explicitFormat || !e.getMessage().contains("'--json-format'")) {
        throw e;
      }
      result = runner.run("nix", pathInfoArguments(roots, false));
    }
    Map<StorePath, PathInfo> byPath = new TreeMap<>();
    try {
      for (PathInfo info : PathInfoJson.parse(json.readTree(result.stdout()))) {
        byPath.put(info.path(), info);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new NixException("cannot read `nix path-info --json`: " + e.getMessage(), e);
    }
    return dependencyOrder(byPath);
  }

  private static List<String> pathInfoArguments(
      Collection<StorePath> roots, boolean explicitFormat) {
    List<String> args = new ArrayList<>(NIX_COMMAND);
    args.addAll(List.of("path-info", "--offline", "--json"));
    if (explicitFormat) {
      args.addAll(List.of("--json-format", "2"));
    }
    args.add("-r");
    roots.stream().map(StorePath::toString).sorted().distinct().forEach(args::add);
    return args;
  }

  /** Whether {@code path} is valid (present and registered) in the local store. */
  public boolean isValid(StorePath path) throws NixException {
    try {
      runner.run("nix-store", List.of("--check-validity", path.toString()));
      return true;
    } catch (NixException e) {
      if (e.getMessage().contains("is not valid")) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Registers {@code root} as an indirect GC root for {@code path} (a symlink Nix records under its
   * gcroots), replacing any earlier root of that name; realises the path if needed.
   */
  public void addRoot(Path root, StorePath path) throws NixException {
    runner.run("nix-store", List.of("--add-root", root.toString(), "--realise", path.toString()));
  }

  /**
   * Paths are passed to one command in chunks of this many, well below Linux's limit on a command
   * line (2 MiB; a store path is about 80 bytes).
   */
  private static final int CHUNK = 4000;

  /**
   * The paths of {@code paths} that are not valid in the local store, with one {@code nix-store
   * --check-validity --print-invalid} (per {@value #CHUNK} paths) instead of one per path.
   */
  public Set<StorePath> invalid(Collection<StorePath> paths) throws NixException {
    List<String> all = paths.stream().map(StorePath::toString).sorted().distinct().toList();
    Set<StorePath> invalid = new java.util.TreeSet<>();
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> args = new ArrayList<>(List.of("--check-validity", "--print-invalid"));
      args.addAll(all.subList(from, Math.min(all.size(), from + CHUNK)));
      String out = runner.run("nix-store", args).stdoutText();
      out.lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .map(StorePath::of)
          .forEach(invalid::add);
    }
    return invalid;
  }

  /**
   * Registers GC roots for all of {@code paths} with one {@code nix-store --add-root} (per {@value
   * #CHUNK} paths): Nix names them {@code base}, {@code base-2}, {@code base-3} … (chunks after the
   * first get {@code base.<n>}). Used to hold paths while links of nix-aurora's own names are made.
   */
  public void addRoots(Path base, Collection<StorePath> paths) throws NixException {
    List<String> all = paths.stream().map(StorePath::toString).sorted().distinct().toList();
    for (int from = 0, chunk = 0; from < all.size(); from += CHUNK, chunk++) {
      Path root = chunk == 0 ? base : base.resolveSibling(base.getFileName() + "." + chunk);
      List<String> args = new ArrayList<>(List.of("--add-root", root.toString(), "--realise"));
      args.addAll(all.subList(from, Math.min(all.size(), from + CHUNK)));
      runner.run("nix-store", args);
    }
  }

  /**
   * The closure of {@code roots} taken from {@code union} (a closure read once for several jobs,
   * holding every root's closure), in the order {@link #closure} gives for {@code roots} alone: the
   * union's own order is a dependency order too, but another one, and a job's paths must not depend
   * on which other jobs were published with it.
   */
  public static List<PathInfo> closureWithin(
      Collection<StorePath> roots, Map<StorePath, PathInfo> union) {
    Map<StorePath, PathInfo> own = new TreeMap<>();
    java.util.Deque<StorePath> todo = new java.util.ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      StorePath p = todo.pop();
      PathInfo info = union.get(p);
      if (info == null) {
        throw new IllegalArgumentException(p + " is not in the closure read");
      }
      if (own.put(p, info) == null) {
        todo.addAll(info.references());
      }
    }
    return dependencyOrder(own);
  }

  /**
   * The paths of {@code job}'s closure within {@code union}, as {@link #closureWithin} orders them:
   * what a provider's {@code publishAll} gives each job.
   */
  public static List<StorePath> closureOf(BuiltJob job, Map<StorePath, PathInfo> union) {
    List<StorePath> scripts = job.scripts().values().stream().map(ProcessScript::path).toList();
    return closureWithin(scripts, union).stream().map(PathInfo::path).toList();
  }

  /** Orders paths so that each comes after its references (sorted by name among equals). */
  static List<PathInfo> dependencyOrder(Map<StorePath, PathInfo> byPath) {
    List<PathInfo> out = new ArrayList<>(byPath.size());
    Set<StorePath> done = new HashSet<>();
    Map<StorePath, Boolean> visiting = new HashMap<>();
    for (StorePath p : byPath.keySet()) {
      visit(p, byPath, done, visiting, out);
    }
    return out;
  }

  private static void visit(
      StorePath p,
      Map<StorePath, PathInfo> byPath,
      Set<StorePath> done,
      Map<StorePath, Boolean> visiting,
      List<PathInfo> out) {
    if (done.contains(p) || !byPath.containsKey(p)) {
      return;
    }
    if (visiting.put(p, Boolean.TRUE) != null) {
      return; // a reference cycle other than self-reference cannot occur in a valid store
    }
    for (StorePath ref : byPath.get(p).references()) {
      if (!ref.equals(p)) {
        visit(ref, byPath, done, visiting, out);
      }
    }
    done.add(p);
    out.add(byPath.get(p));
  }
}
