package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A Thermos ordering constraint (not a Mesos placement constraint): each process runs after the one
 * before it in {@code order} has finished successfully.
 */
public record Constraint(@JsonProperty("order") List<String> order) {
  public Constraint {
    order = List.copyOf(order);
  }

  /** {@code order(a, b, c)}: a before b before c. */
  public static Constraint order(String... processes) {
    return new Constraint(List.of(processes));
  }
}
