package io.nixaurora.nix.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What nix-aurora does with a flake before building one of its jobs: makes a local directory a
 * {@code path:} reference (every file in it, whether git tracks it or not; no git needed), checks
 * that {@code flake.lock} pins every input without changing it ({@code nix flake metadata
 * --no-update-lock-file}, which fails instead of locking), and turns Nix's flake errors into one
 * line naming the flake.
 *
 * <p>Flakes are experimental in every Nix that has them (2.4 on): each command gets {@link
 * #EXPERIMENTAL}, the user's {@code nix.conf} is never edited.
 */
final class FlakeJobs {

  /** Enables flakes for one invocation (accepted by nix, nix-build and nix-instantiate). */
  static final List<String> EXPERIMENTAL =
      List.of("--extra-experimental-features", "nix-command flakes");

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  // Nix before 2.4 knows neither the option nor the command.
  private static final Pattern TOO_OLD =
      Pattern.compile(
          "unrecognised flag '--extra-experimental-features'|unknown setting"
              + " 'extra-experimental-features'|'flake' is not a recognised command"
              + "|unrecognised flag '--no-update-lock-file'");

  /** {@code at /nix/store/<hash>-source/flake.nix:3:5:}, the flake's copy in the store. */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("(?m)^\\s*at /nix/store/[0-9a-z]{32}-source(/[^:\\n]*):(\\d+):(\\d+):");

  private static final ObjectMapper JSON = new ObjectMapper();

  private FlakeJobs() {}

  /** A flake job's reference as Nix takes it, and how to name it to the user. */
  record Resolved(String ref, String display, Optional<Path> directory) {}

  /**
   * A plain (absolute) directory becomes {@code path:DIR} after checking it holds flake.nix; a
   * reference with a scheme is kept ({@code path:} made absolute).
   *
   * @throws NixException (the job's fault) naming the directory without flake.nix
   */
  static Resolved resolve(JobSource.FlakeJob job) throws NixException {
    String ref = job.flakeRef();
    if (SCHEME.matcher(ref).find() && !ref.startsWith("path:")) {
      return new Resolved(ref, ref, Optional.empty());
    }
    String raw = ref.startsWith("path:") ? ref.substring("path:".length()) : ref;
    int query = raw.indexOf('?');
    String suffix = query >= 0 ? raw.substring(query) : "";
    Path dir = Path.of(query >= 0 ? raw.substring(0, query) : raw).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new NixException(
          dir + ": no such flake directory (a flake job is DIR#NAME, DIR holding flake.nix)",
          dir.toString(),
          true);
    }
    if (!Files.isRegularFile(dir.resolve("flake.nix"))) {
      throw new NixException(
          dir.resolve("flake.nix")
              + ": no such file (a flake job is DIR#NAME, DIR holding"
              + " flake.nix)",
          dir.toString(),
          true);
    }
    return new Resolved("path:" + dir + suffix, dir.toString(), Optional.of(dir));
  }

  /** The flake's metadata as far as nix-aurora needs it. */
  record Locked(String url, Optional<String> storePath) {}

  /**
   * Checks that the flake's lock file pins every input, changing nothing: {@code nix flake metadata
   * --no-update-lock-file} fails when the lock would change (a missing or out-of-date flake.lock).
   * Returns the locked URL to build from, so the build reads the same flake.
   *
   * @throws NixException (exit 3) one line naming the flake or its flake.lock
   */
  static Locked checkLock(NixRunner runner, Resolved flake) throws NixException {
    List<String> args = new ArrayList<>(EXPERIMENTAL);
    args.addAll(List.of("flake", "metadata", "--json", "--no-update-lock-file", flake.ref()));
    NixRunner.Result result;
    try {
      result = runner.run("nix", args);
    } catch (NixException e) {
      throw describe(runner, flake, e);
    }
    try {
      JsonNode meta = JSON.readTree(result.stdout());
      String url = meta.path("url").asText("");
      String path = meta.path("path").asText("");
      return new Locked(
          url.isEmpty() ? flake.ref() : url, path.isEmpty() ? Optional.empty() : Optional.of(path));
    } catch (IOException e) {
      throw new NixException(
          "cannot read `nix flake metadata --json` of " + flake.display() + ": " + e.getMessage(),
          e);
    }
  }

  /** Nix's error about a flake as one line naming it. */
  static NixException describe(NixRunner runner, Resolved flake, NixException e) {
    String text = String.valueOf(e.getMessage());
    if (TOO_OLD.matcher(text).find()) {
      return new NixException(
          flake.display()
              + ": this Nix ("
              + version(runner)
              + ") is too old for flake jobs; flakes need Nix 2.4 or later",
          null,
          true);
    }
    String lockFile =
        flake.directory().map(d -> d.resolve("flake.lock").toString()).orElse(flake.display());
    if (text.contains("requires lock file changes")) {
      boolean exists =
          flake.directory().map(d -> Files.exists(d.resolve("flake.lock"))).orElse(true);
      return new NixException(
          lockFile
              + (exists ? " is out of date" : " is missing")
              + " (nix-aurora never changes it): run nix --extra-experimental-features"
              + " 'nix-command flakes' flake lock "
              + flake.display(),
          lockFile,
          true);
    }
    if (text.contains("lockfile contains mutable lock")) {
      // Nix 2.26 and later lock a relative path input (path:./dir) without a hash; 2.8 refuses it.
      return new NixException(
          lockFile
              + " has an input locked without a hash (Nix 2.26 and later lock relative path"
              + " inputs so), which this Nix ("
              + version(runner)
              + ") refuses: add the input's narHash (nix flake lock with this Nix, on a copy), or"
              + " name the input by absolute path",
          lockFile,
          true);
    }
    String first = BuildErrors.firstError(text).lines().findFirst().orElse(text).strip();
    if (!e.jobAtFault() && first.contains("Nix is not installed")) {
      return e;
    }
    // An error in flake.nix is reported at its copy in the store: name the user's file instead.
    Matcher at = SOURCE_LOCATION.matcher(text);
    if (at.find() && flake.directory().isPresent()) {
      String location =
          flake.directory().get() + at.group(1) + ":" + at.group(2) + ":" + at.group(3);
      return new NixException(location + ": " + first, location, true);
    }
    return new NixException(flake.display() + ": " + first, flake.display(), true);
  }

  /**
   * Nix's own name for the flake's copy in the store ({@code /nix/store/…-source}) in a message is
   * replaced by the directory the user named, so an error points at their file.
   */
  static NixException inUserTerms(NixException e, Locked locked, Resolved flake) {
    if (locked.storePath().isEmpty() || flake.directory().isEmpty()) {
      return e;
    }
    String store = locked.storePath().get();
    String dir = flake.directory().get().toString();
    String message = String.valueOf(e.getMessage()).replace(store, dir);
    String location = e.location().map(l -> l.replace(store, dir)).orElse(null);
    return new NixException(message, location, e.jobAtFault());
  }

  /**
   * This Nix's version, for the messages only: the runner's (asked once per run), rather than a
   * second way of asking it.
   */
  private static String version(NixRunner runner) {
    try {
      return "Nix " + runner.version();
    } catch (NixException e) {
      return "version unknown";
    }
  }
}
