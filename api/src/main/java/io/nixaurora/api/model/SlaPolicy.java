package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Aurora's {@code sla_policy} Choice: {@link CoordinatorSlaPolicy}, {@link CountSlaPolicy} or
 * {@link PercentageSlaPolicy}; the JSON is the chosen struct, untagged, told apart by its required
 * keys ({@code coordinator_url}, {@code count}, {@code percentage}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
  @JsonSubTypes.Type(CoordinatorSlaPolicy.class),
  @JsonSubTypes.Type(CountSlaPolicy.class),
  @JsonSubTypes.Type(PercentageSlaPolicy.class)
})
public sealed interface SlaPolicy
    permits CoordinatorSlaPolicy, CountSlaPolicy, PercentageSlaPolicy {}
