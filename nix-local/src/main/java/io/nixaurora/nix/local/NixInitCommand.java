package io.nixaurora.nix.local;

import io.nixaurora.api.InitCommand;
import io.nixaurora.api.ProcessScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The init command that realises a process script on an agent and roots it in the sandbox:
 *
 * <pre>
 * [. PROFILE &amp;&amp; ][NIX_REMOTE=daemon ]BIN/nix-store [EXTRA…] --add-root .gc/PROCESS -r SCRIPT
 * </pre>
 *
 * <p>Thermos runs it as {@code /bin/bash -c} in the sandbox with a cleared environment, so the Nix
 * bin directory is absolute and configured per cluster; the profile script, when set, is sourced
 * first and a failure there stops the command. {@code nix-store -r} exits non-zero with Nix's
 * message when the path cannot be realised, and so does the init process. Every word that is not
 * made of plain path characters is single-quoted; no {@code {{} is ever emitted (Thermos would
 * read it as a template), and no {@code --indirect} (a no-op since Nix 2.4).
 *
 * <p>The binary-cache provider adds its substituter through {@link Builder#extraArguments}.
 */
public final class NixInitCommand implements InitCommand {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+=:,@%-]+");

  private final Path agentNixBinDir;
  private final boolean daemon;
  private final Optional<Path> profileScript;
  private final List<String> extraArguments;

  private NixInitCommand(Builder b) {
    this.agentNixBinDir = Objects.requireNonNull(b.agentNixBinDir, "agentNixBinDir");
    this.daemon = b.daemon;
    this.profileScript = Optional.ofNullable(b.profileScript);
    this.extraArguments = List.copyOf(b.extraArguments);
    checkWord("agent_nix_bin_dir", agentNixBinDir.toString());
    if (!agentNixBinDir.isAbsolute()) {
      throw new IllegalArgumentException(
          "agent_nix_bin_dir: must be an absolute directory, got '" + agentNixBinDir + "'");
    }
    if (profileScript.isPresent()) {
      checkWord("profile_script", profileScript.get().toString());
      if (!profileScript.get().isAbsolute()) {
        throw new IllegalArgumentException(
            "profile_script: must be an absolute file (HOME is the sandbox), got '"
                + profileScript.get()
                + "'");
      }
    }
    for (String a : extraArguments) {
      checkWord("extra argument", a);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The init command of {@code settings} (bin dir, daemon, profile). */
  public static NixInitCommand of(StoreSettings settings) {
    return builder()
        .agentNixBinDir(settings.agentNixBinDir())
        .daemon(settings.daemon())
        .profileScript(settings.profileScript().orElse(null))
        .build();
  }

  @Override
  public String cmdline(ProcessScript script) {
    String process = script.process();
    checkWord("process name", process);
    if (process.contains("/")) {
      throw new IllegalArgumentException("process name: '" + process + "' contains '/'");
    }
    StringBuilder s = new StringBuilder();
    profileScript.ifPresent(p -> s.append(". ").append(quote(p.toString())).append(" && "));
    if (daemon) {
      s.append("NIX_REMOTE=daemon ");
    }
    s.append(quote(agentNixBinDir.resolve("nix-store").toString()));
    for (String a : extraArguments) {
      s.append(' ').append(quote(a));
    }
    s.append(" --add-root ").append(quote(".gc/" + process));
    // A StorePath is always shell-safe (its characters are checked when it is made).
    s.append(" -r ").append(script.path());
    return s.toString();
  }

  /** The Nix bin directory on the agents. */
  public Path agentNixBinDir() {
    return agentNixBinDir;
  }

  /** Whether the agents' Nix runs in daemon mode. */
  public boolean daemon() {
    return daemon;
  }

  /** The file sourced first, if any. */
  public Optional<Path> profileScript() {
    return profileScript;
  }

  /** Arguments passed to {@code nix-store} before {@code --add-root}. */
  public List<String> extraArguments() {
    return extraArguments;
  }

  /** {@code word} as one shell word: unchanged when plain, else single-quoted. */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static void checkWord(String what, String value) {
    if (value.contains("{{")) {
      throw new IllegalArgumentException(
          what + ": '" + value + "' contains '{{', which Thermos would read as a template");
    }
    if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(what + ": must not contain a newline or NUL");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NixInitCommand other
        && agentNixBinDir.equals(other.agentNixBinDir)
        && daemon == other.daemon
        && profileScript.equals(other.profileScript)
        && extraArguments.equals(other.extraArguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(agentNixBinDir, daemon, profileScript, extraArguments);
  }

  @Override
  public String toString() {
    return "NixInitCommand["
        + agentNixBinDir
        + (daemon ? ", daemon" : "")
        + profileScript.map(p -> ", profile " + p).orElse("")
        + (extraArguments.isEmpty() ? "" : ", " + extraArguments)
        + "]";
  }

  /** Builds an init command. */
  public static final class Builder {
    private Path agentNixBinDir;
    private boolean daemon;
    private Path profileScript;
    private final List<String> extraArguments = new ArrayList<>();

    private Builder() {}

    /** The Nix bin directory on the agents (absolute). */
    public Builder agentNixBinDir(Path dir) {
      this.agentNixBinDir = dir;
      return this;
    }

    /** {@code true}: {@code NIX_REMOTE=daemon}. */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /** A file sourced first (absolute), or null for none. */
    public Builder profileScript(Path profileScript) {
      this.profileScript = profileScript;
      return this;
    }

    /** Adds arguments for {@code nix-store}, such as {@code --option extra-substituters URL}. */
    public Builder extraArguments(List<String> arguments) {
      this.extraArguments.addAll(arguments);
      return this;
    }

    public NixInitCommand build() {
      return new NixInitCommand(this);
    }
  }
}
