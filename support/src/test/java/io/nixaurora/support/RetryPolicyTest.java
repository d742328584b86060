package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RetryPolicyTest {

  private static List<Long> pauses(RetryPolicy.Retries retries) {
    List<Long> out = new ArrayList<>();
    for (Optional<Duration> p = retries.next(); p.isPresent(); p = retries.next()) {
      out.add(p.get().toMillis());
    }
    return out;
  }

  @Test
  void attemptsAreCountedAndThePauseDoublesUpToItsLargest() {
    RetryPolicy.Retries retries = RetryPolicy.attempts(6).start();

    assertEquals(List.of(200L, 400L, 800L, 1600L, 3200L), pauses(retries));
    assertEquals(6, retries.attempts());
    assertEquals(
        List.of(250L, 500L, 1000L, 1000L, 1000L),
        pauses(
            RetryPolicy.attempts(6)
                .backoff(Duration.ofMillis(250), Duration.ofSeconds(1))
                .start()));
    assertEquals(List.of(), pauses(RetryPolicy.attempts(1).start()), "one attempt, no retry");
  }

  @Test
  void jitterAddsUpToHalfOfEachPause() {
    for (int i = 0; i < 50; i++) {
      List<Long> p = pauses(RetryPolicy.attempts(5).withJitter().start());
      List<Long> base = List.of(200L, 400L, 800L, 1600L);
      assertEquals(4, p.size());
      for (int k = 0; k < 4; k++) {
        long b = base.get(k);
        assertTrue(p.get(k) >= b && p.get(k) <= b + b / 2, p.toString());
      }
    }
  }

  @Test
  void noPauseEndsPastTheBudget() {
    // Each pause handed out is spent on the clock: 250+500+1000+2000 = 3750 ms fit in 4 s, the
    // next 4 s pause does not.
    long[] now = {0};
    RetryPolicy.Retries retries =
        RetryPolicy.within(Duration.ofSeconds(4))
            .backoff(Duration.ofMillis(250), Duration.ofSeconds(5))
            .start(() -> now[0]);
    List<Long> spent = new ArrayList<>();
    for (Optional<Duration> p = retries.next(); p.isPresent(); p = retries.next()) {
      spent.add(p.get().toMillis());
      now[0] += p.get().toNanos();
    }
    assertEquals(List.of(250L, 500L, 1000L, 2000L), spent);
    assertEquals(Duration.ofMillis(3750), retries.elapsed());
    // Time spent on the attempts themselves counts too: after 3.9 s, a 250 ms pause does not fit.
    now[0] = 0;
    RetryPolicy.Retries slow =
        RetryPolicy.within(Duration.ofSeconds(4))
            .backoff(Duration.ofMillis(250), Duration.ofSeconds(5))
            .start(() -> now[0]);
    now[0] = Duration.ofMillis(3900).toNanos();
    assertEquals(Optional.empty(), slow.next());
    assertEquals(
        Optional.empty(),
        RetryPolicy.within(Duration.ofMillis(100)).start().next(),
        "a 200 ms pause does not fit in 100 ms");
    assertEquals(
        List.of(2L, 2L),
        pauses(
            RetryPolicy.within(Duration.ofHours(1))
                .backoff(Duration.ofMillis(2), Duration.ofMillis(2))
                .atMost(3)
                .start()));
  }

  @Test
  void nonsenseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.attempts(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetryPolicy.attempts(2).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.within(Duration.ofSeconds(-1)));
  }
}
