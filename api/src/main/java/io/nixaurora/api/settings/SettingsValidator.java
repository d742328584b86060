package io.nixaurora.api.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks setting values against every declaration known (the CLI's own and each backend's): unknown
 * keys are refused with the closest known key, values must fit their type. It reports every
 * problem, not the first, so one run shows all there is to fix.
 */
public final class SettingsValidator {

  /** A value as written, with where it was written. */
  public record Value(String key, String value, String source) {}

  private final Map<String, List<SettingDeclaration>> known;

  private SettingsValidator(Map<String, List<SettingDeclaration>> known) {
    this.known = known;
  }

  /** A validator for {@code declarations} (a key may be declared by several backends). */
  public static SettingsValidator of(Collection<SettingDeclaration> declarations) {
    Map<String, List<SettingDeclaration>> known = new TreeMap<>();
    for (SettingDeclaration d : declarations) {
      known.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d);
    }
    known.replaceAll((k, v) -> List.copyOf(v));
    return new SettingsValidator(known);
  }

  /** Whether any declaration has {@code key}. */
  public boolean knows(String key) {
    return known.containsKey(key);
  }

  /** The declarations of {@code key}, empty if unknown. */
  public List<SettingDeclaration> declarations(String key) {
    return known.getOrDefault(key, List.of());
  }

  /** The problems of {@code values}, in their order; empty when all are fine. */
  public List<SettingProblem> check(Collection<Value> values) {
    List<SettingProblem> problems = new ArrayList<>();
    for (Value v : values) {
      check(v).ifPresent(problems::add);
    }
    return problems;
  }

  /** The problem of one value, if it has one. */
  public Optional<SettingProblem> check(Value v) {
    List<SettingDeclaration> declared = known.get(v.key());
    if (declared == null) {
      return Optional.of(new SettingProblem(v.key(), v.source(), unknown(v.key())));
    }
    for (SettingDeclaration d : declared) {
      Optional<String> problem = d.type().problem(v.value(), d.allowed());
      if (problem.isPresent()) {
        // A type's problem quotes the text; a secret's text is never shown.
        String line =
            d.secret()
                ? (d.type() == SettingType.ENUM
                        ? "not one of " + String.join(", ", d.allowed())
                        : "not a valid " + d.type().shortName())
                    + " (the value is secret and not shown)"
                : problem.get();
        return Optional.of(new SettingProblem(v.key(), v.source(), line));
      }
    }
    return Optional.empty();
  }

  private String unknown(String key) {
    Optional<String> closest = closest(key, known.keySet());
    return closest
        .map(c -> "unknown setting (did you mean '" + c + "'?)")
        .orElseGet(() -> "unknown setting (known: " + String.join(", ", known.keySet()) + ")");
  }

  /**
   * The known key closest to {@code key} by edit distance, if it is close enough to be a typo: at
   * most a third of the key's length (at least 2) edits away.
   */
  public static Optional<String> closest(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(key, k);
      if (d < bestDistance || d == bestDistance && k.compareTo(best) < 0) {
        best = k;
        bestDistance = d;
      }
    }
    int limit = Math.max(2, key.length() / 3);
    return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
