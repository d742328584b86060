package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How {@code aurora update start} rolls a new configuration out (Aurora's {@code UpdateConfig}).
 * Unset (null) fields take Aurora's defaults.
 *
 * @param batchSize instances updated at once (default 1), positive
 * @param watchSecs seconds an instance must run before it counts as healthy (default 45), >= 0
 * @param maxPerShardFailures failures of one instance tolerated (default 0), >= 0
 * @param maxTotalFailures failed instances tolerated (default 0), >= 0 and below the job's
 *     instances (checked by the compiler)
 * @param rollbackOnFailure roll back when the update fails (default true)
 * @param waitForBatchCompletion finish each batch before the next (default false)
 * @param pulseIntervalSecs block the update unless pulsed this often, >= 60 when set
 * @param slaAware respect the job's SLA policy while updating (default false)
 * @param updateStrategy the strategy; may not be combined with {@code waitForBatchCompletion} or a
 *     {@code batchSize} above 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "batch_size",
  "watch_secs",
  "max_per_shard_failures",
  "max_total_failures",
  "rollback_on_failure",
  "wait_for_batch_completion",
  "pulse_interval_secs",
  "sla_aware",
  "update_strategy"
})
public record UpdateConfig(
    @JsonProperty("batch_size") Integer batchSize,
    @JsonProperty("watch_secs") Integer watchSecs,
    @JsonProperty("max_per_shard_failures") Integer maxPerShardFailures,
    @JsonProperty("max_total_failures") Integer maxTotalFailures,
    @JsonProperty("rollback_on_failure") Boolean rollbackOnFailure,
    @JsonProperty("wait_for_batch_completion") Boolean waitForBatchCompletion,
    @JsonProperty("pulse_interval_secs") Integer pulseIntervalSecs,
    @JsonProperty("sla_aware") Boolean slaAware,
    @JsonProperty("update_strategy") UpdateStrategy updateStrategy) {

  public UpdateConfig {
    Require.atLeast(batchSize, 1, "update_config.batch_size");
    Require.atLeast(watchSecs, 0, "update_config.watch_secs");
    Require.atLeast(maxPerShardFailures, 0, "update_config.max_per_shard_failures");
    Require.atLeast(maxTotalFailures, 0, "update_config.max_total_failures");
    Require.atLeast(pulseIntervalSecs, 60, "update_config.pulse_interval_secs");
    if (updateStrategy != null) {
      if (Boolean.TRUE.equals(waitForBatchCompletion)) {
        throw new IllegalArgumentException(
            "update_config.update_strategy: cannot be combined with wait_for_batch_completion"
                + " (use a batch strategy instead)");
      }
      if (batchSize != null && batchSize > 1) {
        throw new IllegalArgumentException(
            "update_config.update_strategy: cannot be combined with batch_size > 1 (set the"
                + " strategy's batch size instead)");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.batchSize = batchSize;
    b.watchSecs = watchSecs;
    b.maxPerShardFailures = maxPerShardFailures;
    b.maxTotalFailures = maxTotalFailures;
    b.rollbackOnFailure = rollbackOnFailure;
    b.waitForBatchCompletion = waitForBatchCompletion;
    b.pulseIntervalSecs = pulseIntervalSecs;
    b.slaAware = slaAware;
    b.updateStrategy = updateStrategy;
    return b;
  }

  /** Builds an update configuration. */
  public static final class Builder {
    private Integer batchSize;
    private Integer watchSecs;
    private Integer maxPerShardFailures;
    private Integer maxTotalFailures;
    private Boolean rollbackOnFailure;
    private Boolean waitForBatchCompletion;
    private Integer pulseIntervalSecs;
    private Boolean slaAware;
    private UpdateStrategy updateStrategy;

    private Builder() {}

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder watchSecs(int watchSecs) {
      this.watchSecs = watchSecs;
      return this;
    }

    public Builder maxPerShardFailures(int maxPerShardFailures) {
      this.maxPerShardFailures = maxPerShardFailures;
      return this;
    }

    public Builder maxTotalFailures(int maxTotalFailures) {
      this.maxTotalFailures = maxTotalFailures;
      return this;
    }

    public Builder rollbackOnFailure(boolean rollbackOnFailure) {
      this.rollbackOnFailure = rollbackOnFailure;
      return this;
    }

    public Builder waitForBatchCompletion(boolean waitForBatchCompletion) {
      this.waitForBatchCompletion = waitForBatchCompletion;
      return this;
    }

    public Builder pulseIntervalSecs(int pulseIntervalSecs) {
      this.pulseIntervalSecs = pulseIntervalSecs;
      return this;
    }

    public Builder slaAware(boolean slaAware) {
      this.slaAware = slaAware;
      return this;
    }

    public Builder updateStrategy(UpdateStrategy updateStrategy) {
      this.updateStrategy = updateStrategy;
      return this;
    }

    public UpdateConfig build() {
      return new UpdateConfig(
          batchSize,
          watchSecs,
          maxPerShardFailures,
          maxTotalFailures,
          rollbackOnFailure,
          waitForBatchCompletion,
          pulseIntervalSecs,
          slaAware,
          updateStrategy);
    }
  }
}
