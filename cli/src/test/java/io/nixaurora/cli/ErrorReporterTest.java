package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nixaurora.api.StoreException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The error text the many-jobs commands put in --json: no more than stderr shows. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorReporterTest {

  @Test
  void aJsonErrorMasksThePasswordOfAUrlAsStderrDoes() {
    String json =
        ErrorReporter.forJson(
            new StoreException("cannot reach https://ops:hunter2@cache.internal/nix-cache-info"));
    assertEquals("cannot reach https://ops:***@cache.internal/nix-cache-info", json);
  }
}
