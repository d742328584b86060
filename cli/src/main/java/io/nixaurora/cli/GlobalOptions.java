package io.nixaurora.cli;

import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The options every command shares, wherever they appear on the command line ({@code nix-aurora
 * --verbose build x} and {@code nix-aurora build x --verbose} mean the same). Set through {@link
 * GlobalOptionsMixin}; one instance per run.
 */
@Singleton
public final class GlobalOptions {
  private boolean verbose;
  private boolean quiet;
  private boolean stacktrace;
  private String configFile;

  @Inject
  GlobalOptions() {}

  public boolean verbose() {
    return verbose;
  }

  public boolean quiet() {
    return quiet;
  }

  public boolean stacktrace() {
    return stacktrace;
  }

  /** The {@code --config} file, or null. */
  public String configFile() {
    return configFile;
  }

  void verbose(boolean v) {
    verbose |= v;
    if (verbose) {
      // Libraries' own logging (ZooKeeper's, through slf4j-simple) is off unless --verbose; it
      // reads this once, when the first logger is made, which is after the options are parsed.
      System.setProperty(SLF4J_LEVEL, "warn");
    }
  }

  /** slf4j-simple's level; simplelogger.properties sets it off. */
  static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  void quiet(boolean q) {
    quiet |= q;
  }

  void stacktrace(boolean s) {
    stacktrace |= s;
  }

  void configFile(String file) {
    if (file != null) {
      configFile = file;
    }
  }
}
