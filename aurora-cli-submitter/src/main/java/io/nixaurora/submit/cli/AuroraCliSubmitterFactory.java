package io.nixaurora.submit.cli;

import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import java.time.Duration;
import java.util.Map;
import javax.inject.Inject;

/**
 * Makes the {@code cli} submitter from the cluster's {@code submitter_settings}. Keys read (others
 * are ignored):
 *
 * <ul>
 *   <li>{@code aurora_binary}: the client, a path or a name looked up on {@code PATH} (default
 *       {@code aurora});
 *   <li>{@code timeout_seconds}: how long one client run may take before it is stopped (default
 *       300).
 * </ul>
 */
public final class AuroraCliSubmitterFactory implements SubmitterFactory {

  /** Setting: the aurora client to run. */
  public static final String AURORA_BINARY = "aurora_binary";

  /** Setting: seconds one client run may take. */
  public static final String TIMEOUT_SECONDS = "timeout_seconds";

  /** A day: longer than any sane submission, short enough to catch a typo with extra digits. */
  private static final long MAX_TIMEOUT_SECONDS = 86_400;

  @Inject
  public AuroraCliSubmitterFactory() {}

  @Override
  public String name() {
    return AuroraCliSubmitter.NAME;
  }

  /**
   * @throws IllegalArgumentException naming the key, for a bad value
   */
  @Override
  public Submitter create(Map<String, String> settings) {
    String binary = settings.getOrDefault(AURORA_BINARY, AuroraCliSubmitter.DEFAULT_BINARY);
    if (binary == null || binary.isBlank()) {
      throw new IllegalArgumentException(
          AURORA_BINARY + ": must name the aurora client (a path or a name on PATH), got ''");
    }
    Duration timeout = AuroraCliSubmitter.DEFAULT_TIMEOUT;
    String seconds = settings.get(TIMEOUT_SECONDS);
    if (seconds != null) {
      long value;
      try {
        value = Long.parseLong(seconds.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            TIMEOUT_SECONDS + ": must be a whole number of seconds, got '" + seconds + "'", e);
      }
      if (value < 1 || value > MAX_TIMEOUT_SECONDS) {
        throw new IllegalArgumentException(
            TIMEOUT_SECONDS
                + ": must be between 1 and "
                + MAX_TIMEOUT_SECONDS
                + " seconds, got "
                + value);
      }
      timeout = Duration.ofSeconds(value);
    }
    return new AuroraCliSubmitter(binary.strip(), timeout);
  }
}
