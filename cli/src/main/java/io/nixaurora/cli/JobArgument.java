package io.nixaurora.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the JOB and KEY arguments before anything runs. */
final class JobArgument {
  private JobArgument() {}

  /**
   * A {@code .nix} file, or a directory holding {@code default.nix}, as {@code nix-build} takes.
   *
   * @throws CliException (exit 3) naming the path when it is neither
   */
  static JobSource source(Environment env, String argument) throws CliException {
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
