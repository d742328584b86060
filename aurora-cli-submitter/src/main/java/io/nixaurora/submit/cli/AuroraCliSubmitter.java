package io.nixaurora.submit.cli;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.FileName;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.model.Job;
import io.nixaurora.compiler.ReadJsonLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Submits through the {@code aurora} command-line client, the way most Aurora users do by hand:
 *
 * <ul>
 *   <li>create: {@code aurora job create --read-json KEY FILE}; a cron job: {@code aurora cron
 *       schedule --read-json KEY FILE};
 *   <li>update of a running service: {@code aurora update start --read-json KEY FILE}, then {@code
 *       aurora update info KEY} for the update's state;
 *   <li>kill: {@code aurora job killall KEY};
 *   <li>status: {@code aurora job status KEY}, parsed from its text output.
 * </ul>
 *
 * <p>The configuration goes to a file that only this user can read, in a private temporary
 * directory that is removed after every run, also after a failure, a timeout or an interrupt. A
 * non-zero exit becomes the {@link SubmitException} of the client's exit code (docs/aurora-spec.md
 * §2.4) with the client's own stderr in the message. A client that does not finish within the
 * timeout is stopped, with every process it started.
 */
public final class AuroraCliSubmitter implements Submitter {

  /** The name this submitter is selected by. */
  public static final String NAME = "cli";

  /** The client looked up on {@code PATH} when none is configured. */
  public static final String DEFAULT_BINARY = "aurora";

  /**
   * How long one client run may take by default. {@code job killall} waits until every task is
   * dead, which takes a while on a busy cluster.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final AuroraClient client;
  private final String binary;

  /** {@code aurora} from {@code PATH}, with the default timeout. */
  public AuroraCliSubmitter() {
    this(DEFAULT_BINARY, DEFAULT_TIMEOUT);
  }

