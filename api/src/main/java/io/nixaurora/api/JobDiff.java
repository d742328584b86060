package io.nixaurora.api;

import java.util.List;
import java.util.Objects;

/**
 * What an update would change, per instance.
 *
 * @param added instances the update would add
 * @param removed instances it would remove
 * @param updated instances whose task config would change
 * @param unchanged instances that stay as they are
 * @param detail a human-readable description of the change (such as a unified diff of the configs),
 *     possibly empty
 */
public record JobDiff(
    List<Integer> added,
    List<Integer> removed,
    List<Integer> updated,
    List<Integer> unchanged,
    String detail) {
  public JobDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether the update would change nothing. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && updated.isEmpty();
  }
}
