package io.nixaurora.submit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Job;
import io.nixaurora.submit.http.AuroraApi.CreateJobArgs;
import io.nixaurora.submit.http.AuroraApi.KillTasksArgs;
import io.nixaurora.submit.http.AuroraApi.ScheduleCronJobArgs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code http} submitter: speaks the scheduler's Thrift API as TJSON over HTTP, as the aurora
 * client does (docs/aurora-spec.md §2–§6), without the Python client. Jobs are converted
 * client-side from the compiled job JSON ({@link AuroraJobConfig#json()}), with the tier backfilled
 * from the scheduler's tier configuration.
 *
 * <p>The steps of each command are here; the parts are {@link SchedulerLocator} (which scheduler,
 * with which credentials), {@link Tiers} (getTierConfigs and the tier backfill), {@link
 * SchedulerCalls} (the API calls) and {@link OutcomeRecovery} (what a call whose answer was lost
 * did).
 *
 * <p>Thread-safe: every call is independent.
 */
public final class HttpSubmitter implements Submitter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpSubmitterSettings settings;
  private final SchedulerLocator locator;
  private final Supplier<UUID> updateIds;
  private final Map<String, String> environment;

  /** A submitter with the given settings, reporting nothing. */
  public HttpSubmitter(HttpSubmitterSettings settings) {
    this(settings, EventListener.NONE);
  }

  /** A submitter with the given settings, reporting progress to {@code events}. */
  public HttpSubmitter(HttpSubmitterSettings settings, EventListener events) {
    this(settings, events, UUID::randomUUID, home(System.getenv()), System.getenv());
  }

  HttpSubmitter(
      HttpSubmitterSettings settings,
      EventListener events,
      Supplier<UUID> updateIds,
      Path home,
      Map<String, String> environment) {
    this.settings = settings;
    this.updateIds = updateIds;
    this.environment = environment;
    this.locator = new SchedulerLocator(settings, events, home, environment);
  }

  /** $HOME, as the aurora client reads ~/.netrc and ~/.aurora, else the JVM's user.home. */
  static Path home(Map<String, String> environment) {
    String home = environment.get("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
  }

  @Override
  public String name() {
    return "http";
  }

  // ---- Submitter ----

  @Override
  public SubmitResult create(AuroraJobConfig config) throws SubmitException {
    JobKey key = config.key();
    SchedulerCalls calls = calls(key);
    JobConverter.Converted job = convert(calls, config);
    boolean cron = job.job().has("cron_schedule");
    SubmitResult.Action action =
        cron ? SubmitResult.Action.SCHEDULE_CRON : SubmitResult.Action.CREATE;
    try {
      calls.createJob(key, job.jobConfiguration(), cron);
    } catch (SchedulerClient.OutcomeUnknown e) {
      return OutcomeRecovery.afterLostCreate(
          calls,
          key,
          action,
          cron ? ScheduleCronJobArgs.METHOD : CreateJobArgs.METHOD,
          job.executorData(),
          e);
    }
    String url = calls.jobUrl(key);
    if (cron) {
      return new SubmitResult(
          key,
          action,
          "Cron job scheduled, status can be viewed at " + url,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    if (calls.tasks(key).tasks().isEmpty()) {
      throw new SubmitException.CommandFailed(
          "Error occurred while creating job " + key + ": the scheduler lists no tasks");
    }
    return new SubmitResult(
        key,
        action,
        "Job create succeeded: job url=" + url,
        Optional.of(url),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public SubmitResult update(AuroraJobConfig config) throws SubmitException {
    JobKey key = config.key();
    if (config.cron()) {
      throw new SubmitException.CommandFailed(
          key + " is a cron job: cron jobs cannot be updated, schedule them again with create");
    }
    if (!config.service()) {
      throw new SubmitException.InvalidConfiguration(
          "Updates are not supported for non-service jobs: " + key + " is not a service");
    }
    SchedulerCalls calls = calls(key);
    JobStatus status = calls.tasks(key);
    if (status.tasks().stream().noneMatch(t -> SchedulerCalls.active(t.status()))) {
      throw new SubmitException.CommandFailed(
          key + " has no active tasks to update; create the job first with create");
    }
    JobConverter.Converted job = convert(calls, config);
    if (job.job().has("cron_schedule")) {
      throw new SubmitException.CommandFailed(
          key + " is a cron job: cron jobs cannot be updated, schedule them again with create");
    }
    SchedulerCalls.StartedUpdate started =
        calls.startJobUpdate(key, updateRequest(job, updateIds.get().toString()));
    String url = calls.jobUrl(key);
    if (started.id().isEmpty()) {
      return new SubmitResult(
          key,
          SubmitResult.Action.UPDATE,
          started.details().isEmpty() ? "Job is unchanged by proposed update." : started.details(),
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    String updateId = started.id().get();
    Optional<String> state = calls.updateStatus(key, updateId);
    return new SubmitResult(
        key,
        SubmitResult.Action.UPDATE,
        "Update " + updateId + " started for " + key + state.map(s -> " (" + s + ")").orElse(""),
        Optional.of(url),
        Optional.of(updateId),
        state);
  }

  @Override
  public SubmitResult kill(JobKey key) throws SubmitException {
    SchedulerCalls calls = calls(key);
    String message;
    try {
      message = calls.killTasks(key);
    } catch (SchedulerClient.OutcomeUnknown e) {
      return OutcomeRecovery.afterLostKill(calls, key, KillTasksArgs.METHOD, e);
    }
    return new SubmitResult(
        key,
        SubmitResult.Action.KILL,
        message.isEmpty() ? "Kill of " + key + " requested" : message,
        Optional.of(calls.jobUrl(key)),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public JobStatus status(JobKey key) throws SubmitException {
    SchedulerCalls calls = calls(key);
    JobStatus status = calls.tasks(key);
    if (!status.tasks().isEmpty()) {
      return status;
    }
    // No tasks: a cron job shows up only in the role's job summary.
    return new JobStatus(key, List.of(), status.raw() + "\n" + calls.jobSummary(key));
  }

  /** See {@link LiveStorePaths}. */
  @Override
  public Set<StorePath> liveStorePaths(String cluster) throws SubmitException {
    // A key only to pick the cluster's scheduler: the calls name no job.
    return LiveStorePaths.read(calls(new JobKey(cluster, "nix-aurora", "devel", "cache-gc")));
  }

  @Override
  public Optional<JobDiff> diff(AuroraJobConfig config) throws SubmitException {
    JobKey key = config.key();
    SchedulerCalls calls = calls(key);
    JobConverter.Converted job = convert(calls, config);
    return Optional.of(calls.updateDiff(key, updateRequest(job, null)));
  }

  /** A tier the scheduler does not have is refused before anything is published. */
  @Override
  public void checkBeforePublish(Job job, EventListener events)
      throws InvalidJobException, SubmitException {
    if (job.tier() == null) {
      return;
    }
    JobKey key = JobKey.of(job);
    Tiers.of(calls(key), key).require(job);
  }

  // ---- pieces ----

  /** The API calls on the scheduler of the key's cluster. */
  private SchedulerCalls calls(JobKey key) throws SubmitException {
    return new SchedulerCalls(locator.client(key));
  }

  /** Reads the job JSON, backfills the tier from the scheduler and converts it. */
  private JobConverter.Converted convert(SchedulerCalls calls, AuroraJobConfig config)
      throws SubmitException {
    JobKey key = config.key();
    ObjectNode job = parse(config);
    for (Map.Entry<String, String> field :
        Map.of(
                "cluster", key.cluster(),
                "role", key.role(),
                "environment", key.environment(),
                "name", key.name())
            .entrySet()) {
      JsonNode value = job.get(field.getKey());
      if (value != null && !value.asText().equals(field.getValue())) {
        throw new SubmitException.InvalidConfiguration(
            "Error loading configuration: Could not find job "
                + key
                + ": the JSON's "
                + field.getKey()
                + " is '"
                + value.asText()
                + "'");
      }
    }
    Tiers.of(calls, key).backfill(job);
    try {
      return JobConverter.convert(job, key.cluster(), owner());
    } catch (ExecutorData.InvalidJob | IllegalArgumentException e) {
      throw new SubmitException.InvalidConfiguration(
          "Error loading configuration: " + e.getMessage());
    }
  }

  /** The JobUpdateRequest; {@code updateId} null for a diff. */
  private static TJson.Struct updateRequest(JobConverter.Converted job, String updateId)
      throws SubmitException {
    try {
      return JobConverter.updateRequest(job, updateId);
    } catch (ExecutorData.InvalidJob e) {
      throw new SubmitException.InvalidConfiguration(
          "Error loading configuration: " + e.getMessage());
    }
  }

  private static ObjectNode parse(AuroraJobConfig config) throws SubmitException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(config.json());
    } catch (IOException e) {
      throw new SubmitException.InvalidConfiguration(
          "Error loading configuration: the job JSON of " + config.key() + " is not valid JSON");
    }
    if (tree != null && tree.isObject() && tree.has("jobs") && tree.size() == 1) {
      JsonNode jobs = tree.get("jobs");
      if (jobs.isArray() && jobs.size() == 1) {
        tree = jobs.get(0);
      }
    }
    if (tree == null || !tree.isObject()) {
      throw new SubmitException.InvalidConfiguration(
          "Error loading configuration: the job JSON of " + config.key() + " is not a job object");
    }
    return (ObjectNode) tree;
  }

  /** Like Python's getpass.getuser(): LOGNAME, USER, LNAME, USERNAME, then the JVM's user. */
  private String owner() {
    if (settings.owner().isPresent()) {
      return settings.owner().get();
    }
    for (String variable : List.of("LOGNAME", "USER", "LNAME", "USERNAME")) {
      String value = environment.get(variable);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return System.getProperty("user.name");
  }

  @Override
  public String toString() {
    return "HttpSubmitter[" + settings + "]";
  }
}
