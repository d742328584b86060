package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http submitter is made with the command's console: its warnings reach stderr, its debug lines
 * only with {@code --verbose}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpSubmitterEventsTest {

  @TempDir Path tmp;

  private Cli cli() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens there once closed: connection refused
    }
    Path root = Files.createDirectories(tmp.resolve("aurora"));
    Files.writeString(
        root.resolve("clusters.json"),
        "[{\"name\": \"devcluster\", \"scheduler_uri\": \"http://127.0.0.1:"
            + closed
            + "\", \"auth_mechanism\": \"KERBEROS\"}]");
    Cli cli = new Cli(tmp);
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"submitter\": \"http\", \"aurora_config_root\": \""
            + root
            + "\", \"retry_budget_seconds\": 0}}}");
    return cli;
  }

  @Test
  void theAuthMechanismWarningReachesTheConsole() throws Exception {
    Cli.Result r = cli().run("status", "devcluster/vagrant/devel/hello");
    assertNotEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("asks for auth_mechanism KERBEROS"), r.err());
    assertFalse(r.err().contains("scheduler for devcluster:"), "a debug line without -v: " + r);
  }

  @Test
  void doctorWarnsAboutTheAuthMechanismAndFailsOnTheDeadScheduler() throws Exception {
    Cli.Result r = cli().run("doctor", "devcluster");
    assertTrue(
        r.out().contains("WARN  cluster devcluster asks for auth_mechanism KERBEROS"), r.out());
    assertTrue(
        r.out().matches("(?s).*FAIL  scheduler http://127.0.0.1:\\d+ unreachable.*"), r.out());
  }

  @Test
  void itsDebugLinesShowWithVerbose() throws Exception {
    Cli.Result r = cli().run("status", "devcluster/vagrant/devel/hello", "--verbose");
    assertTrue(r.err().contains("scheduler for devcluster: http://127.0.0.1:"), r.err());
  }
}
