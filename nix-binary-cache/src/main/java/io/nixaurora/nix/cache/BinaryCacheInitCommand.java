package io.nixaurora.nix.cache;

import io.nixaurora.api.InitCommand;
import io.nixaurora.api.ProcessScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The binary-cache provider's init command: the local provider's ({@code [. PROFILE && ]
 * [NIX_REMOTE=daemon ]BIN/nix-store --add-root .gc/PROCESS -r SCRIPT}; the agents substitute
 * through the caches in their nix.conf), plus, for clusters whose role users Nix trusts, {@code
 * --option extra-substituters URL}. Words that are not plain path characters are single-quoted; no
 * {@code {{} is ever emitted.
 */
final class BinaryCacheInitCommand implements InitCommand {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+=:,@%-]+");

  private final Path binDir;
  private final boolean daemon;
  private final Optional<Path> profile;
  private final List<String> extra;

  BinaryCacheInitCommand(BinaryCacheConfig config) {
    this.binDir = config.agentNixBinDir();
    this.daemon = config.daemon();
    this.profile = config.profileScript();
    List<String> e = new ArrayList<>();
    if (config.trustedSubstituter()) {
      e.addAll(List.of("--option", "extra-substituters", config.cacheUrl().substituterUrl()));
    }
    this.extra = List.copyOf(e);
    check("agent_nix_bin_dir", binDir.toString());
    profile.ifPresent(p -> check("profile_script", p.toString()));
    extra.forEach(a -> check("cache_url", a));
  }

  @Override
  public String cmdline(ProcessScript script) {
    String process = script.process();
    check("process name", process);
    if (process.contains("/")) {
      throw new IllegalArgumentException("process name: '" + process + "' contains '/'");
    }
    StringBuilder s = new StringBuilder();
    profile.ifPresent(p -> s.append(". ").append(quote(p.toString())).append(" && "));
    if (daemon) {
      s.append("NIX_REMOTE=daemon ");
    }
    s.append(quote(binDir.resolve("nix-store").toString()));
    for (String a : extra) {
      s.append(' ').append(quote(a));
    }
    s.append(" --add-root ").append(quote(".gc/" + process));
    s.append(" -r ").append(script.path());
    return s.toString();
  }

  private static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  private static void check(String what, String value) {
    if (value.contains("{{")) {
      throw new IllegalArgumentException(
          what + ": '" + value + "' contains '{{', which Thermos would read as a template");
    }
    if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(what + ": must not contain a newline or NUL");
    }
  }

  @Override
  public String toString() {
    return "BinaryCacheInitCommand[" + binDir + (daemon ? ", daemon" : "") + ", " + extra + "]";
  }
}
