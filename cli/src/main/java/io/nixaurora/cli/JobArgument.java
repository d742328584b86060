package io.nixaurora.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

  /** One job of a JOB argument that names several, with how it is named to the user. */
  record Job(String label, JobSource source) {}

  /** Lists the job names of a flake's {@code auroraJobs.<system>} (a Nix call, in nix-local). */
  @FunctionalInterface
  interface FlakeLister {
    List<String> names(String flakeRef) throws NixException;
  }

  /**
   * The jobs a JOB argument of the many-jobs form names: a file or a directory holding default.nix
   * (one job); a directory without default.nix (every {@code *.nix} file in it and every
   * subdirectory holding default.nix, sorted by name, not recursive); {@code DIR#NAME}; or {@code
   * DIR#*} / {@code FLAKEREF#*}, every job of the flake's {@code auroraJobs.<system>}.
   *
   * @throws CliException (exit 3) naming the path when it is none of these or names no job
   * @throws NixException when the flake's job names cannot be read
   */
  static List<Job> sources(Environment env, String argument, FlakeLister flakes)
      throws CliException, NixException {
    int hash = argument.indexOf('#');
    if (hash >= 0 && !Files.exists(env.resolve(argument))) {
      String ref = argument.substring(0, hash);
      if (argument.substring(hash + 1).equals("*")) {
        // Checks the directory as for DIR#NAME; the name is only a placeholder.
        JobSource.FlakeJob probe = (JobSource.FlakeJob) flake(env, ref, "_");
        List<Job> out = new ArrayList<>();
        for (String name : flakes.names(probe.flakeRef())) {
          out.add(new Job(ref + "#" + name, JobSource.flake(probe.flakeRef(), name)));
        }
        return out;
      }
      return List.of(new Job(argument, source(env, argument)));
    }
    Path path = env.resolve(argument);
    if (Files.isDirectory(path) && !Files.exists(path.resolve("default.nix"))) {
      List<Job> out = new ArrayList<>();
      List<Path> entries;
      try (Stream<Path> list = Files.list(path)) {
        entries = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
      } catch (IOException e) {
        throw CliException.configuration(
            "cannot list job directory " + path + ": " + e.getMessage(), null);
      }
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String label = argument.endsWith("/") ? argument + name : argument + "/" + name;
        if (Files.isRegularFile(entry) && name.endsWith(".nix")) {
          out.add(new Job(label, source(env, entry.toString())));
        } else if (Files.isDirectory(entry) && Files.isRegularFile(entry.resolve("default.nix"))) {
          out.add(new Job(label, source(env, entry.toString())));
        }
      }
      if (out.isEmpty()) {
        throw CliException.configuration(
            "job directory "
                + path
                + " holds no job: no default.nix, no .nix file and no"
                + " subdirectory holding default.nix",
            "pass a .nix file, a directory holding default.nix, or a directory of such jobs");
      }
      return out;
    }
    return List.of(new Job(argument, source(env, argument)));
  }

  /** Whether a first argument is a bare cluster name (the many-jobs form) rather than a key. */
  static boolean isCluster(String argument) {
    return !argument.contains("/");
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