  /**
   * @param auroraBinary the client: a path, or a name looked up on {@code PATH}
   * @param timeout how long one client run may take before it is stopped
   */
  public AuroraCliSubmitter(String auroraBinary, Duration timeout) {
    this(auroraBinary, timeout, Map.of(), Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * @param auroraBinary the client: a path, or a name looked up on {@code PATH}
   * @param timeout how long one client run may take before it is stopped
   * @param environment variables for the client on top of this process's environment (such as
   *     {@code AURORA_CONFIG_ROOT}); a {@code PATH} given here is also where {@code auroraBinary}
   *     is looked up
   * @param tempRoot the directory the private temporary directories are made in
   */
  public AuroraCliSubmitter(
      String auroraBinary, Duration timeout, Map<String, String> environment, Path tempRoot) {
    this.client = new AuroraClient(auroraBinary, timeout, environment, tempRoot);
    this.binary = auroraBinary;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<String> programs() {
    return Optional.of("the aurora client");
  }

  /**
   * The client must exist before anything is built or pushed for it, or the push would be wasted.
   */
  @Override
  public void checkReady() throws SubmitException {
    try {
      client.resolveExecutable();
    } catch (SubmitException e) {
      throw new SubmitException(
          ExitCodes.INVALID_CONFIGURATION,
          "cannot find the aurora client '"
              + binary
              + "'"
              + (binary.contains("/") ? "" : " on PATH")
              + ": install the Aurora client, set aurora_binary for the cluster, or use"
              + " --submitter http",
          e);
    }
  }

  /** Aurora's stock tiers ({@code tiers.json} as shipped). */
  static final Set<String> STOCK_TIERS = Set.of("preferred", "preemptible", "revocable");

  /**
   * The aurora client has no command that lists the cluster's tiers and sends any tier; the
   * scheduler refuses one it lacks. A cluster may define its own tiers, so a tier outside the stock
   * ones is not refused here, only named as unchecked.
   */
  @Override
  public void checkSubmittable(Job job) throws SubmitException {
    // The client hands the job to `aurora job create --read-json`, which cannot load some Choice
    // fields: such a job would fail after its closures were published.
    List<String> unloadable = ReadJsonLimits.unloadable(job);
    if (!unloadable.isEmpty()) {
      throw new SubmitException(
          ExitCodes.INVALID_CONFIGURATION,
          ReadJsonLimits.describe(unloadable)
              + "; the cli submitter would fail after publishing: submit this job with"
              + " --submitter http (it sends the job to the scheduler's API)");
    }
  }

  @Override
  public void checkBeforePublish(Job job, EventListener events) {
    if (job.tier() != null && !STOCK_TIERS.contains(job.tier())) {
      events.on(
          LogEvent.warn(
              "tier '"
                  + job.tier()
                  + "' is not one of Aurora's stock tiers "
                  + new TreeSet<>(STOCK_TIERS)
                  + "; the cli submitter cannot ask the scheduler for its tiers, so if the"
                  + " cluster lacks it the scheduler refuses the job after it was published"
                  + " (--submitter http checks it first)"));
    }
  }

  @Override
  public SubmitResult create(AuroraJobConfig config) throws SubmitException {
    Objects.requireNonNull(config, "config");
    // The client refuses `job create` for a cron job (exit 4); cron jobs are scheduled instead.
    boolean cron = config.cron();
    List<String> args =
        cron
            ? List.of("cron", "schedule", "--read-json", keyArgument(config.key()))
            : List.of("job", "create", "--read-json", keyArgument(config.key()));
    AuroraClient.Run run = check(client.run(args, config.bytes(), fileName(config.key())));
    String marker = cron ? "Cron job scheduled" : "Job create succeeded";
    String message =
        ClientOutput.summaryLine(run.stdout(), marker, cron ? "cron job scheduled" : "job created");
    return new SubmitResult(
        config.key(),
        cron ? SubmitResult.Action.SCHEDULE_CRON : SubmitResult.Action.CREATE,
        message,
        ClientOutput.firstUrl(run.stdout()),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public SubmitResult update(AuroraJobConfig config) throws SubmitException {
    Objects.requireNonNull(config, "config");
    JobKey key = config.key();
    if (config.cron()) {
      throw new SubmitException.CommandFailed(
          "cannot update "
              + key
              + ": it is a cron job; cron jobs are replaced by scheduling them again (create)");
    }
    if (!config.service()) {
      throw new SubmitException.CommandFailed(
          "cannot update "
              + key
              + ": only a service (\"service\": true) can be updated; kill the job and create it"
              + " again");
    }
    // The scheduler would quietly create a missing job from an update; refuse, so that an update
    // of a mistyped key does not start a second copy of the service.
    if (hasNoActiveTasks(readStatus(key))) {
      throw new SubmitException.CommandFailed(
          "cannot update "
              + key
              + ": the job has no active tasks on the cluster; create it first (create)");
    }
    AuroraClient.Run run =
        check(
            client.run(
                List.of("update", "start", "--read-json", keyArgument(key)),
                config.bytes(),
                fileName(key)));
    String started =
        ClientOutput.summaryLine(run.stdout(), "Job update has started", "update started");
    Optional<String> pageUrl = ClientOutput.firstUrl(run.stdout());
    Optional<ClientOutput.UpdatePage> page = pageUrl.flatMap(ClientOutput::updatePage);
    Optional<String> jobUrl = page.map(ClientOutput.UpdatePage::jobUrl).or(() -> pageUrl);
    Optional<String> updateId = page.map(ClientOutput.UpdatePage::updateId);
    if (page.isEmpty() && !run.stdout().contains("has started")) {
      // The scheduler answered without starting an update ("Job is unchanged by proposed
      // update."); there is no update to ask about.
      return new SubmitResult(
          key, SubmitResult.Action.UPDATE, started, jobUrl, Optional.empty(), Optional.empty());
    }
    Optional<String> state = Optional.empty();
    String message = started;
    AuroraClient.Run info;
    try {
      info = client.run(List.of("update", "info", keyArgument(key)), null, null);
    } catch (SubmitException.Timeout e) {
      // The update has started; a slow status query must not report it as failed.
      return new SubmitResult(
          key,
          SubmitResult.Action.UPDATE,
          started + " (its state is unknown: " + e.getMessage() + ")",
          jobUrl,
          updateId,
          Optional.empty());
    }
    if (info.exitCode() == ExitCodes.OK) {
      ClientOutput.UpdateInfo parsed = ClientOutput.updateInfo(info.stdout());
      boolean same = updateId.isEmpty() || parsed.updateId().equals(updateId);
      if (same) {
        state = parsed.status();
        updateId = updateId.or(parsed::updateId);
      }
    } else {
      // The update has started; failing to read its state must not report the update as failed.
      message = started + " (its state is unknown: " + ExitCodes.failure(info).getMessage() + ")";
    }
    return new SubmitResult(key, SubmitResult.Action.UPDATE, message, jobUrl, updateId, state);
  }

  @Override
  public SubmitResult kill(JobKey key) throws SubmitException {
    Objects.requireNonNull(key, "key");
    AuroraClient.Run run =
        check(client.run(List.of("job", "killall", keyArgument(key)), null, null));
    return SubmitResult.of(
        key,
        SubmitResult.Action.KILL,
        ClientOutput.summaryLine(run.stdout(), "Job killall succeeded", "job killed"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Output the client printed with exit 0 that this reader does not understand is an error, not
   * "no tasks": a caller deciding that a job is gone must not be misled.
   */
  @Override
  public JobStatus status(JobKey key) throws SubmitException {
    JobStatus status = readStatus(key);
    if (!status.raw().startsWith("Found no jobs matching")
        && !ClientOutput.statusUnderstood(status.raw(), status.tasks())) {
      String first = status.raw().strip().lines().findFirst().orElse("(nothing)");
      throw new SubmitException.CommandFailed(
          "cannot read what `aurora job status "
              + key
              + "` printed (not the client's task list): "
              + (first.length() > 200 ? first.substring(0, 200) + "…" : first));
    }
    return status;
  }

  /** The status as far as it can be read; unrecognised output gives no tasks. */
  private JobStatus readStatus(JobKey key) throws SubmitException {
    Objects.requireNonNull(key, "key");
    AuroraClient.Run run = client.run(List.of("job", "status", keyArgument(key)), null, null);
    if (run.exitCode() == ExitCodes.INVALID_PARAMETER
        && run.stderr().contains("Found no jobs matching")) {
      // The client's answer for a job the scheduler does not know: it has no tasks.
      return new JobStatus(key, List.of(), run.stderr().strip());
    }
    check(run);
    return new JobStatus(key, ClientOutput.tasks(run.stdout()), run.stdout());
  }

  /**
   * The key as the client's argument. A key starting with {@code -} (a cluster named so) would be
   * read by the client as an option, so it is refused before the client runs.
   */
  private static String keyArgument(JobKey key) throws SubmitException {
    String text = key.toString();
    if (text.startsWith("-")) {
      throw new SubmitException.InvalidConfiguration(
          "cluster '"
              + key.cluster()
              + "': a cluster name starting with '-' would reach the aurora client as an option;"
              + " rename the cluster");
    }
    return text;
  }

  /**
   * Whether the client said the job has no active tasks: it does not know the job, or it listed
   * "Active tasks (0)". Output it does not recognise does not count, so a client with another
   * output format is not kept from updating.
   */
  private static boolean hasNoActiveTasks(JobStatus status) {
    if (status.tasks().stream().anyMatch(t -> ClientOutput.ACTIVE_STATES.contains(t.status()))) {
      return false;
    }
    return status.raw().startsWith("Found no jobs matching")
        || ClientOutput.activeCount(status.raw()).orElse(-1) == 0;
  }

  private static AuroraClient.Run check(AuroraClient.Run run) throws SubmitException {
    if (run.exitCode() != ExitCodes.OK) {
      throw ExitCodes.failure(run);
    }
    return run;
  }

  /** The config file's name: the job's name, so the client's messages point at something clear. */
  private static String fileName(JobKey key) {
    return FileName.of(key.name()) + ".json";
  }

  @Override
  public String toString() {
    return "AuroraCliSubmitter[" + NAME + "]";
  }
}
