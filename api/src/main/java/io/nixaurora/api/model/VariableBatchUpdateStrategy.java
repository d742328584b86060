package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Updates instances in batches of growing (or any) sizes: the first batch has {@code batchSizes[0]}
 * instances, the next {@code batchSizes[1]}, and the last size repeats.
 *
 * @param batchSizes the batch sizes, at least one, each positive
 * @param autopauseAfterBatch pause the update after each batch (default false)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"batch_sizes", "autopause_after_batch"})
public record VariableBatchUpdateStrategy(
    @JsonProperty(value = "batch_sizes", required = true) List<Integer> batchSizes,
    @JsonProperty("autopause_after_batch") Boolean autopauseAfterBatch)
    implements UpdateStrategy {

  public VariableBatchUpdateStrategy {
    batchSizes =
        Require.listOrNull(
            Require.present(batchSizes, "update_strategy.batch_sizes"),
            "update_strategy.batch_sizes");
    if (batchSizes.isEmpty()) {
      throw new IllegalArgumentException("update_strategy.batch_sizes: must not be empty");
    }
    for (int i = 0; i < batchSizes.size(); i++) {
      Require.atLeast(batchSizes.get(i), 1, "update_strategy.batch_sizes[" + i + "]");
    }
  }

  /** Batches of the given sizes, not pausing. */
  public static VariableBatchUpdateStrategy of(Integer... batchSizes) {
    return new VariableBatchUpdateStrategy(List.of(batchSizes), null);
  }
}
