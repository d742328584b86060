package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend factory is given to make its backend: its checked settings, where to report what
 * it does (warnings, retries, progress), and the environment it runs in (so a backend never reads
 * {@link System#getenv()} or the JVM's working directory itself, and tests and embedders can pass
 * their own).
 */
public final class BackendContext {
  private final Optional<String> cluster;
  private final Settings settings;
  private final EventListener events;
  private final Map<String, String> variables;
  private final Path workingDirectory;
  private final Path home;

  private BackendContext(Builder b) {
    this.cluster = b.cluster;
    this.settings = b.settings;
    this.events = b.events;
    this.variables = Map.copyOf(b.variables);
    this.workingDirectory = b.workingDirectory.toAbsolutePath().normalize();
    this.home = b.home != null ? b.home : homeOf(this.variables);
  }

  /** A context with this process's environment, no events and {@code settings}. */
  public static BackendContext of(Settings settings) {
    return builder().settings(settings).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The cluster the backend is made for, when there is one. */
  public Optional<String> cluster() {
    return cluster;
  }

  public Settings settings() {
    return settings;
  }

  /** Where warnings, retries and progress go (the console, with {@code -v} for debug lines). */
  public EventListener events() {
    return events;
  }

  /** The environment variables. */
  public Map<String, String> variables() {
    return variables;
  }

  /** A variable, if set and not empty. */
  public Optional<String> variable(String name) {
    String v = variables.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** Relative paths in settings are relative to this directory. */
  public Path workingDirectory() {
    return workingDirectory;
  }

  /** {@code $HOME}, else the account's home directory. */
  public Path home() {
    return home;
  }

  /**
   * The first directory on this context's {@code PATH} that holds an executable {@code program}
   * (which a backend's tools are found by, rather than the JVM's own {@code PATH}).
   */
  public Optional<Path> directoryOnPath(String program) {
    for (String dir : variable("PATH").orElse("").split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, program))) {
        return Optional.of(Path.of(dir));
      }
    }
    return Optional.empty();
  }

  /** {@code path} with {@code ~/} expanded and resolved against the working directory. */
  public Path resolve(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return home.resolve(path.substring(Math.min(2, path.length()))).normalize();
    }
    return workingDirectory.resolve(path).normalize();
  }

  /** A {@link io.nixaurora.api.settings.SettingType#PATH} setting, resolved. */
  public Optional<Path> path(String key) {
    return settings.text(key).map(this::resolve);
  }

  /**
   * The settings as one map, with {@code cluster} added: what factories written before the context
   * existed read.
   */
  public Map<String, String> legacySettings() {
    if (cluster.isEmpty() || settings.asMap().containsKey("cluster")) {
      return settings.asMap();
    }
    Map<String, String> out = new java.util.TreeMap<>(settings.asMap());
    out.put("cluster", cluster.get());
    return Map.copyOf(out);
  }

  private static Path homeOf(Map<String, String> variables) {
    String home = variables.get("HOME");
    return home != null && !home.isBlank() && Path.of(home).isAbsolute()
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"));
  }

  /** Builds a {@link BackendContext}; by default this process's environment and no events. */
  public static final class Builder {
    private Optional<String> cluster = Optional.empty();
    private Settings settings = Settings.empty();
    private EventListener events = EventListener.NONE;
    private Map<String, String> variables = System.getenv();
    private Path workingDirectory = Path.of("");
    private Path home;

    private Builder() {}

    public Builder cluster(String cluster) {
      this.cluster = Optional.of(cluster);
      return this;
    }

    public Builder settings(Settings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public Builder events(EventListener events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    public Builder variables(Map<String, String> variables) {
      this.variables = Objects.requireNonNull(variables, "variables");
      return this;
    }

    public Builder workingDirectory(Path workingDirectory) {
      this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
      return this;
    }

    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    public BackendContext build() {
      return new BackendContext(this);
    }
  }
}
