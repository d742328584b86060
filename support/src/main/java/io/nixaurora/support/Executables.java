package io.nixaurora.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding a program on a {@code PATH}, as a shell does: the first executable file of that name. */
public final class Executables {
  private Executables() {}

  /**
   * The first {@code dir/name} of {@code path} (a colon-separated list, such as a child's {@code
   * PATH}, which may differ from this JVM's) that is an executable regular file.
   */
  public static Optional<Path> onPath(String name, String path) {
    if (path == null || name.isEmpty() || name.contains("/")) {
      return Optional.empty();
    }
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
