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
 * What nix-build printed for the same bad jobs (those of {@link BadJobTest}) on Nix 2.8.0, 2.26.3
 * and 2.34.8 (captured; the temporary directory renamed /home/alice): the user gets the same short
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
  void aJobFunctionRefusingAnArgumentIsReadAsNix28ShowsIt() {
    // Captured from Nix 2.26.3 (Debian trixie): the call site is in the trace, the function's
    // place after the error; 2.8 names the function's place in the message and the call site as
    // the location, which is what tells a job written without `...`.
    String nix226 =
        String.join(
            "\n",
            "error:",
            "       … from call site",
            "         at /lib/eval.nix:3:4:",
            "            2| let f = import jobFile; in",
            "            3|   (f { aurora = 1; pkgs = 2; system = \"x\"; }) + 1",
            "             |    ^",
            "            4|",
            "",
            "       error: function 'anonymous lambda' called with unexpected argument 'system'",
            "       at /jobs/nodots/default.nix:1:1:",
            "            1| { aurora }:",
            "             | ^",
            "            2| aurora",
            "");
    String shaped = NixMessages.normalise(nix226);
    assertTrue(
        shaped.startsWith(
            "error: anonymous function at /jobs/nodots/default.nix:1:1 called with unexpected"
                + " argument 'system'\n\n       at /lib/eval.nix:3:4:"),
        shaped);
    NixException e =
        BuildErrors.describe(
            new NixException(shaped, null, true), "/jobs/nodots/default.nix", null);
    assertTrue(
        e.getMessage()
            .startsWith(
                "/jobs/nodots/default.nix:1:1: the job's function does not accept the argument"
                    + " 'system'"),
        e.getMessage());
  }
}
