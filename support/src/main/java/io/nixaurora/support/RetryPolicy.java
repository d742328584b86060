package io.nixaurora.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The one retry policy of nix-aurora's HTTP clients (binary caches, the scheduler): exponential
 * backoff from a first delay, doubled up to a largest one, optionally with jitter (so that many
 * parallel uploads do not retry in step), bounded by a number of attempts, a time budget, or both.
 * What is worth retrying (a 503, a timeout, a refused connection) each client decides; how long to
 * wait and when to stop is decided here.
 *
 * <pre>{@code
 * RetryPolicy.Retries retries = policy.start();
 * while (true) {
 *   ... try; on success return ...
 *   Optional<Duration> pause = retries.next();
 *   if (pause.isEmpty()) throw gaveUp;
 *   Thread.sleep(pause.get().toMillis());
 * }
 * }</pre>
 */
public final class RetryPolicy {

  private final int maxAttempts;
  private final Optional<Duration> budget;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final boolean jitter;

  private RetryPolicy(
      int maxAttempts,
      Optional<Duration> budget,
      Duration firstDelay,
      Duration maxDelay,
      boolean jitter) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("attempts: at least 1, got " + maxAttempts);
    }
    if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException(
          "backoff: need 0 <= first <= max, got " + firstDelay + " and " + maxDelay);
    }
    this.maxAttempts = maxAttempts;
    this.budget = budget;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
    this.jitter = jitter;
  }

  /** At most {@code attempts} tries in all, 200 ms doubled up to 5 s between them. */
  public static RetryPolicy attempts(int attempts) {
    return new RetryPolicy(
        attempts, Optional.empty(), Duration.ofMillis(200), Duration.ofSeconds(5), false);
  }

  /** As many tries as fit in {@code budget} (a pause that would end past it is not taken). */
  public static RetryPolicy within(Duration budget) {
    if (budget.isNegative()) {
      throw new IllegalArgumentException("budget: must not be negative, got " + budget);
    }
    return new RetryPolicy(
        Integer.MAX_VALUE,
        Optional.of(budget),
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        false);
  }

  /** This policy with pauses from {@code first}, doubled up to {@code max}. */
  public RetryPolicy backoff(Duration first, Duration max) {
    return new RetryPolicy(maxAttempts, budget, first, max, jitter);
  }

  /** This policy with up to half of each pause added at random. */
  public RetryPolicy withJitter() {
    return new RetryPolicy(maxAttempts, budget, firstDelay, maxDelay, true);
  }

  /** This policy also limited to {@code attempts} tries. */
  public RetryPolicy atMost(int attempts) {
    return new RetryPolicy(attempts, budget, firstDelay, maxDelay, jitter);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Optional<Duration> budget() {
    return budget;
  }

  /** The retries of one call, from now (the first attempt is under way). */
  public Retries start() {
    return start(System::nanoTime);
  }

  /** {@link #start()} on the clock {@code nanoTime} (a test's, to spend the budget at will). */
  Retries start(LongSupplier nanoTime) {
    return new Retries(this, nanoTime);
  }

  /** The state of one call's retries; used by one thread, for one call. */
  public static final class Retries {
    private final RetryPolicy policy;
    private final LongSupplier clock;
    private final long start;
    private int attempts = 1;
    private Duration delay;

    private Retries(RetryPolicy policy, LongSupplier clock) {
      this.policy = policy;
      this.clock = clock;
      this.start = clock.getAsLong();
      this.delay = policy.firstDelay;
    }

    /**
     * The pause before the next attempt, counting that attempt; empty when the attempts are used up
     * or the pause would end past the budget.
     */
    public Optional<Duration> next() {
      if (attempts >= policy.maxAttempts) {
        return Optional.empty();
      }
      Duration pause = delay;
      if (policy.jitter) {
        pause = pause.plusMillis(ThreadLocalRandom.current().nextLong(pause.toMillis() / 2 + 1));
      }
      if (policy.budget.isPresent()
          && clock.getAsLong() + pause.toNanos() - start > policy.budget.get().toNanos()) {
        return Optional.empty();
      }
      attempts++;
      Duration doubled = delay.multipliedBy(2);
      delay = doubled.compareTo(policy.maxDelay) > 0 ? policy.maxDelay : doubled;
      return Optional.of(pause);
    }

    /** How many attempts were begun, the first included. */
    public int attempts() {
      return attempts;
    }

    /** The time since the first attempt began. */
    public Duration elapsed() {
      return Duration.ofNanos(clock.getAsLong() - start);
    }
  }
}
