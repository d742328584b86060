package io.nixaurora.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CronSchedule} against the Aurora 0.22 scheduler's own parser ({@code CrontabEntry}, run as
 * {@code aurora-0.22/bin/crontab-check}): for every schedule below both must give the same verdict.
 * The schedules cover each component form, bounds, names, steps, lists, whitespace and the quirks
 * (7 as Sunday, {@code A-B/S} with {@code S >= B}, day of month with day of week).
 */
class CronScheduleIT {

  static final List<String> SCHEDULES =
      List.of(
          // accepted forms
          "* * * * *",
          "0 0 * * *",
          "*/5 * * * *",
          "0 */2 * * *",
          "0-59 0-23 1-31 1-12 0-6",
          "59 23 31 12 6",
          "0 0 1 1 *",
          "0 0 * * 0",
          "0 0 * * 6",
          "0 0 * * MON-FRI",
          "0 0 * * mon-fri",
          "0 0 * * Sun",
          "0 0 * JAN *",
          "0 0 * jan-jun *",
          "0 0 1 DEC *",
          "0,15,30,45 * * * *",
          "1-10/2 * * * *",
          "0-30/29 * * * *",
          "*/59 * * * *",
          "*/100 * * * *",
          "0 0 */3 * *",
          "05 07 * * *",
          "0\t0\t*\t*\t*",
          "0   0 * * *",
          "0 0 * * MON,WED,FRI",
          "0 0 * * 1,3-5",
          "0 0 1-31 * 1",
          "0 0 1 * 0-6",
          "0 0 1 * */1",
          ",0 * * * *",
          "0,,5 * * * *",
          "0 0 * * SAT,SUN",
          "0 0 * FEB-MAR,OCT *",
          "0 12 15 * *",
          "30 4 * * 2-3",
          // refused
          "0 0 * * 7",
          "0-10/10 * * * *",
          "0 24 * * *",
          "*/0 * * * *",
          "5-1 * * * *",
          "0 0 * * sunday",
          " 0 0 * * *",
          "0 0 * * * ",
          "0 0 * *",
          "0 0 * * * *",
          "",
          "@daily",
          "@hourly",
          "60 * * * *",
          "0 0 0 * *",
          "0 0 32 * *",
          "0 0 * 0 *",
          "0 0 * 13 *",
          "0 0 1 * 1",
          "0 0 1-15 * MON",
          "0 0 * * MON-SUN",
          "0 0 * JANUARY *",
          "0 0 * * 1-7",
          "0-0/1 * * * *",
          "1-5/0 * * * *",
          "*/ * * * *",
          "a * * * *",
          "0 0 ? * *",
          "0 0 L * *",
          "0 0 * * 5L",
          "0 0 * * 1#2",
          "-1 * * * *",
          "99999999999 * * * *",
          "*/99999999999 * * * *",
          "0 0 * * *\n",
          ", * * * *",
          "0 , * * *",
          "0 0 * * ,",
          "\u0660 * * * *",
          "0\u00a00 * * * *",
          "0 0 * * ᏚᏁ");

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void agreesWithTheSchedulersParser() throws Exception {
    Path check = auroraHome().resolve("bin/crontab-check");
    assertTrue(
        Files.isExecutable(check),
        "the Aurora 0.22 scheduler's cron parser is needed: " + check + " is missing");
    List<String> disagreements = new ArrayList<>();
    int accepted = 0;
    for (String schedule : SCHEDULES) {
      boolean aurora = schedulerAccepts(check, schedule);
      boolean ours = CronSchedule.problem(schedule).isEmpty();
      if (aurora) {
        accepted++;
      }
      if (aurora != ours) {
        disagreements.add(
            "'"
                + schedule
                + "': scheduler "
                + (aurora ? "accepts" : "refuses")
                + ", nix-aurora "
                + (ours ? "accepts" : "refuses: " + CronSchedule.problem(schedule).get()));
      }
    }
    assertTrue(SCHEDULES.size() >= 60);
    assertTrue(accepted > 20 && accepted < SCHEDULES.size() - 20, "both verdicts are covered");
    assertEquals(List.of(), disagreements);
  }

  @Test
  void canonicalFormIsTheSchedulers() throws Exception {
    assertEquals("* * * * *", CronSchedule.parse("0-59 */1 1-31 * 0-6").canonical());
    assertEquals("0,15,30,45 * * * 1-5", CronSchedule.parse("*/15 * * * mon-fri").canonical());
    assertEquals("1,3,5 0 * 1-6 *", CronSchedule.parse("1-5/2 0 * JAN-JUN *").canonical());
  }

  @Test
  void messagesNameTheFieldAndTheRule() {
    assertTrue(CronSchedule.problem("0 0 * * 7").get().contains("Sunday is 0"));
    assertTrue(CronSchedule.problem("0 24 * * *").get().startsWith("hour: '24' is outside 0-23"));
    assertTrue(CronSchedule.problem("0-10/10 * * * *").get().contains("below the range's end"));
    assertTrue(CronSchedule.problem(" 0 0 * * *").get().contains("nothing before or after"));
    assertTrue(CronSchedule.problem("0 0 1 * 1").get().contains("day of week"));
  }

  /** The scheduler's verdict; its parser crashing (a field of only commas) is a refusal too. */
  private static boolean schedulerAccepts(Path check, String schedule)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(check.toString(), schedule).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("crontab-check did not finish for '" + schedule + "'");
    }
    if (out.startsWith("ACCEPT\t")) {
      return true;
    }
    if (out.startsWith("REFUSE\t") || out.contains("Exception in thread \"main\"")) {
      return false;
    }
    throw new AssertionError(
        "crontab-check printed neither verdict for '" + schedule + "': " + out);
  }

  /** {@code ../shared/aurora-0.22} beside the repository, or {@code $AURORA_0_22_HOME}. */
  static Path auroraHome() {
    String configured = System.getenv("AURORA_0_22_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path module = Path.of("").toAbsolutePath();
    return module.getParent().resolve("../shared/aurora-0.22").normalize();
  }
}
