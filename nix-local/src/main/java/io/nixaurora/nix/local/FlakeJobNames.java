package io.nixaurora.nix.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of a flake: the names of its output {@code auroraJobs.<system>}, for {@code 'DIR#*'}
 * (every job of the flake in one deploy). The flake's lock is checked first, as for a build, and
 * the names are read from the locked flake, so they are the jobs the build then reads.
 */
public final class FlakeJobNames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlakeJobNames() {}

  /**
   * The sorted job names of {@code flakeRef}'s {@code auroraJobs.<this machine's system>}.
   *
   * @param flakeRef a flake reference Nix reads, or a directory holding flake.nix
   * @throws NixException (the job's fault) naming the flake when it has no such output or no jobs
   *     in it, or when Nix cannot read it
   */
  public static List<String> list(NixRunner runner, String flakeRef) throws NixException {
    // The name only serves to resolve the reference the same way a flake job's is.
    FlakeJobs.Resolved flake = FlakeJobs.resolve(new JobSource.FlakeJob(flakeRef, "_"));
    FlakeJobs.Locked locked = FlakeJobs.checkLock(runner, flake);
    String expr =
        "let f = builtins.getFlake "
            + nixString(locked.url())
            + "; s = builtins.currentSystem; in"
            + " if !(f ? auroraJobs) then { missing = \"auroraJobs\"; }"
            + " else if !(f.auroraJobs ? ${s}) then { missing = \"auroraJobs.${s}\"; }"
            + " else { names = builtins.attrNames f.auroraJobs.${s}; }";
    List<String> args = new ArrayList<>(FlakeJobs.EXPERIMENTAL);
    args.addAll(List.of("eval", "--json", "--impure", "--expr", expr));
    NixRunner.Result result;
    try {
      result = runner.run("nix", args);
    } catch (NixException e) {
      throw FlakeJobs.inUserTerms(FlakeJobs.describe(runner, flake, e), locked, flake);
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new NixException(
          "cannot read the job names of " + flake.display() + ": " + e.getMessage(), e);
    }
    if (answer.has("missing")) {
      throw new NixException(
          flake.display()
              + " has no output "
              + answer.get("missing").asText()
              + " (a flake's jobs are auroraJobs.<system>.<name>)",
          flake.display(),
          true);
    }
    List<String> names = new ArrayList<>();
    answer.path("names").forEach(n -> names.add(n.asText()));
    if (names.isEmpty()) {
      throw new NixException(
          flake.display() + " has no jobs in its output auroraJobs", flake.display(), true);
    }
    names.sort(null);
    return List.copyOf(names);
  }

  /** A Nix string literal. */
  private static String nixString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "\\${") + "\"";
  }
}
