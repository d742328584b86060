package io.nixaurora.cli;

import dagger.Lazy;
import java.io.PrintWriter;
import java.util.Map;
import javax.inject.Inject;

/**
 * What a running command shares: the options, the console, the configuration (read on first use)
 * and the per-cluster pipelines.
 */
public final class Session {
  private final GlobalOptions options;
  private final Environment environment;
  private final Lazy<Backends> backends;
  private final ClusterComponent.Factory clusters;
  private final Interruption interruption;
  private ConsoleListener console;
  private Configuration configuration;

  @Inject
  Session(
      GlobalOptions options,
      Environment environment,
      Lazy<Backends> backends,
      ClusterComponent.Factory clusters,
      Interruption interruption) {
    this.options = options;
    this.environment = environment;
    this.backends = backends;
    this.clusters = clusters;
    this.interruption = interruption;
  }

  /** What the command is doing, for the line a SIGINT/SIGTERM ends with. */
  public Interruption interruption() {
    return interruption;
  }

  public GlobalOptions options() {
    return options;
  }

  public Environment environment() {
    return environment;
  }

  public Backends backends() {
    return backends.get();
  }

  /** The console that renders events on {@code err}. */
  public ConsoleListener console(PrintWriter err) {
    if (console == null) {
      console = new ConsoleListener(err, options, environment);
    }
    return console;
  }

  /**
   * The configuration file (or built-in defaults), read once; its keys are checked against every
   * known backend's declarations when a cluster's settings are read.
   */
  public Configuration configuration() throws CliException {
    if (configuration == null) {
      configuration =
          Configuration.load(environment, options.configFile(), backends.get().validator());
    }
    return configuration;
  }

  /** The effective configuration of {@code cluster} with the command's overrides. */
  public ClusterConfig cluster(String cluster, ClusterOptions flags) throws CliException {
    return configuration().forCluster(cluster, flags == null ? Map.of() : flags.overrides());
  }

  /** The pipeline for a cluster. */
  public Pipeline pipeline(ClusterConfig config, PrintWriter err) {
    return clusters.create(config, console(err)).pipeline();
  }
}
