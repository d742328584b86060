package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nixaurora.api.SubmitException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 8, 9 and 14 as the user sees them: doctor against a dead scheduler, an HTML
 * nix-cache-info and a missing netrc_file; passwords in URLs; escape sequences and long text in
 * errors.
 */
@Timeout(120)
class HostileNetworkCliIT {

  @TempDir Path tmp;

  private static int deadPort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void doctorNamesADeadSchedulerWithoutJavaNamesOrPasswords() throws Exception {
    Cli cli = new Cli(tmp);
    cli.config(
        """
        {"clusters": {"dead": {"submitter": "http",
          "scheduler_uri": "http://aurora:hunter2@127.0.0.1:%d/"}}}
        """
            .formatted(deadPort()));

    Cli.Result r = cli.run("doctor", "dead");

    assertTrue(r.out().contains("connection refused"), r.toString());
    assertFalse(r.toString().contains("java.net"), r.toString());
    assertFalse(r.toString().contains("Exception"), r.toString());
    assertFalse(r.toString().contains("hunter2"), r.toString());
    assertTrue(r.out().contains("http://aurora:***@127.0.0.1:"), r.toString());
  }

  @Test
  void doctorFlagsAnHtmlNixCacheInfoAndAMissingNetrcFile() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          byte[] page =
              "<html><body>Welcome to nginx!</body></html>\n".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, page.length);
          x.getResponseBody().write(page);
          x.close();
        });
    server.start();
    try {
      Cli cli = new Cli(tmp);
      assertEquals(
          0,
          cli.run("cache", "keygen", "doc-1", "--out-dir", tmp.resolve("keys").toString())
              .exitCode());
      cli.config(
          """
          {"clusters": {"web": {"store": "binary-cache",
            "cache_url": "http://127.0.0.1:%d/cache", "secret_key_file": "%s",
            "netrc_file": "%s"}}}
          """
              .formatted(
                  server.getAddress().getPort(),
                  tmp.resolve("keys/doc-1.sec"),
                  tmp.resolve("no-such-netrc")));

      Cli.Result r = cli.run("doctor", "web");

      assertEquals(CliException.COMMAND_FAILURE, r.exitCode(), r.toString());
      assertTrue(
          r.out().contains("FAIL  netrc_file " + tmp.resolve("no-such-netrc") + " does not exist"),
          r.toString());
      assertTrue(r.out().contains("(an HTML page?)"), r.toString());
      assertFalse(r.out().contains("reachable (nix-cache-info present)"), r.toString());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aMalformedCacheUrlNeverEchoesItsPassword() throws Exception {
    Cli cli = new Cli(tmp);
    Cli.Result r =
        cli.run(
            "cache",
            "verify",
            "http://pusher:hunter2@cache example/x",
            "--public-key",
            "k-1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    assertEquals(CliException.USAGE, r.exitCode(), r.toString());
    assertFalse(r.toString().contains("hunter2"), r.toString());
    assertTrue(r.err().contains("pusher:***@"), r.toString());
  }

  private static String report(Exception e, boolean verbose) {
    GlobalOptions options = new GlobalOptions();
    options.verbose(verbose);
    StringWriter err = new StringWriter();
    new ErrorReporter(options).report(e, new PrintWriter(err, true));
    return err.toString();
  }

  @Test
  void serverTextIsEscapedAndCutUnlessVerbose() {
    String hostile =
        "details: \u001b]0;owned\u0007\u001b[2K\rfake: everything fine " + "x".repeat(5000);
    SubmitException e = new SubmitException.CommandFailed(hostile);

    String shown = report(e, false);
    assertFalse(shown.contains("\u001b"), shown);
    assertFalse(shown.contains("\r"), shown);
    assertTrue(shown.contains("\\e]0;owned\\x07\\e[2K\\rfake"), shown);
    assertTrue(shown.contains("--verbose shows them"), shown);
    assertTrue(shown.length() < 1500, "cut: " + shown.length());

    String full = report(e, true);
    assertTrue(full.contains("x".repeat(5000)), "whole under --verbose");
    assertFalse(full.contains("\u001b"), "escaped under --verbose too");
  }

  @Test
  void theSchedulersNullPointerExceptionIsKept() {
    String shown =
        report(
            new SubmitException.Network(
                "getTasksWithoutConfigs: the scheduler at http://s/api answered HTTP 500:"
                    + " java.lang.NullPointerException: task store is null"),
            false);
    assertTrue(shown.contains("NullPointerException: task store is null"), shown);
  }

  @Test
  void schedulerRetriesAreAnnouncedNotSilent() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          x.getRequestBody().readAllBytes();
          x.sendResponseHeaders(503, -1);
          x.close();
        });
    server.start();
    try {
      Cli cli = new Cli(tmp);
      cli.config(
          """
          {"clusters": {"devcluster": {"submitter": "http",
            "scheduler_uri": "http://127.0.0.1:%d/", "retry_budget_seconds": 2}}}
          """
              .formatted(server.getAddress().getPort()));

      Cli.Result r = cli.run("status", "devcluster/vagrant/devel/x");

      assertEquals(9, r.exitCode(), r.toString());
      assertTrue(r.err().contains("warning: getTasksWithoutConfigs: HTTP 503"), r.toString());
      assertEquals(1, r.err().lines().filter(l -> l.startsWith("warning:")).count(), "said once");
    } finally {
      server.stop(0);
    }
  }
}
