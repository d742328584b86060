package io.nixaurora.nix.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StorePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * path-info --json -r}), in dependency order: every path comes after all of its references.
   *
   * @throws NixException when a root is not valid in the store
   */
  public List<PathInfo> closure(Collection<StorePath> roots) throws NixException {
    if (roots.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(NIX_COMMAND);
    args.addAll(List.of("path-info", "--json", "-r"));
    roots.stream().map(StorePath::toString).sorted().distinct().forEach(args::add);
    NixRunner.Result result = runner.run("nix", args);
    Map<StorePath, PathInfo> byPath = new TreeMap<>();
    try {
      for (JsonNode node : json.readTree(result.stdout())) {
        PathInfo info = parse(node);
        byPath.put(info.path(), info);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new NixException("cannot read `nix path-info --json`: " + e.getMessage(), e);
    }
    return dependencyOrder(byPath);
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

  private static PathInfo parse(JsonNode node) {
    if (!node.hasNonNull("path") || !node.path("valid").asBoolean(true)) {
      throw new IllegalArgumentException(
          "path " + node.path("path").asText("?") + " is not valid in the local store");
    }
    List<StorePath> refs = new ArrayList<>();
    node.path("references").forEach(r -> refs.add(StorePath.of(r.asText())));
    refs.sort(null);
    List<String> sigs = new ArrayList<>();
    node.path("signatures").forEach(s -> sigs.add(s.asText()));
    Optional<StorePath> deriver =
        node.hasNonNull("deriver")
            ? Optional.of(StorePath.of(node.get("deriver").asText()))
            : Optional.empty();
    Optional<String> ca =
        node.hasNonNull("ca") ? Optional.of(node.get("ca").asText()) : Optional.empty();
    return new PathInfo(
        StorePath.of(node.get("path").asText()),
        node.path("narHash").asText(),
        node.path("narSize").asLong(),
        refs,
        deriver,
        sigs,
        ca);
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
