package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nixaurora.api.RealAurora;
import io.nixaurora.api.SubmitException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real Aurora 0.22 Thrift processor (the scheduler stand-in): the task query for gc
 * roots decodes, as Thrift reads it, to every active ScheduleStatus of every job; and since the
 * stand-in answers no getJobs (it raises), the live set is refused, never returned incomplete.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StandInLiveRootsIT {

  @TempDir Path dir;

  @Test
  void theTaskQueryIsReadByThriftAndAMissingAnswerIsRefused() throws Exception {
    RealAurora aurora = RealAurora.locate();
    try (RealAurora.StandIn standIn = aurora.standIn(dir.resolve("standin.log"))) {
      HttpSubmitter submitter =
          new HttpSubmitter(
              HttpSubmitterSettings.parse(
                  Map.of(
                      "scheduler_uri",
                      standIn.uri() + "/",
                      "owner",
                      "vagrant",
                      "retry_budget_seconds",
                      "2")),
              event -> {},
              java.util.UUID::randomUUID,
              dir,
              Map.of());
      SubmitException e =
          assertThrows(SubmitException.class, () -> submitter.liveStorePaths("devcluster"));
      assertTrue(e.getMessage().contains("getJobs"), e.getMessage());
      List<JsonNode> calls = standIn.calls();
      JsonNode tasks =
          calls.stream()
              // The stand-in serves getTasksStatus with its getTasksWithoutConfigs handler, which
              // logs under that name.
              .filter(c -> c.get("method").asText().startsWith("getTasks"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no getTasksStatus in " + calls));
      // TaskQuery field 5 (statuses) as Thrift's own TJSON writer re-encodes it: every active
      // state (aurora-spec 4.1), no job key (every job).
      JsonNode query = tasks.get("args").get("query");
      JsonNode statuses = query.get("5").get("set");
      TreeSet<Integer> got = new TreeSet<>();
      for (int i = 2; i < statuses.size(); i++) {
        got.add(statuses.get(i).asInt());
      }
      assertEquals(
          new TreeSet<>(List.of(0, 1, 2, 6, 9, 12, 13, 16, 17, 18)), got, query.toString());
      assertTrue(!query.has("11"), "no job keys: every job");
    }
  }
}
