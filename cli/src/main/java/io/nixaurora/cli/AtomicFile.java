package io.nixaurora.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file the way a careful {@code > FILE} would, but whole or not at all where that is
 * possible.
 *
 * <ul>
 *   <li>a new file, or an existing regular file: a temporary file beside it, then a rename (readers
 *       see the old content or the new, never half); an existing file keeps its permissions, a new
 *       one gets the umask's;
 *   <li>a symbolic link is followed: its target is written as above (so the link stays a link);
 *   <li>anything else that exists (a character device such as {@code /dev/null} or a terminal, a
 *       FIFO, a socket) is written through, never replaced: renaming over {@code /dev/null} would
 *       break the machine, and a FIFO's reader would wait forever;
 *   <li>a directory is refused.
 * </ul>
 */
final class AtomicFile {
  private AtomicFile() {}

  /** Symbolic links followed before giving up, as the kernel's limit. */
  private static final int MAX_LINKS = 40;

  static void write(Path target, String content) throws CliException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Path file = followLinks(target);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      attributes = null; // does not exist (yet): a new regular file
    }
    if (attributes != null && attributes.isDirectory()) {
      throw CliException.failure(
          "cannot write " + target + ": it is a directory", "name a file, not a directory");
    }
    if (attributes != null && !attributes.isRegularFile()) {
      writeThrough(target, file, bytes);
    } else {
      replace(target, file, bytes, attributes != null);
    }
  }

  /** {@code path} with every symbolic link on its last component followed. */
  private static Path followLinks(Path path) throws CliException {
    Path file = path.toAbsolutePath();
    for (int i = 0; Files.isSymbolicLink(file); i++) {
      if (i == MAX_LINKS) {
        throw CliException.failure(
            "cannot write " + path + ": too many levels of symbolic links", null);
      }
      try {
        Path link = Files.readSymbolicLink(file);
        file = file.resolveSibling(link).normalize();
      } catch (IOException e) {
        throw CliException.failure("cannot read the link " + file + ": " + e.getMessage(), null);
      }
    }
    return file;
  }

  private static void writeThrough(Path target, Path file, byte[] bytes) throws CliException {
    // No CREATE: the file exists, and must not be made anew if it vanished in between.
    try (OutputStream out =
        Files.newOutputStream(
            file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(bytes);
    } catch (IOException e) {
      throw CliException.failure(
          "cannot write " + target + ": " + e.getMessage(), "check the file's permissions");
    }
  }

  private static void replace(Path target, Path file, byte[] bytes, boolean exists)
      throws CliException {
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw CliException.failure(
          "cannot write " + target + ": directory " + dir + " does not exist",
          "create the directory first, or choose another --out");
    }
    Path tmp = null;
    try {
      tmp = newTemporary(dir, file.getFileName().toString());
      Files.write(tmp, bytes);
      if (exists) {
        try {
          Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
        } catch (IOException | UnsupportedOperationException e) {
          // the umask's permissions then; the content is what matters
        }
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw CliException.failure(
          "cannot write " + target + ": " + e.getMessage(), "check the directory's permissions");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and never read
        }
      }
    }
  }

  /**
   * A new hidden file beside the target. Made with the umask's permissions (as {@code >} would),
   * not the 0600 of {@link Files#createTempFile}, since it becomes the user's file.
   */
  private static Path newTemporary(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp =
          dir.resolve(
              "."
                  + name
                  + "."
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                  + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }
}
