package io.nixaurora.api;

import io.nixaurora.api.model.Job;
import java.nio.file.Path;
import java.util.Objects;

/** Where a job comes from: a Nix file or directory, or a job built with the Java API. */
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

  /** A Nix file or a directory holding {@code default.nix}. */
  record NixFile(Path path) implements JobSource {
    public NixFile {
      Objects.requireNonNull(path, "path");
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
