package io.nixaurora.cli;

import io.nixaurora.api.CacheException;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.SubmitException;
import io.nixaurora.core.JobRefusedException;
import io.nixaurora.support.SafeText;
import io.nixaurora.support.Urls;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Turns a failure into what the user sees: one clear line (a few for a list of problems), then what
 * to do. A stack trace only with {@code --stacktrace}.
 */
public final class ErrorReporter
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  /** Exit code for an unexpected failure (a bug). */
  static final int INTERNAL_ERROR = 1;

  /** Lines of a long message shown without {@code --verbose}. */
  private static final int MAX_LINES = 6;

  /** Characters of one line shown without {@code --verbose} (a scheduler's details can be MBs). */
  static final int MAX_LINE = 1000;

  private final GlobalOptions options;

  public ErrorReporter(GlobalOptions options) {
    this.options = options;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    return report(e, commandLine.getErr());
  }

  /** Prints {@code e} and returns its exit code. */
  public int report(Throwable e, PrintWriter err) {
    return report(e, err, null);
  }

  /**
   * Prints {@code e} as the failure of one job of several ({@code error: JOB: …}) and returns its
   * exit code.
   *
   * @param job how the job is named, or null for the command's own failure
   */
  public int report(Throwable e, PrintWriter err, String job) {
    if (Interruption.jvmShuttingDown()) {
      // A SIGINT/SIGTERM stopped the command's children: the failure is the signal's doing, and
      // the shutdown hook says in one line what was interrupted (the JVM's exit code stands).
      return 130;
    }
    int code;
    String message;
    String hint;
    if (e instanceof NixAuroraException n) {
      code = n.exitCode();
      message = n.getMessage();
      hint = suggestion(n);
    } else if (e instanceof InterruptedException) {
      code = 130;
      message = "interrupted";
      hint = null;
    } else {
      code = INTERNAL_ERROR;
      message =
          "internal error: " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
      hint = "this is a bug in nix-aurora; rerun with --stacktrace and report the trace";
    }
    // Text from servers and the aurora client: control characters escaped (they could retitle
    // the terminal or forge lines), passwords in URLs masked, long lines cut unless --verbose.
    List<String> lines =
        SafeText.escape(Urls.shown(plain(message == null ? "failed" : message)))
            .strip()
            .lines()
            .map(l -> options.verbose() ? l : cutLine(l))
            .toList();
    if (lines.isEmpty()) {
      lines = List.of("failed");
    }
    int shown = options.verbose() ? lines.size() : Math.min(lines.size(), MAX_LINES);
    String first = lines.get(0);
    if (job != null) {
      first = SafeText.escape(job) + ": " + first;
    }
    err.println(first.startsWith("error") ? first : "error: " + first);
    for (int i = 1; i < shown; i++) {
      err.println(lines.get(i));
    }
    if (shown < lines.size()) {
      err.println("  … " + (lines.size() - shown) + " more lines (--verbose shows them)");
    }
    if (hint != null) {
      err.println("hint: " + hint);
    }
    if (options.stacktrace()) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * An error's text for {@code --json}: as on stderr, passwords in URLs masked and JDK class names
   * worded (JSON escapes control characters itself, and nothing is cut).
   */
  static String forJson(Throwable e) {
    String message = e.getMessage();
    return Urls.shown(plain(message == null ? "failed" : message));
  }

  private static String cutLine(String line) {
    return line.length() <= MAX_LINE
        ? line
        : SafeText.cut(line, MAX_LINE)
            + " ("
            + (line.length() - MAX_LINE + 1)
            + " more characters; --verbose shows them)";
  }

  private static final Pattern JAVA_EXCEPTION =
      Pattern.compile("\\b(?:java|javax|sun|jdk)\\.[\\w.]*\\.(\\w+(?:Exception|Error))(?::\\s*)?");

  /**
   * Libraries sometimes pass a JDK exception's text through; users should read what happened ("no
   * such file"), not a class name.
   */
  static String plain(String message) {
    Matcher m = JAVA_EXCEPTION.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String words =
          switch (m.group(1)) {
            case "NoSuchFileException" -> "no such file: ";
            case "AccessDeniedException" -> "permission denied: ";
            case "FileAlreadyExistsException" -> "already exists: ";
            case "NotDirectoryException" -> "not a directory: ";
            case "ConnectException" -> "connection refused ";
            case "UnknownHostException" -> "unknown host: ";
            case "HttpTimeoutException", "HttpConnectTimeoutException", "SocketTimeoutException" ->
                "timed out ";
            case "SSLHandshakeException", "SSLException" -> "TLS failed: ";
            // java.lang ones are kept by their simple name: a scheduler's 500 page naming its
            // NullPointerException says more than the page without it. I/O ones say nothing
            // the rest of the message does not.
            default -> m.group().startsWith("java.lang.") ? m.group(1) + ": " : "";
          };
      m.appendReplacement(out, Matcher.quoteReplacement(words));
    }
    m.appendTail(out);
    return out.toString().replace(": : ", ": ");
  }

  /** What to do about a failure (jib's HelpfulSuggestions). */
  static String suggestion(NixAuroraException e) {
    if (e instanceof CliException c) {
      return c.suggestion();
    }
    if (e instanceof JobRefusedException r) {
      return r.suggestion().orElse(null);
    }
    if (e instanceof InvalidJobException) {
      return "fix the fields named above in the job file; nothing was built further, pushed or"
          + " submitted";
    }
    if (e instanceof NixException n) {
      String m = String.valueOf(n.getMessage());
      if (m.contains("Nix is not installed") || m.contains("cannot run")) {
        return "install Nix (Debian/Ubuntu: `apt-get install nix-bin`; elsewhere see"
            + " https://nixos.org/download) or set local_nix_bin_dir";
      }
      if (n.jobAtFault()) {
        return n.location().map(l -> "fix the job at " + l).orElse("fix the job file");
      }
      return "run `nix-aurora doctor` to check the Nix installation";
    }
    String setting = settingNamed(e.getMessage());
    if (setting != null && !(e instanceof SubmitException)) {
      return "fix the setting '"
          + setting
          + "' (`nix-aurora config CLUSTER` shows where it is set)"
          + (setting.equals("secret_key_file")
              ? "; make a key with `nix-aurora cache keygen NAME`"
              : "");
    }
    if (e instanceof CacheException c) {
      return switch (c.kind()) {
        case NETWORK ->
            "check that the cache is reachable (`nix-aurora doctor CLUSTER`) and"
                + " cache_url is right";
        case AUTHENTICATION ->
            "check the cache credentials (netrc_file or ~/.netrc; for s3:// the AWS"
                + " environment or ~/.aws/credentials)";
        case FAILURE -> "check the cache with `nix-aurora cache verify URL --public-key KEY`";
      };
    }
    if (e instanceof StoreException) {
      return "check the store settings with `nix-aurora doctor CLUSTER`";
    }
    if (e instanceof SubmitException s) {
      return switch (s.exitCode()) {
        // A submitter's own refusal (exit 3, not the scheduler's) says what to do itself.
        case 3 ->
            s instanceof SubmitException.InvalidConfiguration
                ? "the scheduler refused the configuration; fix the job"
                : null;
        case 4 -> "see the scheduler's message above (`nix-aurora status KEY` shows the job)";
        case 7 -> "check that the scheduler is reachable (`nix-aurora doctor CLUSTER`)";
        case 9 ->
            "the scheduler did not answer in time; check it is reachable (`nix-aurora doctor"
                + " CLUSTER`), or raise retry_budget_seconds / timeout_seconds";
        case 30 -> "check the credentials (username/password, netrc_file or ~/.netrc)";
        default -> null;
      };
    }
    return null;
  }

  /** The configuration key a library's message starts with ({@code secret_key_file: …}), if any. */
  private static String settingNamed(String message) {
    if (message == null) {
      return null;
    }
    int colon = message.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String head = message.substring(0, colon);
    // The backends' keys are theirs to declare; a library message starting with a snake_case
    // word and a colon names one (secret_key_file: ..., cache_url: ...).
    return Setting.forKey(head).isPresent() || head.matches("[a-z][a-z0-9]*(_[a-z0-9]+)+")
        ? head
        : null;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("hint: see `" + cmd.getCommandSpec().qualifiedName() + " --help`");
    if (options.stacktrace()) {
      ex.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
