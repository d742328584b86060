package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Thermos ordering constraint (not a Mesos placement constraint, see {@link
 * Job#placementConstraints()}): each process runs after the one before it in {@code order} has
 * finished successfully.
 *
 * @param order process names, at least one
 */
public record Constraint(@JsonProperty(value = "order", required = true) List<String> order) {
  public Constraint {
    Require.present(order, "constraint.order");
    if (order.isEmpty()) {
      throw new IllegalArgumentException("constraint.order: must name at least one process");
    }
    List<String> copy = new ArrayList<>(order.size());
    for (int i = 0; i < order.size(); i++) {
      copy.add(Require.nonBlank(order.get(i), "constraint.order[" + i + "]"));
    }
    order = Collections.unmodifiableList(copy);
  }

  /** {@code order(a, b, c)}: a before b before c. */
  public static Constraint order(String... processes) {
    return new Constraint(List.of(processes));
  }
}
