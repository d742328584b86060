package io.nixaurora.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads one of a program's output streams to its end on its own thread, so the program never blocks
 * on a full pipe. A line handler that throws is not called again, but the reading goes on; the
 * failure is handed back by {@link #failure()} once the program is done, so it does not pass
 * silently.
 */
final class OutputDrain implements Runnable {

  /** A longer line is handed over in pieces of this many bytes (a program may print no newline). */
  static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final long limit;
  private final boolean keepTail;
  private final Consumer<String> lines;
  private final Thread thread;

  // Guarded by this.
  private ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private boolean truncated;
  private Throwable failure;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean handlerFailed;

  /**
   * @param keepTail keep the last {@code limit} bytes (stderr: errors come last), else the first
   */
  OutputDrain(InputStream in, long limit, boolean keepTail, Consumer<String> lines, String name) {
    this.in = in;
    this.limit = limit;
    this.keepTail = keepTail;
    this.lines = lines;
    this.thread = new Thread(this, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        keep(buffer, n);
        split(buffer, n);
      }
    } catch (IOException e) {
      // The stream was closed under us (the program was stopped): what was read is kept, and the
      // exit code says what happened.
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        failure = failure == null ? e : failure;
      }
    } finally {
      if (line.size() > 0) {
        handLine();
      }
    }
  }

  private synchronized void keep(byte[] buffer, int n) {
    if (limit == 0) {
      truncated = true;
      return;
    }
    if (!keepTail) {
      int room = (int) Math.max(0, Math.min(n, limit - kept.size()));
      kept.write(buffer, 0, room);
      truncated |= room < n;
      return;
    }
    kept.write(buffer, 0, n);
    if (kept.size() > 2 * limit || kept.size() > limit + (1 << 20)) {
      trimTail();
    }
  }

  private void trimTail() {
    byte[] all = kept.toByteArray();
    if (all.length <= limit) {
      return;
    }
    kept = new ByteArrayOutputStream();
    kept.write(all, (int) (all.length - limit), (int) limit);
    truncated = true;
  }

  private void split(byte[] buffer, int n) {
    if (handlerFailed) {
      return;
    }
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (buffer[i] == '\n') {
        line.write(buffer, start, i - start);
        handLine();
        start = i + 1;
      } else if (line.size() + (i - start) >= MAX_LINE) {
        line.write(buffer, start, i - start);
        handLine();
        start = i;
      }
    }
    line.write(buffer, start, n - start);
  }

  private void handLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (handlerFailed) {
      return;
    }
    try {
      lines.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    } catch (RuntimeException | Error e) {
      // Stop calling it, go on reading: the program must not block on its pipe.
      handlerFailed = true;
      synchronized (this) {
        failure = failure == null ? e : failure;
      }
    }
  }

  /** Waits at most {@code millis} for the end of the stream; whether it came. */
  boolean join(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
    return !thread.isAlive();
  }

  synchronized byte[] kept() {
    if (keepTail) {
      trimTail();
    }
    return kept.toByteArray();
  }

  synchronized boolean truncated() {
    if (keepTail) {
      trimTail();
    }
    return truncated;
  }

  /** What a line handler threw, if one did. */
  synchronized Throwable failure() {
    return failure;
  }
}
