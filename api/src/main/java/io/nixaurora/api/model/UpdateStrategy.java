package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Aurora's {@code update_strategy} Choice: {@link QueueUpdateStrategy}, {@link BatchUpdateStrategy}
 * or {@link VariableBatchUpdateStrategy}.
 *
 * <p>Like Aurora's Choice, the JSON is the chosen struct itself, without a type tag; the reader
 * tells them apart by their keys ({@code batch_sizes} = variable batch, {@code
 * autopause_after_batch} = batch, otherwise queue). That is why a batch strategy always writes
 * {@code autopause_after_batch}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION, defaultImpl = QueueUpdateStrategy.class)
@JsonSubTypes({
  @JsonSubTypes.Type(QueueUpdateStrategy.class),
  @JsonSubTypes.Type(BatchUpdateStrategy.class),
  @JsonSubTypes.Type(VariableBatchUpdateStrategy.class)
})
public sealed interface UpdateStrategy
    permits QueueUpdateStrategy, BatchUpdateStrategy, VariableBatchUpdateStrategy {}
