package io.nixaurora.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key a configuration section may hold, with its type. The backends read the settings they
 * know from one string map (common.md lists them); the CLI checks names and types first so a typo
 * is an error naming the key rather than a silently ignored value.
 */
public enum Setting {
  STORE("store", Type.STRING, "local, binary-cache, or a plugin's name"),
  SUBMITTER("submitter", Type.STRING, "cli, http, or a plugin's name"),
  SYSTEM("system", Type.STRING, "the agents' Nix system (x86_64-linux)"),
  AGENT_NIX_BIN_DIR("agent_nix_bin_dir", Type.STRING, "Nix bin directory on the agents"),
  LOCAL_NIX_BIN_DIR("local_nix_bin_dir", Type.STRING, "Nix bin directory on this machine"),
  DAEMON("daemon", Type.BOOLEAN, "agents' init runs with NIX_REMOTE=daemon"),
  PROFILE_SCRIPT("profile_script", Type.STRING, "file the init command sources first"),
  GC_ROOTS_DIR("gc_roots_dir", Type.STRING, "where local publish registers GC roots"),
  CACHE_URL("cache_url", Type.STRING, "file:///dir or http(s)://host/prefix"),
  SECRET_KEY_FILE("secret_key_file", Type.STRING, "file holding the cache's signing key"),
  PUBLIC_KEY("public_key", Type.STRING, "the cache's public key (name:base64)"),
  COMPRESSION(
      "compression", Type.STRING, "NAR compression: zstd, xz or none", "zstd", "xz", "none"),
  TRUSTED_SUBSTITUTER("trusted_substituter", Type.BOOLEAN, "init names the cache as a substituter"),
  NETRC_FILE("netrc_file", Type.STRING, "credentials for the cache or scheduler"),
  JOBS("jobs", Type.INTEGER, "parallel uploads"),
  AURORA_BINARY("aurora_binary", Type.STRING, "the aurora client (default: on PATH)"),
  TIMEOUT_SECONDS("timeout_seconds", Type.INTEGER, "how long the aurora client may take"),
  SCHEDULER_URI("scheduler_uri", Type.STRING, "scheduler URL (overrides clusters.json)"),
  AURORA_CONFIG_ROOT("aurora_config_root", Type.STRING, "directory holding clusters.json"),
  USERNAME("username", Type.STRING, "scheduler user name"),
  PASSWORD("password", Type.STRING, "scheduler password", true),
  CONNECT_TIMEOUT_SECONDS("connect_timeout_seconds", Type.INTEGER, "scheduler connect timeout"),
  REQUEST_TIMEOUT_SECONDS("request_timeout_seconds", Type.INTEGER, "scheduler request timeout"),
  RETRY_BUDGET_SECONDS("retry_budget_seconds", Type.INTEGER, "how long to retry the scheduler"),
  OWNER("owner", Type.STRING, "the owner recorded on updates"),
  // Longer help lives in the README; the table keeps one line per key.
  NIXPKGS("nixpkgs", Type.STRING, "pkgs: a nixpkgs path or flake reference");

  /** The JSON type of a setting. */
  public enum Type {
    STRING,
    BOOLEAN,
    INTEGER
  }

  private static final Map<String, Setting> BY_KEY =
      Arrays.stream(values()).collect(Collectors.toMap(Setting::key, Function.identity()));

  private final String key;
  private final Type type;
  private final String description;
  private final boolean secret;
  private final List<String> allowed;

  Setting(String key, Type type, String description, String... allowed) {
    this(key, type, description, false, allowed);
  }

  Setting(String key, Type type, String description, boolean secret, String... allowed) {
    this.key = key;
    this.type = type;
    this.description = description;
    this.secret = secret;
    this.allowed = List.of(allowed);
  }

  /** The key as written in the configuration file and passed to factories. */
  public String key() {
    return key;
  }

  public Type type() {
    return type;
  }

  public String description() {
    return description;
  }

  /** Whether the value is masked when printed. */
  public boolean secret() {
    return secret;
  }

  /** The values allowed, when the setting is an enumeration; empty otherwise. */
  public List<String> allowed() {
    return allowed;
  }

  public static Optional<Setting> forKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** The known keys, for error messages. */
  public static String knownKeys() {
    return Arrays.stream(values()).map(Setting::key).collect(Collectors.joining(", "));
  }

  /** Checks a value given as text (on the command line); returns a problem, or null when fine. */
  public String problemWithText(String value) {
    switch (type) {
      case BOOLEAN:
        if (!value.equals("true") && !value.equals("false")) {
          return "expected true or false, got '" + value + "'";
        }
        return null;
      case INTEGER:
        try {
          if (Long.parseLong(value) < 0) {
            return "expected a non-negative integer, got " + value;
          }
        } catch (NumberFormatException e) {
          return "expected an integer, got '" + value + "'";
        }
        return null;
      default:
        if (!allowed.isEmpty() && !allowed.contains(value)) {
          return "expected one of " + String.join(", ", allowed) + ", got '" + value + "'";
        }
        if (value.isEmpty()) {
          return "must not be empty";
        }
        return null;
    }
  }
}
