package io.nixaurora.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Checks the JOB and KEY arguments before anything runs. */
final class JobArgument {
  private JobArgument() {}

  /** A flake reference with a scheme: {@code github:}, {@code git+file:}, {@code path:} … */
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  /** A job's name in {@code auroraJobs.<system>}: one attribute name. */
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_'-]*");

  /**
   * A {@code .nix} file, or a directory holding {@code default.nix}, as {@code nix-build} takes; or
   * a job in a flake, {@code DIR#NAME} ({@code #NAME} alone: the working directory's flake), or
   * {@code FLAKEREF#NAME} for any flake reference Nix reads.
   *
   * @throws CliException (exit 3) naming the path when it is none of these
   */
  static JobSource source(Environment env, String argument) throws CliException {
    int hash = argument.indexOf('#');
    if (hash >= 0 && !Files.exists(env.resolve(argument))) {
      return flake(env, argument.substring(0, hash), argument.substring(hash + 1));
    }
    Path path = env.resolve(argument);
    if (Files.isDirectory(path)) {
      Path def = path.resolve("default.nix");
      if (!Files.isRegularFile(def)) {
        throw CliException.configuration(
            "job directory " + path + " has no default.nix",
            "pass a .nix file, or a directory holding default.nix (as nix-build takes)");
      }
      if (!Files.isReadable(def)) {
        throw unreadable(def);
      }
      return JobSource.file(path);
    }
    if (!Files.exists(path)) {
      throw CliException.configuration(
          "job file " + path + " does not exist",
          "pass a .nix file, or a directory holding default.nix");
    }
    if (!Files.isRegularFile(path)) {
      throw CliException.configuration("job file " + path + " is not a regular file", null);
    }
    if (!Files.isReadable(path)) {
      throw unreadable(path);
    }
    return JobSource.file(path);
  }

  private static JobSource flake(Environment env, String ref, String name) throws CliException {
    if (!JOB_NAME.matcher(name).matches()) {
      throw CliException.configuration(
          "flake job '" + ref + "#" + name + "': '" + name + "' is not a job name",
          "a flake job is DIR#NAME, NAME an attribute of the flake's auroraJobs.<system>");
    }
    if (SCHEME.matcher(ref).find() && !ref.startsWith("path:")) {
      return JobSource.flake(ref, name);
    }
    String local = ref.startsWith("path:") ? ref.substring("path:".length()) : ref;
    Path dir = env.resolve(local.isEmpty() ? "." : local).normalize();
    if (!Files.isDirectory(dir)) {
      throw CliException.configuration(
          "flake directory " + dir + " does not exist",
          "a flake job is DIR#NAME, DIR holding flake.nix");
    }
    Path flakeNix = dir.resolve("flake.nix");
    if (!Files.isRegularFile(flakeNix)) {
      throw CliException.configuration(
          flakeNix + " does not exist, so " + dir + " is not a flake",
          "a flake job is DIR#NAME, DIR holding flake.nix with outputs auroraJobs.<system>.NAME");
    }
    if (!Files.isReadable(flakeNix)) {
      throw unreadable(flakeNix);
    }
    return JobSource.flake(dir.toString(), name);
  }

  private static CliException unreadable(Path path) {
    return CliException.configuration(
        "cannot read job file " + path + ": permission denied", "make it readable (chmod u+r)");
  }

  /**
   * Parses {@code CLUSTER/ROLE/ENV/NAME}.
   *
   * @throws CliException (exit 2) saying what is wrong with it
   */
  static JobKey key(String argument) throws CliException {
    try {
      return JobKey.parse(argument);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          CliException.USAGE,
          "bad job key '" + argument + "': " + e.getMessage(),
          "a job key is CLUSTER/ROLE/ENV/NAME, e.g. devcluster/vagrant/devel/hello_world");
    }
  }
}
