package io.nixaurora.submit.cli;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.api.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;

/**
 * Makes the {@code cli} submitter from the cluster's submitter settings ({@link #settings()}):
 * {@code aurora_binary}, the client, a path or a name looked up on {@code PATH} (default {@code
 * aurora}); {@code timeout_seconds}, how long one client run may take before it is stopped (default
 * 300); {@code aurora_config_root}, the client's {@code AURORA_CONFIG_ROOT}.
 */
public final class AuroraCliSubmitterFactory implements SubmitterFactory {

  /** Setting: the aurora client to run. */
  public static final String AURORA_BINARY = "aurora_binary";

  /** Setting: seconds one client run may take. */
  public static final String TIMEOUT_SECONDS = "timeout_seconds";

  /** Setting: the directory holding clusters.json, given to the client as AURORA_CONFIG_ROOT. */
  public static final String AURORA_CONFIG_ROOT = "aurora_config_root";

  /** A day: longer than any sane submission, short enough to catch a typo with extra digits. */
  private static final long MAX_TIMEOUT_SECONDS = 86_400;

  private static final List<SettingDeclaration> DECLARATIONS =
      List.of(
          SettingDeclaration.builder(AURORA_BINARY, SettingType.STRING)
              .defaultValue(AuroraCliSubmitter.DEFAULT_BINARY)
              .description("the aurora client, a path or a name on PATH")
              .build(),
          SettingDeclaration.builder(TIMEOUT_SECONDS, SettingType.INTEGER)
              .defaultValue(Long.toString(AuroraCliSubmitter.DEFAULT_TIMEOUT.toSeconds()))
              .description("how long one aurora client run may take (seconds)")
              .build(),
          SettingDeclaration.builder(AURORA_CONFIG_ROOT, SettingType.PATH)
              .description("directory holding clusters.json (default: $AURORA_CONFIG_ROOT)")
              .build());

  @Inject
  public AuroraCliSubmitterFactory() {}

  @Override
  public String name() {
    return AuroraCliSubmitter.NAME;
  }

  @Override
  public List<SettingDeclaration> settings() {
    return DECLARATIONS;
  }

  /** The settings, read and checked. */
  private record Read(String binary, Duration timeout, Optional<Path> configRoot) {}

  private static Read read(BackendContext context) {
    Settings settings = context.settings();
    String binary = settings.text(AURORA_BINARY).orElse(AuroraCliSubmitter.DEFAULT_BINARY);
    if (binary.isBlank()) {
      throw new IllegalArgumentException(
          AURORA_BINARY + ": must name the aurora client (a path or a name on PATH), got ''");
    }
    long seconds = settings.integer(TIMEOUT_SECONDS).orElseThrow();
    if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          TIMEOUT_SECONDS
              + ": must be between 1 and "
              + MAX_TIMEOUT_SECONDS
              + " seconds, got "
              + seconds);
    }
    return new Read(binary.strip(), Duration.ofSeconds(seconds), context.path(AURORA_CONFIG_ROOT));
  }

  /**
   * @throws IllegalArgumentException naming the key, for a bad value
   */
  @Override
  public Submitter create(BackendContext context) {
    Read read = read(context);
    Map<String, String> environment = new LinkedHashMap<>();
    // The client is looked up on the context's PATH, as doctor and the CLI's checks find it.
    context.variable("PATH").ifPresent(p -> environment.put("PATH", p));
    read.configRoot().ifPresent(r -> environment.put("AURORA_CONFIG_ROOT", r.toString()));
    return new AuroraCliSubmitter(
        read.binary(), read.timeout(), environment, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** The aurora client present, and the cluster in the clusters.json the client reads. */
  @Override
  public List<Diagnosis> diagnose(BackendContext context) {
    List<Diagnosis> out = new ArrayList<>();
    Read read;
    try {
      read = read(context);
      create(context);
    } catch (IllegalArgumentException e) {
      out.add(Diagnosis.fail("submitter cli: " + e.getMessage(), "fix that setting"));
      return out;
    }
    out.add(Diagnosis.ok("submitter: " + name()));
    String binary = read.binary();
    Optional<Path> found =
        binary.contains("/")
            ? Optional.of(context.resolve(binary)).filter(Files::isExecutable)
            : context.directoryOnPath(binary).map(d -> d.resolve(binary));
    if (found.isPresent()) {
      out.add(Diagnosis.ok("aurora client: " + found.get()));
    } else {
      out.add(
          Diagnosis.fail(
              "aurora client '" + binary + "' not found",
              "install the Aurora client, or set aurora_binary (or use --submitter http)"));
    }
    if (context.cluster().isPresent()) {
      out.add(ClientClusters.diagnose(context.cluster().get(), searchPath(read, context)));
    }
    return out;
  }

  /** Where the client looks for clusters.json (docs/aurora-spec.md §6). */
  private static List<Path> searchPath(Read read, BackendContext context) {
    Path root =
        read.configRoot()
            .or(() -> context.variable("AURORA_CONFIG_ROOT").map(Path::of))
            .orElse(Path.of("/etc/aurora"));
    return List.of(root, context.home().resolve(".aurora"));
  }

  /** Makes the submitter in this process's environment (tests, embedding). */
  @Override
  public Submitter create(Map<String, String> settings) {
    return create(BackendContext.of(Settings.of(DECLARATIONS, settings)));
  }
}
