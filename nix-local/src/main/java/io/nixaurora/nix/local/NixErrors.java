package io.nixaurora.nix.local;

import io.nixaurora.api.NixException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what a failed Nix command printed into a {@link NixException}. */
final class NixErrors {

  // Nix 2.8 prints "at /path/file.nix:3:5:" (and "at «string»:1:2:") under the error.
  private static final Pattern LOCATION = Pattern.compile("(?m)^\\s*at (/[^:\\s]+):(\\d+):(\\d+):");
  private static final Pattern ERROR_START = Pattern.compile("(?m)^error:");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");

  private NixErrors() {}

  static NixException from(String tool, int exit, String stderr) {
    String clean = NixMessages.normalise(ANSI.matcher(stderr).replaceAll(""));
    String message = errorText(clean);
    if (message.isEmpty()) {
      message = tool + " exited with status " + exit;
    }
    Matcher m = LOCATION.matcher(clean);
    String location = null;
    while (m.find()) {
      // The innermost frame is printed first; take the first location.
      location = m.group(1) + ":" + m.group(2) + ":" + m.group(3);
      break;
    }
    return new NixException(message, location, location != null || isJobFault(clean));
  }

  /** The {@code error: …} part of Nix's output, without build-log noise before it. */
  static String errorText(String stderr) {
    // At the start of a line: "warning: error: unable to download …" is not the error.
    Matcher m = ERROR_START.matcher(stderr);
    String text = m.find() ? stderr.substring(m.start()) : stderr;
    return text.strip();
  }

  private static boolean isJobFault(String stderr) {
    return stderr.contains("builder for") || stderr.contains("failed with exit code");
  }
}
