package io.nixaurora.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The JSON that {@code aurora job create --read-json} reads, for one job. The bytes are
 * deterministic: the same job always gives the same JSON.
 *
 * @param key the job's key (the JSON's cluster, role, environment and name)
 * @param json the job object as UTF-8 JSON text, ending with a newline
 * @param service whether the job is a service ({@code "service": true})
 * @param cron whether the job has a {@code cron_schedule} (submitted with {@code aurora cron
 *     schedule})
 */
public record AuroraJobConfig(JobKey key, String json, boolean service, boolean cron) {
  public AuroraJobConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(json, "json");
  }

  /** The JSON as UTF-8 bytes. */
  public byte[] bytes() {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "AuroraJobConfig[" + key + (service ? ", service" : "") + (cron ? ", cron" : "") + "]";
  }
}
