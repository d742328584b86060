package io.nixaurora.cli;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.FileName;
import io.nixaurora.api.JobKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The last configuration this tool submitted for each job, under {@code
 * ~/.local/state/nix-aurora/jobs/CLUSTER/ROLE/ENV/NAME.json} (each part encoded by {@link
 * FileName}): what {@code diff} compares with when the submitter cannot ask the scheduler.
 */
final class SubmittedConfigs {
  private final Path root;

  SubmittedConfigs(Environment env) {
    this.root = env.stateDirectory().resolve("jobs");
  }

  Path file(JobKey key) {
    // Each part is one encoded component: `..` as a name stays inside, two keys never share.
    return root.resolve(FileName.of(key.cluster()))
        .resolve(FileName.of(key.role()))
        .resolve(FileName.of(key.environment()))
        .resolve(FileName.of(key.name()) + ".json");
  }

  /** Records {@code config} as submitted; a failure to record is a warning, not an error. */
  Optional<String> save(AuroraJobConfig config) {
    Path file = file(config.key());
    try {
      Files.createDirectories(file.getParent());
      AtomicFile.write(file, config.json());
      return Optional.empty();
    } catch (IOException | CliException e) {
      return Optional.of(
          "could not record the submitted configuration in " + file + ": " + e.getMessage());
    }
  }

  Optional<String> load(JobKey key) throws CliException {
    Path file = file(key);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CliException.failure("cannot read " + file + ": " + e.getMessage(), null);
    }
  }

  /** Whether the configuration last submitted from here for {@code key} was a cron job's. */
  boolean isCron(JobKey key) throws CliException {
    Optional<String> json = load(key);
    if (json.isEmpty()) {
      return false;
    }
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(json.get())
          .hasNonNull("cron_schedule");
    } catch (IOException e) {
      return false; // a damaged record says nothing about the job
    }
  }
}
