package io.nixaurora.nix.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the NAR (Nix ARchive) serialisation of a file tree, streaming from the file system: only
 * one buffer is held, never a whole file or NAR. Byte-identical to {@code nix-store --dump}:
 * entries sorted by name as unsigned bytes, only the owner-execute bit kept, symlinks not followed.
 *
 * <p>File names are encoded back to UTF-8, so the JVM must run with {@code sun.jnu.encoding=UTF-8}
 * (a UTF-8 locale). A name that is not UTF-8 would give a different NAR; callers detect that by
 * comparing the NAR hash with the store's (see {@link CachePusher}).
 */
public final class NarWriter {

  private static final int BUFFER = 64 * 1024;
  private static final byte[] ZEROS = new byte[8];

  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER];
  private long written;

  private NarWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Writes the NAR of {@code path} to {@code out} (not closed) and returns the number of bytes.
   *
   * @throws IOException when reading fails, a file changes size, or a file has a type a NAR cannot
   *     hold (socket, FIFO, device)
   */
  public static long write(Path path, OutputStream out) throws IOException {
    NarWriter w = new NarWriter(out);
    w.str("nix-archive-1");
    w.node(path);
    return w.written;
  }

  private void node(Path path) throws IOException {
    PosixFileAttributes attrs =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    str("(");
    str("type");
    if (attrs.isSymbolicLink()) {
      str("symlink");
      str("target");
      str(Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8));
    } else if (attrs.isRegularFile()) {
      str("regular");
      if (attrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
        str("executable");
        str("");
      }
      str("contents");
      contents(path, attrs.size());
    } else if (attrs.isDirectory()) {
      str("directory");
      for (Entry e : sortedEntries(path)) {
        str("entry");
        str("(");
        str("name");
        str(e.name);
        str("node");
        node(e.path);
        str(")");
      }
    } else {
      throw new IOException("file '" + path + "' has an unsupported type");
    }
    str(")");
  }

  private record Entry(byte[] name, Path path) {}

  private static List<Entry> sortedEntries(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        entries.add(new Entry(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), p));
      }
    }
    // Nix sorts with std::map<std::string>, i.e. memcmp: unsigned bytes, not UTF-16 units.
    entries.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
    return entries;
  }

  private void contents(Path path, long size) throws IOException {
    integer(size);
    long left = size;
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("file '" + path + "' is shorter than its size " + size);
        }
        out.write(buffer, 0, n);
        left -= n;
      }
      if (in.read() >= 0) {
        throw new IOException("file '" + path + "' grew while it was being read");
      }
    }
    written += size;
    pad(size);
  }

  private void str(String s) throws IOException {
    str(s.getBytes(StandardCharsets.UTF_8));
  }

  private void str(byte[] s) throws IOException {
    integer(s.length);
    out.write(s);
    written += s.length;
    pad(s.length);
  }

  private void pad(long len) throws IOException {
    int pad = (int) ((8 - len % 8) % 8);
    if (pad > 0) {
      out.write(ZEROS, 0, pad);
      written += pad;
    }
  }

  private void integer(long v) throws IOException {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    out.write(b);
    written += 8;
  }
}
