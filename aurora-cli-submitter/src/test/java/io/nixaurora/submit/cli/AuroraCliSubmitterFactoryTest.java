package io.nixaurora.submit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dagger.Component;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuroraCliSubmitterFactoryTest {

  private static final JobKey KEY = new JobKey("devcluster", "vagrant", "devel", "hello_world");

  /** The way the cli wires backends: the module's factory lands in the map under "cli". */
  @Component(modules = AuroraCliSubmitterModule.class)
  interface Backends {
    Map<String, SubmitterFactory> submitters();
  }

  @Test
  void theModuleBindsTheFactoryAsCli() {
    Map<String, SubmitterFactory> submitters =
        DaggerAuroraCliSubmitterFactoryTest_Backends.create().submitters();

    assertEquals(java.util.Set.of("cli"), submitters.keySet());
    assertInstanceOf(AuroraCliSubmitterFactory.class, submitters.get("cli"));
    assertEquals("cli", submitters.get("cli").name());
  }

  @Test
  void defaultsToAuroraOnPath() {
    Submitter submitter = new AuroraCliSubmitterFactory().create(Map.of("scheduler_uri", "x"));

    assertEquals("cli", submitter.name());
  }

  @Test
  void usesTheConfiguredBinary(@TempDir Path dir) {
    Path missing = dir.resolve("aurora-0.22");
    Submitter submitter =
        new AuroraCliSubmitterFactory()
            .create(Map.of("aurora_binary", missing.toString(), "timeout_seconds", "5"));

    SubmitException e = assertThrows(SubmitException.class, () -> submitter.kill(KEY));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void usesTheConfiguredTimeout(@TempDir Path dir) throws Exception {
    FakeAurora aurora = new FakeAurora(dir);
    aurora.hang("job", "killall");
    // The factory's submitter uses this process's environment, so point it at the fake directly.
    // The script needs FAKE_AURORA_DIR, which the factory cannot set: use a wrapper that sets it.
    Path wrapper = dir.resolve("aurora-wrapper");
    java.nio.file.Files.writeString(
        wrapper,
        "#!/bin/bash\nexport FAKE_AURORA_DIR="
            + aurora.environment().get("FAKE_AURORA_DIR")
            + "\nexec "
            + aurora.executable()
            + " \"$@\"\n");
    java.nio.file.Files.setPosixFilePermissions(
        wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Submitter submitter =
        new AuroraCliSubmitterFactory()
            .create(Map.of("aurora_binary", wrapper.toString(), "timeout_seconds", "1"));

    SubmitException.Timeout e =
        assertThrows(SubmitException.Timeout.class, () -> submitter.kill(KEY));
    assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ten", "0", "-5", "1.5", "86401", "99999999999999999999"})
  void aBadTimeoutIsRejectedNamingTheKey(String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AuroraCliSubmitterFactory().create(Map.of("timeout_seconds", value)));
    assertTrue(e.getMessage().startsWith("timeout_seconds: "), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void anEmptyBinaryIsRejectedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AuroraCliSubmitterFactory().create(Map.of("aurora_binary", "  ")));
    assertTrue(e.getMessage().startsWith("aurora_binary: "), e.getMessage());
  }
}
