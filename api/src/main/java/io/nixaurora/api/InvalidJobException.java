package io.nixaurora.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A job that breaks Aurora's rules; carries every violation at once. Exit code 3. */
public class InvalidJobException extends NixAuroraException {
  private static final long serialVersionUID = 1L;

  /**
   * One broken rule.
   *
   * @param path the field's path, such as {@code task.processes[1].name}
   * @param message what is wrong with it
   */
  public record Violation(String path, String message) {
    public Violation {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  private final transient List<Violation> violations;

  public InvalidJobException(List<Violation> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  public InvalidJobException(String path, String message) {
    this(List.of(new Violation(path, message)));
  }

  /** Every violation, in the order found. */
  public List<Violation> violations() {
    return violations;
  }

  @Override
  public int exitCode() {
    return 3;
  }

  private static String describe(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an InvalidJobException needs at least one violation");
    }
    if (violations.size() == 1) {
      return "invalid job: " + violations.get(0);
    }
    return "invalid job, "
        + violations.size()
        + " problems:\n"
        + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
  }
}
