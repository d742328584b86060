package io.nixaurora.submit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.RealAurora;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cli submitter with the real Aurora 0.22 client as {@code aurora}, against the scheduler
 * stand-in: what it runs, what reaches the scheduler, and how it reads the client's answers (the
 * fake client in {@link AuroraCliSubmitterIT} covers the exit codes the stand-in cannot produce).
 */
@Timeout(300)
class RealClientIT {
  @TempDir Path tmp;
  private RealAurora.StandIn scheduler;
  private AuroraCliSubmitter submitter;

  @BeforeEach
  void start() throws Exception {
    RealAurora aurora = RealAurora.locate();
    scheduler = aurora.standIn(tmp.resolve("standin.log"));
    Path configRoot = RealAurora.clusters(tmp.resolve("aurora-config"), scheduler);
    submitter =
        new AuroraCliSubmitter(
            aurora.home().resolve("bin/aurora").toString(),
            Duration.ofMinutes(2),
            Map.of("AURORA_CONFIG_ROOT", configRoot.toString()),
            tmp);
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private static AuroraJobConfig job(String name, String extra) {
    String json =
        """
        {"cluster": "devcluster", "role": "vagrant", "environment": "devel", "name": "%s",
         "task": {"processes": [{"name": "p", "cmdline": "echo {{role}} {{name}}"}],
                  "resources": {"cpu": 0.5, "ram": 16777216, "disk": 16777216}}%s}
        """
            .formatted(name, extra);
    return new AuroraJobConfig(
        JobKey.parse("devcluster/vagrant/devel/" + name),
        json,
        extra.contains("\"service\": true"),
        extra.contains("cron_schedule"));
  }

  private List<JsonNode> calls(String method) throws Exception {
    return scheduler.calls().stream().filter(c -> c.get("method").asText().equals(method)).toList();
  }

  @Test
  void createSendsTheJobAndReportsTheClientsUrl() throws Exception {
    SubmitResult result = submitter.create(job("real", ""));
    assertEquals(SubmitResult.Action.CREATE, result.action());
    assertTrue(
        result.url().orElse("").endsWith("/scheduler/vagrant/devel/real"), result.toString());
    List<JsonNode> created = calls("createJob");
    assertEquals(1, created.size(), scheduler.calls().toString());
    String data = created.get(0).at("/args/description/6/rec/25/rec/2/str").asText();
    assertTrue(data.contains("\"cmdline\": \"echo vagrant p\""), data);
  }

  @Test
  void aCronJobIsScheduled() throws Exception {
    SubmitResult result = submitter.create(job("nightly", ", \"cron_schedule\": \"0 3 * * *\""));
    assertEquals(SubmitResult.Action.SCHEDULE_CRON, result.action());
    assertEquals(1, calls("scheduleCronJob").size(), scheduler.calls().toString());
    assertEquals(
        "0 3 * * *", calls("scheduleCronJob").get(0).at("/args/description/4/str").asText());
  }

  @Test
  void aJobTheClientRefusesIsAnInvalidConfigurationAndNothingIsSent() throws Exception {
    // 0.22's --read-json cannot load a Docker container (issue 11): exit 3 from the client
    SubmitException.InvalidConfiguration e =
        assertThrows(
            SubmitException.InvalidConfiguration.class,
            () -> submitter.create(job("docker", ", \"container\": {\"image\": \"debian:12\"}")));
    assertTrue(e.getMessage().contains("Unknown schema attribute"), e.getMessage());
    assertTrue(calls("createJob").isEmpty(), scheduler.calls().toString());
  }
}
