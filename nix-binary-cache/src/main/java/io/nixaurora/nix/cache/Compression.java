package io.nixaurora.nix.cache;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZOutputStream;

/**
 * How NAR files are compressed in a cache: the narinfo {@code Compression} name and the file suffix
 * Nix uses for it.
 */
public enum Compression {
  /** Zstandard level 3: about as fast as no compression, half the size. The default. */
  ZSTD("zstd", ".zst"),
  /** xz preset 6, like Nix's default: smallest, but about 70× slower than zstd. */
  XZ("xz", ".xz"),
  /** No compression, for content that is already compressed. */
  NONE("none", "");

  private static final int ZSTD_LEVEL = 3;
  private static final int XZ_PRESET = 6;

  private final String nixName;
  private final String suffix;

  Compression(String nixName, String suffix) {
    this.nixName = nixName;
    this.suffix = suffix;
  }

  /** The name in a narinfo and in {@code ?compression=}. */
  public String nixName() {
    return nixName;
  }

  /** The NAR file suffix after {@code .nar}. */
  public String suffix() {
    return suffix;
  }

  /**
   * The compression named {@code name} ({@code zstd}, {@code xz} or {@code none}).
   *
   * @throws IllegalArgumentException listing the supported names
   */
  public static Compression named(String name) {
    for (Compression c : values()) {
      if (c.nixName.equals(name.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "compression: '"
            + name
            + "' is not supported (use one of "
            + Arrays.stream(values()).map(Compression::nixName).collect(Collectors.joining(", "))
            + ")");
  }

  /**
   * A stream compressing into {@code out}; closing it finishes the compressed stream and closes
   * {@code out}.
   *
   * @param inputSize the uncompressed size, to size buffers (xz's dictionary never exceeds it)
   * @param workers extra threads zstd may use inside this one stream (0 for none): worth it only
   *     when this stream is most of the work, otherwise streams run in parallel already
   */
  public OutputStream compress(OutputStream out, long inputSize, int workers) throws IOException {
    switch (this) {
      case ZSTD -> {
        ZstdOutputStream z = new ZstdOutputStream(out, RecyclingBufferPool.INSTANCE);
        z.setLevel(ZSTD_LEVEL);
        if (workers > 0) {
          z.setWorkers(workers);
        }
        return z;
      }
      case XZ -> {
        LZMA2Options options = new LZMA2Options(XZ_PRESET);
        // A dictionary larger than the input only costs memory and time; same output format.
        int dict =
            (int) Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(options.getDictSize(), inputSize));
        try {
          options.setDictSize(dict);
        } catch (UnsupportedOptionsException e) {
          throw new IOException("xz dictionary size " + dict + " rejected", e);
        }
        return new XZOutputStream(out, options, BasicArrayCache.getInstance());
      }
      default -> {
        return out;
      }
    }
  }

  /**
   * Compresses whole small NARs in memory for one thread at a time, reusing native state: a new
   * zstd context per NAR allocates and clears its tables each time, which for hundreds of small
   * paths costs more than compressing them.
   */
  public interface Compressor extends AutoCloseable {
    /** {@code data} compressed, as one complete stream (a zstd frame, an xz stream). */
    byte[] compress(byte[] data) throws IOException;

    /** Frees native state; the compressor must not be in use. */
    @Override
    void close();
  }

  /** A new {@link Compressor} (zstd: one reused native context); close it when done. */
  public Compressor newCompressor() {
    if (this == ZSTD) {
      ZstdCompressCtx ctx = new ZstdCompressCtx();
      ctx.setLevel(ZSTD_LEVEL);
      ctx.setContentSize(true);
      return new Compressor() {
        @Override
        public byte[] compress(byte[] data) {
          return ctx.compress(data);
        }

        @Override
        public void close() {
          ctx.close();
        }
      };
    }
    return new Compressor() {
      @Override
      public byte[] compress(byte[] data) throws IOException {
        return compressWhole(data);
      }

      @Override
      public void close() {}
    };
  }

  /** {@code data} compressed, all in memory, through the streaming compressor. */
  private byte[] compressWhole(byte[] data) throws IOException {
    if (this == NONE) {
      return data;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    try (OutputStream compressed = compress(out, data.length, 0)) {
      compressed.write(data);
    }
    return out.toByteArray();
  }

  /** A stream decompressing {@code in}. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case ZSTD -> new ZstdCompressorInputStream(in);
      case XZ -> new XZCompressorInputStream(in);
      case NONE -> in;
    };
  }
}
