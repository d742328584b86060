package io.nixaurora.api;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link StoreProvider#publish}: every closure is where agents can realise it.
 *
 * @param initCommand how agents realise a process's closure
 * @param paths the store paths that agents will need (the closures of every process script)
 * @param summary a one-line human summary, such as {@code pushed 12 paths (3.4 MiB), 230 present}
 */
public record Publication(InitCommand initCommand, List<StorePath> paths, String summary) {
  public Publication {
    Objects.requireNonNull(initCommand, "initCommand");
    paths = List.copyOf(paths);
    Objects.requireNonNull(summary, "summary");
  }
}
