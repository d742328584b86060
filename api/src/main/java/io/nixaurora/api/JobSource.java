package io.nixaurora.api;

import io.nixaurora.api.model.Job;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a job comes from: a Nix file or directory, a job in a flake, or a job built with the Java
 * API.
 */
public sealed interface JobSource {

  /**
   * A {@code .nix} file, or a directory holding {@code default.nix} (as with {@code nix-build}),
   * whose value is a function of {@code { aurora, pkgs, ... }} returning a job.
   */
  static JobSource file(Path path) {
    return new NixFile(path);
  }

  /**
   * A job built in Java whose cmdlines may refer to Nix packages (see {@link
   * io.nixaurora.api.model.Cmdline}).
   *
   * @param baseDirectory where relative {@code file} references and {@code pkgs} are resolved
   */
  static JobSource java(Job job, Path baseDirectory) {
    return new JavaJob(job, baseDirectory);
  }

  /**
   * The job {@code name} of a flake: its output {@code auroraJobs.<system>.<name>}, a function of
   * {@code { aurora, pkgs, ... }} (whose {@code pkgs} comes from the flake's locked {@code nixpkgs}
   * input) or a job.
   *
   * @param flakeRef a flake reference Nix reads ({@code path:/abs/dir}, {@code github:o/r/rev}, …);
   *     a plain absolute directory is read as {@code path:} (every file in it)
   */
  static JobSource flake(String flakeRef, String name) {
    return new FlakeJob(flakeRef, name);
  }

  /** A Nix file or a directory holding {@code default.nix}. */
  record NixFile(Path path) implements JobSource {
    public NixFile {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A job in a flake: {@code flakeRef#name}. */
  record FlakeJob(String flakeRef, String name) implements JobSource {
    public FlakeJob {
      Objects.requireNonNull(flakeRef, "flakeRef");
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a flake job needs a name (" + flakeRef + "#NAME)");
      }
    }

    @Override
    public String toString() {
      return flakeRef + "#" + name;
    }
  }

  /** A Java-built job. */
  record JavaJob(Job job, Path baseDirectory) implements JobSource {
    public JavaJob {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(baseDirectory, "baseDirectory");
    }
  }
}
