package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nixaurora.api.event.Event;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.event.ProgressEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What nix-build's stderr lines (as Nix 2.8 prints them) become. */
class BuildProgressTest {

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
    progress.accept("warning: unable to download 'https://cache.nixos.org/nix-cache-info'");
    progress.accept("warning: error: SQLite database '/nix/var/nix/db/db.sqlite' is busy");
    assertEquals(
        List.of(
            LogEvent.warn("nix: unable to download 'https://cache.nixos.org/nix-cache-info'"),
            LogEvent.debug(
                "nix: warning: error: SQLite database '/nix/var/nix/db/db.sqlite' is busy")),
        events);
  }
}
