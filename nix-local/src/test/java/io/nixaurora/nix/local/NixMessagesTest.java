package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.NixException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What nix-build printed for the same bad jobs (those of {@link BadJobIT}) on Nix 2.8.0, 2.26.3 and
 * 2.34.8 (captured; the temporary directory renamed /home/alice): the user gets the same short
 * message from each, naming the job file and line.
 */
@Timeout(10)
class NixMessagesTest {

  private static final List<String> VERSIONS = List.of("2.8.0", "2.26.3", "2.34.8");
  private static final String JOB = "/home/alice/job/default.nix";

  static String captured(String name) throws IOException {
    try (InputStream in = NixMessagesTest.class.getResourceAsStream("/nix-output/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static NixException described(String name) throws IOException {
    return BuildErrors.describe(NixErrors.from("nix-build", 1, captured(name)), JOB, null);
  }

  private static void sameOnEveryVersion(String kind, String location, String message)
      throws IOException {
    for (String v : VERSIONS) {
      NixException e = described("nix-build-" + v + "-" + kind + ".txt");
      assertEquals(location + ": " + message, e.getMessage(), v);
      assertEquals(Optional.of(location), e.location(), v);
      assertTrue(e.jobAtFault(), v);
    }
  }

  @Test
  void anEvaluationErrorIsOneLineWithItsPlaceInTheJob() throws Exception {
    sameOnEveryVersion("eval-error", JOB + ":7:43", "attribute 'python9' missing");
  }

  @Test
  void aSyntaxErrorIsOneLine() throws Exception {
    sameOnEveryVersion("syntax-error", JOB + ":5:8", "syntax error, unexpected '=', expecting ';'");
  }

  @Test
  void aTypeErrorNamesTheFieldNotTheLibraryFrameNix226AndLaterPrintFirst() throws Exception {
    sameOnEveryVersion(
        "type-error", JOB + ":8:29", "Resources.cpu: expected a number, got a string");
    sameOnEveryVersion(
        "nested-type-error",
        JOB + ":4:56",
        "VariableBatchUpdateStrategy.batch_sizes[1]: expected an integer, got a string");
  }

  @Test
  void aFailedBuildIsTheBuilderLineItsLogAndOneHint() throws Exception {
    String drv = "/nix/store/kwc0wjpnih59fzm0b8iqnw4l0z3qrj7z-broken.drv";
    for (String v : VERSIONS) {
      NixException e = described("nix-build-" + v + "-build-failure.txt");
      List<String> lines = e.getMessage().lines().toList();
      assertEquals(
          List.of(
              JOB + ": builder for '" + drv + "' failed with exit code 3;",
              "  last 1 log lines:",
              "  > compiler exploded"),
          lines.subList(0, 3),
          v);
      // 2.8 says `nix log`, later versions `nix-store -l`; either way one line, no output paths.
      assertEquals(4, lines.size(), e.getMessage());
      assertTrue(
          lines
              .get(3)
              .matches("  For full logs, run '(nix log|nix-store -l) \\Q" + drv + "\\E'\\."),
          v);
      assertEquals(Optional.empty(), e.location());
      assertTrue(e.jobAtFault(), v);
    }
  }

  /**
   * As a user without network sees it (the default substituter cache.nixos.org unreachable): the
   * retry warnings and 2.34's "Cannot build … Reason: … Output paths:" blocks become one line.
   */
  @Test
  void withoutNetworkTheWarningsAndReasonBlocksAreNotInTheMessage() throws Exception {
    for (String v : List.of("2.26.3", "2.34.8")) {
      NixException e = described("nix-build-" + v + "-build-failure-offline.txt");
      assertEquals(
          JOB
              + ": builder for '/nix/store/1vcd11lxkpfrfmv7xd9hlv9sj1l97ml7-bad.drv' failed with"
              + " exit code 3",
          e.getMessage(),
          v);
    }
  }

  @Test
  void aJobFunctionRefusingAnArgumentNamesTheJobFileOnNix226AndLater() {
    // Captured from nix-build of eval.nix on Nix 2.26.3 (Debian trixie): the trace is cut before
    // eval.nix's call site, and the error is placed at the job file's function.
    String nix226 =
        String.join(
            "\n",
            "error:",
            "       … while evaluating the 'name' attribute of a derivation",
            "",
            "       … while calling the 'substring' builtin",
            "         at /lib/aurora.nix:1:14702:",
            "       … while calling the 'concatStringsSep' builtin",
            "         at /lib/aurora.nix:1:14577:",
            "       (stack trace truncated; use '--show-trace' to show the full, detailed trace)",
            "",
            "       error: function 'anonymous lambda' called with unexpected argument 'system'",
            "       at /jobs/nodots/default.nix:1:1:",
            "            1| { aurora }:",
            "             | ^",
            "            2| aurora",
            "");
    NixException e =
        BuildErrors.describe(
            new NixException(NixMessages.normalise(nix226), null, true), "/jobs/nodots", null);
    assertEquals(
        "/jobs/nodots/default.nix:1:1: the job's function does not accept the argument 'system'"
            + " nix-aurora passes: write `{ aurora, pkgs, ... }:` (with `...`)",
        e.getMessage());
  }
}
