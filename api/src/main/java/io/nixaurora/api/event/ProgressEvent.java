package io.nixaurora.api.event;

import java.util.Objects;

/**
 * Progress of a long step (a build, a push).
 *
 * @param phase what is under way, such as {@code build} or {@code push}
 * @param item the current item (a derivation, a store path), possibly empty
 * @param done units done so far
 * @param total units in all, or -1 when unknown
 * @param unit what is counted
 */
public record ProgressEvent(String phase, String item, long done, long total, Unit unit)
    implements Event {

  /** What a progress event counts. */
  public enum Unit {
    STEPS,
    PATHS,
    BYTES
  }

  public ProgressEvent {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(unit, "unit");
  }
}
