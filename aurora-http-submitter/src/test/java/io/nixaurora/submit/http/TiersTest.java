package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.SubmitException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's tier backfill (docs/aurora-spec.md §2.2 step 6) on the stock tiers. */
class TiersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** preferred, preemptible (default), revocable: what the scheduler and the stand-in serve. */
  private static Tiers stock() {
    Map<String, Tiers.Tier> tiers = new LinkedHashMap<>();
    tiers.put("preferred", new Tiers.Tier(false, false));
    tiers.put("preemptible", new Tiers.Tier(true, false));
    tiers.put("revocable", new Tiers.Tier(true, true));
    return new Tiers("preemptible", tiers);
  }

  private static ObjectNode job(String json) throws Exception {
    return (ObjectNode) MAPPER.readTree(json);
  }

  @Test
  void aProductionJobWithoutATierGetsTheFirstTierThatIsNeitherPreemptibleNorRevocable()
      throws Exception {
    ObjectNode job = job("{\"production\": true}");
    stock().backfill(job);
    assertEquals("preferred", job.get("tier").asText());
  }

  @Test
  void aNonProductionJobWithoutATierGetsAPreemptibleOneThatIsNotRevocable() throws Exception {
    ObjectNode job = job("{}");
    stock().backfill(job);
    assertEquals("preemptible", job.get("tier").asText());
  }

  @Test
  void withoutAFittingTierTheDefaultIsTaken() throws Exception {
    ObjectNode job = job("{\"production\": true}");
    new Tiers("only", Map.of("only", new Tiers.Tier(true, true))).backfill(job);
    assertEquals("only", job.get("tier").asText());
  }

  @Test
  void aTierSetsProductionFromItsPreemptibility() throws Exception {
    ObjectNode revocable = job("{\"tier\": \"revocable\", \"production\": true}");
    stock().backfill(revocable);
    assertEquals(false, revocable.get("production").asBoolean());
    ObjectNode preferred = job("{\"tier\": \"preferred\"}");
    stock().backfill(preferred);
    assertEquals(true, preferred.get("production").asBoolean());
  }

  @Test
  void anUnknownTierIsRefusedNamingTheClustersTiers() throws Exception {
    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class,
            () -> stock().backfill(job("{\"tier\": \"gold\"}")));
    assertTrue(e.getMessage().contains("'gold'"), e.getMessage());
    assertTrue(e.getMessage().contains("[preferred, preemptible, revocable]"), e.getMessage());
  }
}
