package io.nixaurora.nix.local;

import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what {@code nix-build} prints on stderr into events: "these 3 derivations will be built"
 * sets the total, each "building '/nix/store/…-name.drv'..." is a step of the {@code build} phase,
 * "copying path …" a step of {@code substitute}; every line is also a debug log event, and Nix's
 * warnings are warnings. Lines arrive on Nix's stderr thread, one at a time.
 */
final class BuildProgress implements Consumer<String> {

  private static final Pattern WILL_BUILD =
      Pattern.compile("^these (\\d+) derivations will be built:|^this derivation will be built:");
  private static final Pattern WILL_FETCH =
      Pattern.compile("^these (\\d+) paths will be fetched|^this path will be fetched");
  private static final Pattern BUILDING =
      Pattern.compile("^building '/nix/store/[0-9a-z]{32}-(.+?)\\.drv'");
  private static final Pattern COPYING =
      Pattern.compile("^copying path '/nix/store/[0-9a-z]{32}-([^']+)' from");

  /** Nix's notice that it waits for another Nix process's database lock: routine, not a warning. */
  private static final Pattern BUSY = Pattern.compile("SQLite database '[^']*' is busy");

  /**
   * A substituter Nix cannot reach: 2.8 to 2.26 print "warning: error: unable to download
   * '<url>/nix-cache-info': <why>; retrying in 322 ms" four times, then the same without "error: "
   * and the retry; 2.34 adds "(attempt 1/5)". Without network that is cache.nixos.org, the default.
   */
  private static final Pattern UNREACHABLE =
      Pattern.compile(
          "^warning: (?:error: )?unable to download '(.+?)/nix-cache-info': (.*?)(?:; retrying in .*)?$");

  /** Nix's notices that an option or form will go away: for nix-aurora's developers, not users. */
  private static final Pattern DEPRECATED = Pattern.compile("^warning: .*\\bdeprecated\\b");

  private final EventListener events;
  private final java.util.Set<String> unreachable = new java.util.HashSet<>();
  private long buildTotal = -1;
  private long built;
  private long fetchTotal = -1;
  private long fetched;

  BuildProgress(EventListener events) {
    this.events = events;
  }

  @Override
  public synchronized void accept(String line) {
    Matcher m;
    if ((m = WILL_BUILD.matcher(line)).find()) {
      buildTotal = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
    } else if ((m = WILL_FETCH.matcher(line)).find()) {
      fetchTotal = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
    } else if ((m = BUILDING.matcher(line)).find()) {
      built++;
      events.on(
          new ProgressEvent("build", m.group(1), built, buildTotal, ProgressEvent.Unit.STEPS));
    } else if ((m = COPYING.matcher(line)).find()) {
      fetched++;
      events.on(
          new ProgressEvent(
              "substitute", m.group(1), fetched, fetchTotal, ProgressEvent.Unit.PATHS));
    }
    Matcher down = UNREACHABLE.matcher(line);
    if (down.matches()) {
      // Once per substituter, not once per retry.
      if (unreachable.add(down.group(1))) {
        events.on(
            LogEvent.warn(
                "nix: cannot reach the substituter "
                    + down.group(1)
                    + " ("
                    + down.group(2).strip()
                    + "); building without it"));
      } else {
        events.on(LogEvent.debug("nix: " + line));
      }
    } else if (line.startsWith("warning:")
        && !BUSY.matcher(line).find()
        && !DEPRECATED.matcher(line).find()) {
      events.on(LogEvent.warn("nix: " + line.substring("warning:".length()).strip()));
    } else if (!line.isBlank()) {
      events.on(LogEvent.debug("nix: " + line));
    }
  }

  /** How many derivations were built. */
  synchronized long built() {
    return built;
  }
}
