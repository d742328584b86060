package io.nixaurora.nix.local;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings what Nix 2.8 to 2.34 print on failure into one shape (2.8's), so that one reading of it
 * serves every version and the user's message keeps its budget:
 *
 * <ul>
 *   <li>Since about 2.20 an evaluation error starts with a bare {@code error:} and the trace
 *       ({@code … while calling …}, {@code (stack trace truncated …)}); the error itself comes
 *       last, indented. It becomes {@code error: <message>} followed by its own location.
 *   <li>2.34's {@code Cannot build '<drv>'. Reason: builder failed with exit code 3. Output paths:
 *       …} becomes {@code builder for '<drv>' failed with exit code 3;} (the output paths, which
 *       the user has no use for, are left out), and {@code Reason: 1 dependency failed.} becomes
 *       {@code 1 dependencies of derivation '<drv>' failed to build}.
 *   <li>2.26's and 2.34's two-line {@code For full logs, run:} hint becomes one line.
 * </ul>
 */
final class NixMessages {

  private static final Pattern BARE_ERROR = Pattern.compile("^error:\\s*$");
  private static final Pattern NESTED_ERROR = Pattern.compile("^(\\s+)error: (.*)$");
  private static final Pattern CANNOT_BUILD = Pattern.compile("^error: Cannot build '([^']+)'\\.$");
  private static final Pattern REASON = Pattern.compile("^\\s+Reason: (.*?)\\.?$");
  private static final Pattern BUILDER_FAILED = Pattern.compile("^builder failed (.*)$");
  private static final Pattern DEPENDENCIES_FAILED =
      Pattern.compile("^(\\d+) dependenc(?:y|ies) failed$");
  private static final Pattern LAST_LINES = Pattern.compile("^(\\s+)[Ll]ast (\\d+ log lines:)$");
  private static final Pattern FULL_LOGS = Pattern.compile("^(\\s*)For full logs, run:\\s*$");

  private NixMessages() {}

  /** {@code stderr} (without ANSI colours) in Nix 2.8's shape. */
  static String normalise(String stderr) {
    List<String> in = stderr.lines().toList();
    List<String> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      String line = in.get(i);
      if (BARE_ERROR.matcher(line).matches()) {
        int nested = lastNestedError(in, i + 1);
        if (nested > 0) {
          Matcher m = NESTED_ERROR.matcher(in.get(nested));
          m.matches();
          out.add("error: " + m.group(2));
          int indent = m.group(1).length();
          int j = nested + 1;
          for (; j < in.size() && !in.get(j).startsWith("error:"); j++) {
            out.add(dedent(in.get(j), indent));
          }
          i = j - 1;
          continue;
        }
      }
      Matcher cannot = CANNOT_BUILD.matcher(line);
      if (cannot.matches() && i + 1 < in.size()) {
        Matcher reason = REASON.matcher(in.get(i + 1));
        if (reason.matches()) {
          String drv = cannot.group(1);
          Matcher builder = BUILDER_FAILED.matcher(reason.group(1));
          Matcher deps = DEPENDENCIES_FAILED.matcher(reason.group(1));
          int next = skipOutputPaths(in, i + 2);
          if (builder.matches()) {
            boolean log = next < in.size() && LAST_LINES.matcher(in.get(next)).matches();
            out.add(
                "error: builder for '" + drv + "' failed " + builder.group(1) + (log ? ";" : ""));
          } else if (deps.matches()) {
            out.add(
                "error: "
                    + deps.group(1)
                    + " dependencies of derivation '"
                    + drv
                    + "' failed to build");
          } else {
            out.add("error: cannot build '" + drv + "': " + reason.group(1));
          }
          i = next - 1;
          continue;
        }
      }
      Matcher last = LAST_LINES.matcher(line);
      if (last.matches()) {
        // 2.34 capitalises it; 2.8 to 2.26 print "last 1 log lines:".
        out.add(last.group(1) + "last " + last.group(2));
        continue;
      }
      Matcher logs = FULL_LOGS.matcher(line);
      if (logs.matches() && i + 1 < in.size() && !in.get(i + 1).isBlank()) {
        out.add(logs.group(1) + "For full logs, run '" + in.get(i + 1).strip() + "'.");
        i++;
        continue;
      }
      out.add(line);
    }
    return String.join("\n", out) + (stderr.endsWith("\n") ? "\n" : "");
  }

  /** The index of the last indented {@code error:} of the trace starting at {@code from}, or -1. */
  private static int lastNestedError(List<String> lines, int from) {
    int found = -1;
    for (int j = from; j < lines.size() && !lines.get(j).startsWith("error:"); j++) {
      if (NESTED_ERROR.matcher(lines.get(j)).matches()) {
        found = j;
      }
    }
    return found;
  }

  /** Past an {@code Output paths:} block (the header and its more-indented paths). */
  private static int skipOutputPaths(List<String> lines, int from) {
    if (from >= lines.size() || !lines.get(from).strip().equals("Output paths:")) {
      return from;
    }
    int indent = indentOf(lines.get(from));
    int j = from + 1;
    while (j < lines.size() && !lines.get(j).isBlank() && indentOf(lines.get(j)) > indent) {
      j++;
    }
    return j;
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static String dedent(String line, int indent) {
    int n = Math.min(indent, indentOf(line));
    return line.substring(n);
  }
}
