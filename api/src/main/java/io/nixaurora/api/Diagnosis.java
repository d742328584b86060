package io.nixaurora.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code doctor}: what a backend checked about itself and how it went.
 *
 * @param status how it went
 * @param detail one line: what was checked and what was found
 * @param fix what to do about a {@link Status#FAIL} or {@link Status#WARN}, if there is advice
 */
public record Diagnosis(Status status, String detail, Optional<String> fix) {

  /** How a check went. */
  public enum Status {
    /** Checked and fine. */
    OK,
    /** Something to know that was not checked, or cannot be (other machines). */
    NOTE,
    /** Works, but something is likely to go wrong. */
    WARN,
    /** Will not work. */
    FAIL
  }

  public Diagnosis {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fix, "fix");
  }

  public static Diagnosis ok(String detail) {
    return new Diagnosis(Status.OK, detail, Optional.empty());
  }

  public static Diagnosis note(String detail) {
    return new Diagnosis(Status.NOTE, detail, Optional.empty());
  }

  public static Diagnosis warn(String detail, String fix) {
    return new Diagnosis(Status.WARN, detail, Optional.ofNullable(fix));
  }

  public static Diagnosis fail(String detail, String fix) {
    return new Diagnosis(Status.FAIL, detail, Optional.ofNullable(fix));
  }
}
