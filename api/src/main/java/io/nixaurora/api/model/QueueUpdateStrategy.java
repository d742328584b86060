package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Updates instances as a queue: up to {@code batchSize} at a time, starting the next as soon as one
 * finishes.
 *
 * @param batchSize instances updated at once (Aurora default 1), positive
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueUpdateStrategy(@JsonProperty("batch_size") Integer batchSize)
    implements UpdateStrategy {

  public QueueUpdateStrategy {
    Require.atLeast(batchSize, 1, "update_strategy.batch_size");
  }

  /** A queue of {@code batchSize} instances. */
  public static QueueUpdateStrategy of(int batchSize) {
    return new QueueUpdateStrategy(batchSize);
  }
}
