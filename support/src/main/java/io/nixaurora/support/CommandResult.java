package io.nixaurora.support;

import java.nio.charset.StandardCharsets;

/**
 * What a finished program left: its exit code and what it printed, each stream capped at the
 * command's output limit (stdout's first bytes, stderr's last).
 *
 * @param exitCode the exit code; 128 + N for a program ended by signal N, as a shell reports it
 * @param stdoutTruncated whether stdout was longer than the limit (its first bytes are kept)
 * @param stderrTruncated whether stderr was longer than the limit (its last bytes are kept)
 */
public record CommandResult(
    int exitCode, byte[] stdout, byte[] stderr, boolean stdoutTruncated, boolean stderrTruncated) {

  public CommandResult {
    stdout = stdout.clone();
    stderr = stderr.clone();
  }

  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public byte[] stderr() {
    return stderr.clone();
  }

  /** stdout as UTF-8 text. */
  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** stderr as UTF-8 text. */
  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "CommandResult[exitCode="
        + exitCode
        + ", stdout="
        + stdout.length
        + " bytes, stderr="
        + stderr.length
        + " bytes]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommandResult r
        && exitCode == r.exitCode
        && java.util.Arrays.equals(stdout, r.stdout)
        && java.util.Arrays.equals(stderr, r.stderr)
        && stdoutTruncated == r.stdoutTruncated
        && stderrTruncated == r.stderrTruncated;
  }

  @Override
  public int hashCode() {
    return 31 * exitCode
        + java.util.Arrays.hashCode(stdout)
        + 7 * java.util.Arrays.hashCode(stderr);
  }
}
