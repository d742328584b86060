package io.nixaurora.cli;

import dagger.Lazy;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobEvaluator;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.core.NixAurora;
import io.nixaurora.core.StepListener;
import io.nixaurora.support.Executables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;

/**
 * One cluster's backends for the commands, and the pipeline facade (core's {@link NixAurora}) made
 * from them. Backends are made on first use, so a command that needs no submitter never makes one.
 */
public final class Pipeline {
  private final Lazy<Backends> backends;
  private final ClusterConfig config;
  private final EventListener events;
  private final Environment environment;
  private StoreProvider store;
  private Submitter submitter;

  @Inject
  Pipeline(
      Lazy<Backends> backends,
      ClusterConfig config,
      EventListener events,
      Environment environment) {
    this.backends = backends;
    this.config = config;
    this.events = events;
    this.environment = environment;
  }

  public ClusterConfig config() {
    return config;
  }

  public EventListener events() {
    return events;
  }

  /** The cluster's store provider, made on first use. */
  public StoreProvider storeProvider() throws CliException {
    if (store == null) {
      store = backends.get().storeProvider(config, events);
    }
    return store;
  }

  /** The cluster's submitter, made on first use. */
  public Submitter submitter() throws CliException {
    if (submitter == null) {
      submitter = backends.get().submitter(config, events);
    }
    return submitter;
  }

  /** This machine's Nix bin directory: the setting, else the one on PATH, else /usr/bin. */
  public Path localNixBinDirectory() {
    return config
        .get(Setting.LOCAL_NIX_BIN_DIR)
        .map(environment::resolve)
        .orElseGet(() -> findOnPath(environment, "nix-store").orElse(Path.of("/usr/bin")));
  }

  /** The directory on the environment's {@code PATH} that holds {@code tool}. */
  static Optional<Path> findOnPath(Environment env, String tool) {
    return Executables.onPath(tool, env.variable("PATH").orElse("")).map(Path::getParent);
  }

  /**
   * Refuses what the command line asks that cannot apply: a file job's {@code pkgs} is the {@code
   * nixpkgs} setting when set; a flake job's is its flake's locked nixpkgs input, so {@code
   * --nixpkgs} with a flake job is refused rather than silently ignored.
   */
  public void checkSources(List<JobSource> sources) throws CliException {
    for (JobSource source : sources) {
      if (source instanceof JobSource.FlakeJob flake
          && "command line".equals(config.sources().get(Setting.NIXPKGS.key()))) {
        throw CliException.configuration(
            "--nixpkgs does not apply to the flake job "
                + flake
                + ": its pkgs is the flake's own nixpkgs input, pinned by its flake.lock",
            "leave out --nixpkgs, or point the flake's nixpkgs input elsewhere and run nix flake"
                + " lock");
      }
    }
  }

  /** The job evaluator: this machine's Nix, the {@code nixpkgs} setting for file jobs. */
  public JobEvaluator evaluator() throws CliException {
    return Evaluation.evaluator(localNixBinDirectory(), Evaluation.nixpkgs(config, environment));
  }

  /** Builds one job with Nix (one nix-build) and reads back the model; no checks. */
  public BuiltJob evaluate(JobSource source)
      throws NixException, InvalidJobException, CliException {
    checkSources(List.of(source));
    return evaluator().evaluate(source, events);
  }

  /**
   * The pipeline facade for this cluster: its evaluator, store provider, events and system, and its
   * submitter when {@code withSubmitter} (made here, so a misconfigured one fails before the
   * build).
   */
  public NixAurora facade(boolean withSubmitter, StepListener steps) throws CliException {
    NixAurora.Builder builder =
        NixAurora.builder(evaluator(), storeProvider()).events(events).steps(steps);
    try {
      builder.cluster(config.cluster(), config.system());
    } catch (IllegalArgumentException e) {
      throw CliException.configuration(
          e.getMessage(),
          "fix the setting 'system' (`nix-aurora config " + config.cluster() + "` shows where)");
    }
    if (withSubmitter) {
      builder.submitter(submitter());
    }
    return builder.build();
  }

  /** The settings the backends receive (for {@code config} and {@code doctor}). */
  public Map<String, String> settings() {
    return config.settings();
  }
}
