package io.nixaurora.nix.local;

import io.nixaurora.api.NixException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a failed job build into one clear {@link NixException}: {@code file:line:column: message}
 * when Nix named a place (a syntax error, a missing attribute, an aurora.nix check), else {@code
 * <job>: message} (a failed package build, with the builder's last log lines).
 */
final class BuildErrors {

  private static final Pattern LOCATION = Pattern.compile("(?m)^\\s*at (/[^:\\n]+):(\\d+):(\\d+):");
  private static final Pattern ERROR_LINE = Pattern.compile("(?m)^error: ");

  private static final Pattern ENVIRONMENT =
      Pattern.compile(
          "cannot connect to|Permission denied|opening lock file|No space left|not installed"
              + "|cannot open connection|unable to start|database disk image|Read-only file system");

  /**
   * Nix's words when a function is called with arguments it does not take; when the call is
   * eval.nix's call of the job file's function, the job file is at fault, not the library.
   */
  private static final Pattern FUNCTION_ARGUMENTS =
      Pattern.compile(
          "(?:anonymous function|function '[^']*') at (/[^:\\s]+):(\\d+):(\\d+) called"
              + " (with unexpected|without required) argument '([^']+)'");

  /**
   * Nix 2.20 and later: {@code function 'anonymous lambda' called with unexpected argument 'x'}.
   */
  private static final Pattern UNEXPECTED_ARGUMENT =
      Pattern.compile(
          "(?m)^error: function '[^']*' called (with unexpected|without required) argument"
              + " '([^']+)'");

  /** The arguments eval.nix passes to a job function. */
  private static final java.util.Set<String> PASSED = java.util.Set.of("aurora", "pkgs", "system");

  private BuildErrors() {}

  /**
   * @param e what the runner threw (its message is Nix's text from the first {@code error:} on)
   * @param job the job's file, or a description of a Java-built job, for messages without a place
   * @param renderedFile the file a Java job was rendered to, reported as {@code job} instead
   */
  static NixException describe(NixException e, String job, String renderedFile) {
    String text = e.getMessage();
    Matcher at = LOCATION.matcher(text);
    String location = null;
    if (at.find()) {
      String file = at.group(1);
      if (renderedFile != null && file.equals(renderedFile)) {
        file = job;
      }
      location = file + ":" + at.group(2) + ":" + at.group(3);
    }
    Matcher call = FUNCTION_ARGUMENTS.matcher(text);
    if (location != null && location.contains("/eval.nix:") && call.find()) {
      String file = call.group(1);
      if (renderedFile != null && file.equals(renderedFile)) {
        file = job;
      }
      String place = file + ":" + call.group(2) + ":" + call.group(3);
      return argumentsProblem(place, call.group(4), call.group(5));
    }
    Matcher newer = UNEXPECTED_ARGUMENT.matcher(text);
    if (location != null && newer.find() && location.startsWith(job)) {
      // Nix 2.20 and later: the error is placed at the function itself (here the job file's own
      // function; the call site in eval.nix is cut from the trace), without 2.8's call site.
      if (!newer.group(1).equals("with unexpected") || PASSED.contains(newer.group(2))) {
        return argumentsProblem(location, newer.group(1), newer.group(2));
      }
    }
    String message = firstError(text);
    if (location == null && !e.jobAtFault() && isEnvironmentFault(message)) {
      // Not the job's fault (Nix missing, the daemon unreachable …): Nix's message as it is.
      return new NixException(message, null, false);
    }
    String prefix = location != null ? location : job;
    return new NixException(prefix + ": " + message, location, true);
  }

  /**
   * The job's function does not take what eval.nix passes ({@code kind} "with unexpected") or wants
   * what it does not pass ("without required"), at {@code place}.
   */
  private static NixException argumentsProblem(String place, String kind, String argument) {
    String problem =
        kind.equals("with unexpected")
            ? "the job's function does not accept the argument '"
                + argument
                + "' nix-aurora passes: write `{ aurora, pkgs, ... }:` (with `...`)"
            : "the job's function requires the argument '"
                + argument
                + "', which nix-aurora does not pass (it passes aurora, pkgs and system)";
    return new NixException(place + ": " + problem, place, true);
  }

  /** Failures of the machine or Nix installation rather than of the job being built. */
  private static boolean isEnvironmentFault(String message) {
    return ENVIRONMENT.matcher(message).find();
  }

  /**
   * The first {@code error:} of Nix's output, without the {@code error: } prefix, the code excerpt,
   * the location line and hints; a builder's log lines are kept.
   */
  static String firstError(String text) {
    Matcher m = ERROR_LINE.matcher(text);
    int start = m.find() ? m.end() : 0;
    Matcher next = ERROR_LINE.matcher(text);
    int end = next.find(start) ? next.start() : text.length();
    List<String> kept = new ArrayList<>();
    for (String line : text.substring(start, end).split("\n", -1)) {
      String s = line.strip();
      if (LOCATION.matcher(line).find()
          || s.startsWith("(use '--show-trace'")
          || s.matches("\\d*\\|.*")) {
        break;
      }
      if (!s.isEmpty()) {
        kept.add(kept.isEmpty() ? s : "  " + s);
      }
    }
    return kept.isEmpty() ? text.strip() : String.join("\n", kept);
  }
}
