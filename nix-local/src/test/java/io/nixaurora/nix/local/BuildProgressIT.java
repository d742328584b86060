package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nixaurora.api.event.Event;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What nix-build's stderr lines (as Nix 2.8 to 2.34 print them) become. */
@Timeout(10)
class BuildProgressIT {

  private final List<Event> events = new ArrayList<>();
  private final BuildProgress progress = new BuildProgress(events::add);

  @Test
  void buildLinesAreStepsOfTheAnnouncedTotal() {
    progress.accept("these 2 derivations will be built:");
    progress.accept("building '/nix/store/ff5xd76fy7pj773q6pqa4kn53ipxxnhw-hello-2.12.drv'...");
    assertEquals(
        new ProgressEvent("build", "hello-2.12", 1, 2, ProgressEvent.Unit.STEPS), events.get(1));
    assertEquals(1, progress.built());
  }

  @Test
  void warningsAreWarningsButWaitingForTheDatabaseIsNot() {
    progress.accept("warning: the group 'nixbld' specified in 'build-users-group' does not exist");
    progress.accept("warning: error: SQLite database '/nix/var/nix/db/db.sqlite' is busy");
    assertEquals(
        List.of(
            LogEvent.warn(
                "nix: the group 'nixbld' specified in 'build-users-group' does not exist"),
            LogEvent.debug(
                "nix: warning: error: SQLite database '/nix/var/nix/db/db.sqlite' is busy")),
        events);
  }

  /**
   * An unreachable default substituter, as each version reports it (captured without network): five
   * warnings a query, more for every query, summarised in one line.
   */
  @Test
  void anUnreachableSubstituterIsOneWarningOnEveryVersion() throws Exception {
    for (String v : List.of("2.26.3", "2.34.8")) {
      events.clear();
      BuildProgress p = new BuildProgress(events::add);
      String stderr = NixMessagesTest.captured("nix-build-" + v + "-build-failure-offline.txt");
      stderr.lines().forEach(p);
      stderr.lines().forEach(p); // a second query: still one warning
      List<LogEvent> warnings =
          events.stream()
              .filter(e -> e instanceof LogEvent l && l.level() == LogEvent.Level.WARN)
              .map(LogEvent.class::cast)
              .toList();
      assertEquals(1, warnings.size(), v + ": " + warnings);
      assertEquals(
          "nix: cannot reach the substituter https://cache.nixos.org (Could not resolve hostname"
              + " (6) Could not resolve host: cache.nixos.org); building without it",
          warnings.get(0).message(),
          v);
    }
  }

  @Test
  void nix234sDeprecationWarningIsNotShown() {
    progress.accept(
        "warning: '--json' without '--json-format' is deprecated; please specify '--json-format 1'"
            + " or '--json-format 2'. This will become an error in a future release.");
    assertEquals(
        List.of(LogEvent.Level.DEBUG), events.stream().map(e -> ((LogEvent) e).level()).toList());
  }
}
