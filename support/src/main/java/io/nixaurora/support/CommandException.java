package io.nixaurora.support;

import java.nio.charset.StandardCharsets;

/**
 * A program that could not be run to its end. Each kind keeps what the program had printed on
 * stderr so far (its last bytes), for the caller's message. The messages name the program, never
 * its environment.
 */
public abstract sealed class CommandException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient byte[] partialStderr;

  CommandException(String message, byte[] partialStderr, Throwable cause) {
    super(message, cause);
    this.partialStderr = partialStderr.clone();
  }

  /** What the program had printed on stderr before it was stopped (empty if it never started). */
  public String partialStderr() {
    return new String(partialStderr, StandardCharsets.UTF_8);
  }

  /** The program could not be started (missing, not executable, or the JVM is shutting down). */
  public static final class NotStarted extends CommandException {
    private static final long serialVersionUID = 1L;
    private final boolean shuttingDown;

    NotStarted(String message, boolean shuttingDown, Throwable cause) {
      super(message, new byte[0], cause);
      this.shuttingDown = shuttingDown;
    }

    /** Whether it was refused because the JVM is shutting down (SIGINT, SIGTERM). */
    public boolean shuttingDown() {
      return shuttingDown;
    }
  }

  /** The program ran longer than its timeout; its process tree was stopped. */
  public static final class TimedOut extends CommandException {
    private static final long serialVersionUID = 1L;

    TimedOut(String message, byte[] partialStderr) {
      super(message, partialStderr, null);
    }
  }

  /** The waiting thread was interrupted; the program's process tree was stopped. */
  public static final class Interrupted extends CommandException {
    private static final long serialVersionUID = 1L;

    Interrupted(String message, byte[] partialStderr, InterruptedException cause) {
      super(message, partialStderr, cause);
    }
  }
}
