package io.nixaurora.cli;

import io.nixaurora.api.event.Event;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Renders library events on stderr: warnings and errors always, info unless {@code --quiet}, debug
 * with {@code --verbose}, and a one-line progress display that redraws itself only when stderr is a
 * terminal.
 */
public final class ConsoleListener implements EventListener {
  private final PrintWriter err;
  private final boolean verbose;
  private final boolean quiet;
  private final boolean terminal;
  private static final Pattern RETRY = Pattern.compile("; retrying in \\d+ ms$");
  private final Set<String> retryShown = new HashSet<>();
  private boolean progressShown;
  private long lastDraw;

  /** Without a terminal, how often a long step says what it is doing. */
  static final long PLAIN_PROGRESS_INTERVAL_NANOS = 10_000_000_000L;

  private final LongSupplier clock;
  private long lastPlain;

  public ConsoleListener(PrintWriter err, GlobalOptions options, Environment environment) {
    this(err, options, environment, System::nanoTime);
  }

  /** With {@code clock} (nanoseconds) deciding when a plain progress line is due; for tests. */
  ConsoleListener(
      PrintWriter err, GlobalOptions options, Environment environment, LongSupplier clock) {
    this.err = err;
    this.verbose = options.verbose();
    this.quiet = options.quiet();
    this.terminal = environment.terminal();
    this.clock = clock;
    this.lastPlain = clock.getAsLong();
  }

  @Override
  public synchronized void on(Event event) {
    if (event instanceof LogEvent log) {
      if (!shown(log.level())) {
        return;
      }
      if (log.level() == LogEvent.Level.WARN && !verbose && RETRY.matcher(log.message()).find()) {
        // Nix retries a download several times; one line says it, --verbose shows each attempt.
        if (!retryShown.add(RETRY.matcher(log.message()).replaceAll(""))) {
          return;
        }
      }
      clearProgress();
      String prefix =
          switch (log.level()) {
            case ERROR -> "error: ";
            case WARN -> "warning: ";
            default -> "";
          };
      // Library messages quote Nix, servers and the aurora client: escape their control
      // characters, and cut what is long unless --verbose.
      String text = SafeText.escape(log.message());
      err.println(prefix + (verbose ? text : SafeText.cut(text, 4 * ErrorReporter.MAX_LINE)));
      err.flush();
    } else if (event instanceof ProgressEvent progress) {
      if (quiet) {
        return;
      }
      if (!terminal) {
        // A log or a CI console: no redrawing, but a long step says what it is doing now and
        // then, so a silent minute is not mistaken for a hang.
        long now = clock.getAsLong();
        if (now - lastPlain >= PLAIN_PROGRESS_INTERVAL_NANOS) {
          lastPlain = now;
          err.println(plainLine(progress));
          err.flush();
        }
        return;
      }
      long now = System.nanoTime();
      boolean last = progress.total() >= 0 && progress.done() >= progress.total();
      if (!last && now - lastDraw < 80_000_000L) {
        return; // redraw at most ~12 times a second
      }
      lastDraw = now;
      err.print("\r\u001B[K" + line(progress));
      err.flush();
      progressShown = true;
    }
  }

  private boolean shown(LogEvent.Level level) {
    return switch (level) {
      case ERROR, WARN -> true;
      case INFO -> !quiet;
      case DEBUG -> verbose;
    };
  }

  /** Removes the progress line, before the final output or an error. */
  public synchronized void finish() {
    clearProgress();
    err.flush();
  }

  /** Prints a summary line unless quiet. */
  public synchronized void summary(String line) {
    if (!quiet) {
      clearProgress();
      err.println(line);
      err.flush();
    }
  }

  private void clearProgress() {
    if (progressShown) {
      err.print("\r\u001B[K");
      progressShown = false;
    }
  }

  /** The progress line without the bar, for a log. */
  static String plainLine(ProgressEvent p) {
    return line(p).replaceFirst("\\[[# ]*\\] ", "") + " …";
  }

  static String line(ProgressEvent p) {
    String count;
    if (p.unit() == ProgressEvent.Unit.BYTES) {
      count = Sizes.human(p.done()) + (p.total() >= 0 ? " / " + Sizes.human(p.total()) : "");
    } else {
      String unit = p.unit() == ProgressEvent.Unit.PATHS ? " paths" : "";
      count = p.done() + (p.total() >= 0 ? "/" + p.total() : "") + unit;
    }
    String bar = "";
    if (p.total() > 0) {
      int width = 20;
      int filled = (int) Math.min(width, p.done() * width / p.total());
      bar = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] ";
    }
    String item = p.item();
    if (item.startsWith("/nix/store/") && item.length() > 44) {
      item = item.substring(44); // the name without the hash says what it is
    }
    if (item.length() > 50) {
      item = "…" + item.substring(item.length() - 49);
    }
    return p.phase() + " " + bar + count + (item.isEmpty() ? "" : " " + item);
  }
}
