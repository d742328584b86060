package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.RealAurora;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code aurora-0.22-api.json} that {@link AuroraApiTest} checks the names against is
 * what {@code dump_api.py} makes of the real Aurora 0.22 generated code now (needs CPython 2.7, see
 * {@link RealAurora}).
 */
class AuroraApiDumpIT {
  @TempDir Path dir;

  @Test
  void theCommittedDumpIsTheRealGeneratedApi() throws Exception {
    RealAurora aurora = RealAurora.locate();
    Path script = dir.resolve("dump_api.py");
    try (InputStream in = AuroraApiTest.class.getResourceAsStream("aurora-api/dump_api.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path out = dir.resolve("api.json");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(aurora.home().resolve("bin/python2").toString(), script.toString())
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("PYTHONPATH", aurora.home().resolve("lib/python").toString());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = builder.start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("dump_api.py did not finish within 60 s");
      }
    } finally {
      process.destroyForcibly();
    }
    assertEquals(0, process.exitValue(), () -> "dump_api.py failed: " + read(err));
    assertEquals(AuroraApiTest.dump(), new ObjectMapper().readTree(out.toFile()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }
}
