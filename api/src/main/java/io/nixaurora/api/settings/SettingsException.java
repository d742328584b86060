package io.nixaurora.api.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings a backend refuses, every problem at once. An {@link IllegalArgumentException}, as
 * factories have always refused bad settings, so callers that catch that keep working.
 */
public final class SettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<SettingProblem> problems;

  public SettingsException(List<SettingProblem> problems) {
    super(problems.stream().map(SettingProblem::line).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a SettingsException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems, one per bad key, in the order found. */
  public List<SettingProblem> problems() {
    return problems;
  }
}
