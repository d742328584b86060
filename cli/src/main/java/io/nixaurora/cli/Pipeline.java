package io.nixaurora.cli;

import dagger.Lazy;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.compiler.ReadJsonLimits;
import io.nixaurora.nix.local.Systems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;

/**
 * The steps of docs/ARCHITECTURE.md's pipeline for one cluster, in the order the commands use them:
 * evaluate, check, publish, compile, submit. Backends are made on first use, so a command that
 * needs no submitter never makes one.
 */
public final class Pipeline {
  private final Lazy<Backends> backends;
  private final ClusterConfig config;
  private final EventListener events;
  private final Environment environment;
  private final JobCompiler compiler = new JobCompiler();
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

  /**
   * Checks what can be checked before anything is built or pushed: the {@code cli} submitter's
   * aurora client must exist, or the push would be wasted.
   */
  public void preflight() throws CliException {
    if (config.submitter().equals("cli")) {
      String binary = config.get("aurora_binary").orElse("aurora");
      boolean found =
          binary.contains("/")
              ? Files.isExecutable(environment.resolve(binary))
              : findOnPath(environment, binary).isPresent();
      if (!found) {
        throw CliException.configuration(
            "cannot find the aurora client '"
                + binary
                + "'"
                + (binary.contains("/") ? "" : " on PATH"),
            "install the Aurora client, set aurora_binary for the cluster, or use --submitter http");
      }
    }
  }

  /** This machine's Nix bin directory: the setting, else the one on PATH, else /usr/bin. */
  public Path localNixBinDirectory() {
    return config
        .get(Setting.LOCAL_NIX_BIN_DIR)
        .map(environment::resolve)
        .orElseGet(() -> findOnPath(environment, "nix-store").orElse(Path.of("/usr/bin")));
  }

  static Optional<Path> findOnPath(Environment env, String tool) {
    for (String dir : env.variable("PATH").orElse("").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Optional.of(Path.of(dir));
      }
    }
    return Optional.empty();
  }

  /**
   * Builds the job with Nix (one nix-build) and reads back the model. A file job's {@code pkgs} is
   * the {@code nixpkgs} setting when set; a flake job's is its flake's locked nixpkgs input, so
   * {@code --nixpkgs} with a flake job is refused rather than silently ignored.
   */
  public BuiltJob evaluate(JobSource source)
      throws NixException, InvalidJobException, CliException {
    if (source instanceof JobSource.FlakeJob flake
        && "command line".equals(config.sources().get(Setting.NIXPKGS.key()))) {
      throw CliException.configuration(
          "--nixpkgs does not apply to the flake job "
              + flake
              + ": its pkgs is the flake's own nixpkgs input, pinned by its flake.lock",
          "leave out --nixpkgs, or point the flake's nixpkgs input elsewhere and run nix flake"
              + " lock");
    }
    return Evaluation.evaluate(
        localNixBinDirectory(), source, Evaluation.nixpkgs(config, environment), events);
  }

  /**
   * The cross-system guard: a job built for another system than the cluster's is refused before
   * anything is written, pushed or submitted.
   */
  public void checkSystem(BuiltJob built) throws InvalidJobException {
    Systems.requireCompatible(built, config.system());
  }

  /** Checks that the job's own key is the one on the command line. */
  public static void checkKey(BuiltJob built, JobKey expected) throws CliException {
    if (!built.key().equals(expected)) {
      throw CliException.configuration(
          "the job file defines " + built.key() + " but the command line says " + expected,
          "use "
              + built.key()
              + " on the command line, or change the job's cluster, role,"
              + " environment or name");
    }
  }

  /** Aurora's rules, all problems at once, before anything is pushed. */
  public void validate(BuiltJob built) throws InvalidJobException {
    List<InvalidJobException.Violation> violations = compiler.validate(built.job());
    if (!violations.isEmpty()) {
      throw new InvalidJobException(violations);
    }
  }

  /**
   * The {@code cli} submitter hands the job to {@code aurora job create --read-json}, which cannot
   * load some Choice fields (ReadJsonLimits): such a job is refused before anything is published.
   */
  public void checkSubmittable(BuiltJob built) throws CliException {
    if (config.submitter().equals("cli")) {
      List<String> unloadable = ReadJsonLimits.unloadable(built.job());
      if (!unloadable.isEmpty()) {
        throw CliException.configuration(
            ReadJsonLimits.describe(unloadable) + "; the cli submitter would fail after publishing",
            "submit this job with --submitter http (it sends the job to the scheduler's API)");
      }
    }
  }

  /** Compiles the Aurora configuration with {@code init} as every process's init command. */
  public AuroraJobConfig compile(BuiltJob built, InitCommand init) throws InvalidJobException {
    return compiler.compile(built, init);
  }

  /** The settings the backends receive (for {@code config} and {@code doctor}). */
  public Map<String, String> settings() {
    return config.settings();
  }
}
