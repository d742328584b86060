package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Updates instances in fixed-size batches, each batch finishing before the next starts.
 *
 * @param batchSize instances per batch (Aurora default 1), positive
 * @param autopauseAfterBatch pause the update after each batch (default false); always written, it
 *     is what tells this strategy from a queue in JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"batch_size", "autopause_after_batch"})
public record BatchUpdateStrategy(
    @JsonProperty("batch_size") Integer batchSize,
    @JsonProperty("autopause_after_batch") boolean autopauseAfterBatch)
    implements UpdateStrategy {

  public BatchUpdateStrategy {
    Require.atLeast(batchSize, 1, "update_strategy.batch_size");
  }

  /** Batches of {@code batchSize}, not pausing. */
  public static BatchUpdateStrategy of(int batchSize) {
    return new BatchUpdateStrategy(batchSize, false);
  }
}
