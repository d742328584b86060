package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.model.Job;
import io.nixaurora.submit.http.AuroraApi.GetTierConfigResult;
import io.nixaurora.submit.http.AuroraApi.GetTierConfigsArgs;
import io.nixaurora.submit.http.AuroraApi.Result;
import io.nixaurora.submit.http.AuroraApi.TierConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler's tiers (getTierConfigs) and the client's tier backfill (docs/aurora-spec.md §2.2
 * step 6): a job without a tier gets the first tier whose preemptibility fits its {@code
 * production} flag, a job with one gets {@code production} from it.
 *
 * @param defaultTier the scheduler's default tier
 * @param tiers each tier by name, in the scheduler's order
 */
record Tiers(String defaultTier, Map<String, Tier> tiers) {
  /** One tier's settings. */
  record Tier(boolean preemptible, boolean revocable) {}

  Tiers {
    tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
  }

  /** The tiers of the scheduler {@code calls} speaks to ({@code key} only names the failure). */
  static Tiers of(SchedulerCalls calls, JobKey key) throws SubmitException {
    TJsonReply.Struct result =
        calls.readResult(
            GetTierConfigsArgs.METHOD,
            new TJson.Struct(),
            key,
            Result.GET_TIER_CONFIG_RESULT,
            "no tier configuration");
    Map<String, Tier> tiers = new LinkedHashMap<>();
    for (TJsonReply.Struct tier : result.structs(GetTierConfigResult.TIERS)) {
      boolean preemptible = false;
      boolean revocable = false;
      for (Map.Entry<String, JsonNode> setting : tier.entries(TierConfig.SETTINGS)) {
        boolean on = setting.getValue().asText().equalsIgnoreCase("true");
        if (setting.getKey().equals("preemptible")) {
          preemptible = on;
        } else if (setting.getKey().equals("revocable")) {
          revocable = on;
        }
      }
      tiers.put(tier.str(TierConfig.NAME).orElse(""), new Tier(preemptible, revocable));
    }
    return new Tiers(result.str(GetTierConfigResult.DEFAULT_TIER_NAME).orElse(""), tiers);
  }

  /**
   * A tier the scheduler does not have is refused before anything is published: the client would
   * send it and the scheduler refuse the job only after the closures were pushed.
   */
  void require(Job job) throws InvalidJobException {
    if (job.tier() != null && !tiers.containsKey(job.tier())) {
      throw new InvalidJobException(
          "tier",
          "'"
              + job.tier()
              + "' is not one of the cluster's tiers "
              + tiers.keySet()
              + " (the scheduler's getTierConfigs); the scheduler would refuse the job");
    }
  }

  /** The client's tier backfill, written into the job JSON's {@code tier} or {@code production}. */
  void backfill(ObjectNode job) throws SubmitException {
    JsonNode tier = job.get("tier");
    if (tier == null || tier.isNull()) {
      boolean production = job.path("production").asBoolean(false);
      String chosen =
          tiers.entrySet().stream()
              .filter(t -> t.getValue().preemptible() != production && !t.getValue().revocable())
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(defaultTier);
      job.put("tier", chosen);
    } else {
      Tier found = tiers.get(tier.asText());
      if (found == null) {
        throw new SubmitException.InvalidConfiguration(
            "Error loading configuration: tier '"
                + tier.asText()
                + "' is not one of the cluster's"
                + " tiers "
                + tiers.keySet());
      }
      job.put("production", !found.preemptible());
    }
  }
}
