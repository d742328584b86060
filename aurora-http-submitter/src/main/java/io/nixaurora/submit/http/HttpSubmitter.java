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
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.model.Job;
import io.nixaurora.support.HostCredentials;
import io.nixaurora.support.Netrc;
import io.nixaurora.support.SafeText;
import io.nixaurora.support.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code http} submitter: speaks the scheduler's Thrift API as TJSON over HTTP, as the aurora
 * client does (docs/aurora-spec.md §2–§6), without the Python client. Jobs are converted
 * client-side from the compiled job JSON ({@link AuroraJobConfig#json()}), with the tier backfilled
 * from the scheduler's tier configuration.
 *
 * <p>Thread-safe: every call is independent.
 */
public final class HttpSubmitter implements Submitter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String[] SCHEDULE_STATUS = new String[19];
  private static final String[] UPDATE_STATUS = {
    "ROLLING_FORWARD",
    "ROLLING_BACK",
    "ROLL_FORWARD_PAUSED",
    "ROLL_BACK_PAUSED",
    "ROLLED_FORWARD",
    "ROLLED_BACK",
    "ABORTED",
    "ERROR",
    "FAILED",
    "ROLL_FORWARD_AWAITING_PULSE",
    "ROLL_BACK_AWAITING_PULSE"
  };
  private static final Set<String> ACTIVE_STATES =
      Set.of(
          "ASSIGNED",
          "DRAINING",
          "KILLING",
          "PENDING",
          "PREEMPTING",
          "RESTARTING",
          "RUNNING",
          "STARTING",
          "PARTITIONED",
          "THROTTLED");

  static {
    Map.ofEntries(
            Map.entry(0, "PENDING"),
            Map.entry(1, "STARTING"),
            Map.entry(2, "RUNNING"),
            Map.entry(3, "FINISHED"),
            Map.entry(4, "FAILED"),
            Map.entry(5, "KILLED"),
            Map.entry(6, "KILLING"),
            Map.entry(7, "LOST"),
            Map.entry(9, "ASSIGNED"),
            Map.entry(11, "INIT"),
            Map.entry(12, "RESTARTING"),
            Map.entry(13, "PREEMPTING"),
            Map.entry(16, "THROTTLED"),
            Map.entry(17, "DRAINING"),
            Map.entry(18, "PARTITIONED"))
        .forEach((k, v) -> SCHEDULE_STATUS[k] = v);
  }

  /** The most instances a diff may name (Aurora's own limit is 4,000 tasks per job by default). */
  static final int MAX_DIFF_INSTANCES = 100_000;

  /** The most of the scheduler's {@code details} text kept in a message. */
  static final int MAX_DETAILS = 64 * 1024;

  private final HttpSubmitterSettings settings;
  private final HttpClient http;
  private final EventListener events;
  private final Supplier<UUID> updateIds;
  private final Path home;
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
    this.events = events;
    this.updateIds = updateIds;
    this.home = home;
    this.environment = environment;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER) // 307 is re-sent by hand, body included
            .build();
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
    SchedulerClient client = client(config.key());
    JobConverter.Converted job = convert(client, config);
    boolean cron = job.job().has("cron_schedule");
    String method = cron ? "scheduleCronJob" : "createJob";
    SubmitResult.Action action =
        cron ? SubmitResult.Action.SCHEDULE_CRON : SubmitResult.Action.CREATE;
    TJson.Struct args = new TJson.Struct().set(1, job.jobConfiguration());
    TJsonReply.Struct response;
    try {
      response = client.call(method, args, false);
    } catch (SchedulerClient.OutcomeUnknown e) {
      return afterLostAnswer(client, config.key(), action, method, e);
    }
    check(method, response, config.key());
    String url = jobUrl(client, config.key());
    if (cron) {
      return new SubmitResult(
          config.key(),
          action,
          "Cron job scheduled, status can be viewed at " + url,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    List<JobStatus.Task> tasks = tasks(client, config.key()).tasks();
    if (tasks.isEmpty()) {
      throw new SubmitException.CommandFailed(
          "Error occurred while creating job " + config.key() + ": the scheduler lists no tasks");
    }
    return new SubmitResult(
        config.key(),
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
    SchedulerClient client = client(key);
    JobStatus status = tasks(client, key);
    if (status.tasks().stream().noneMatch(t -> ACTIVE_STATES.contains(t.status()))) {
      throw new SubmitException.CommandFailed(
          key + " has no active tasks to update; create the job first with create");
    }
    JobConverter.Converted job = convert(client, config);
    if (job.job().has("cron_schedule")) {
      throw new SubmitException.CommandFailed(
          key + " is a cron job: cron jobs cannot be updated, schedule them again with create");
    }
    TJson.Struct request;
    try {
      request = JobConverter.updateRequest(job, updateIds.get().toString());
    } catch (ExecutorData.InvalidJob e) {
      throw new SubmitException.InvalidConfiguration(
          "Error loading configuration: " + e.getMessage());
    }
    TJsonReply.Struct response =
        readOnly(client, "startJobUpdate", new TJson.Struct().set(1, request));
    Optional<String> running =
        response
            .struct(3)
            .flatMap(r -> r.struct(22))
            .flatMap(r -> r.struct(1))
            .flatMap(k -> k.str(2));
    if (response.integer(1).orElse(-1L) == 0 && running.isPresent()) {
      // The scheduler names the update already in progress: not a configuration problem.
      throw new SubmitException.CommandFailed(
          "startJobUpdate for "
              + key
              + " failed: "
              + details(response)
              + " (update "
              + running.get()
              + " is in progress)");
    }
    check("startJobUpdate", response, key);
    String url = jobUrl(client, key);
    Optional<TJsonReply.Struct> result =
        response.struct(3).flatMap(r -> r.struct(22)).flatMap(r -> r.struct(1));
    if (result.isEmpty()) {
      String message = details(response);
      return new SubmitResult(
          key,
          SubmitResult.Action.UPDATE,
          message.isEmpty() ? "Job is unchanged by proposed update." : message,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    TJsonReply.Struct updateKey = result.get();
    String updateId = updateKey.str(2).orElse("");
    TJson.Struct query =
        new TJson.Struct()
            .set(
                8, new TJson.Struct().set(1, JobConverter.jobKey(key)).set(2, TJson.str(updateId)));
    TJsonReply.Struct summaries =
        readOnly(client, "getJobUpdateSummaries", new TJson.Struct().set(1, query));
    check("getJobUpdateSummaries", summaries, key);
    Optional<String> state =
        summaries.struct(3).flatMap(r -> r.struct(23)).stream()
            .flatMap(r -> r.structs(1).stream())
            .findFirst()
            .flatMap(s -> s.struct(4))
            .flatMap(s -> s.integer(1))
            .map(
                s ->
                    s >= 0 && s < UPDATE_STATUS.length
                        ? UPDATE_STATUS[s.intValue()]
                        : "UNKNOWN(" + s + ")");
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
    SchedulerClient client = client(key);
    TJson.Struct args = new TJson.Struct().set(4, JobConverter.jobKey(key));
    TJsonReply.Struct response;
    try {
      response = client.call("killTasks", args, false);
    } catch (SchedulerClient.OutcomeUnknown e) {
      return afterLostAnswer(client, key, SubmitResult.Action.KILL, "killTasks", e);
    }
    check("killTasks", response, key);
    String message = details(response);
    return new SubmitResult(
        key,
        SubmitResult.Action.KILL,
        message.isEmpty() ? "Kill of " + key + " requested" : message,
        Optional.of(jobUrl(client, key)),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public JobStatus status(JobKey key) throws SubmitException {
    SchedulerClient client = client(key);
    JobStatus status = tasks(client, key);
    if (!status.tasks().isEmpty()) {
      return status;
    }
    // No tasks: a cron job shows up only in the role's job summary.
    TJsonReply.Struct summary =
        readOnly(client, "getJobSummary", new TJson.Struct().set(1, TJson.str(key.role())));
    check("getJobSummary", summary, key);
    return new JobStatus(key, List.of(), status.raw() + "\n" + summary.node());
  }

  /** ScheduleStatus values of ACTIVE_STATES (aurora-spec 4.1). */
  private static final List<Long> ACTIVE_STATUS_IDS =
      List.of(9L, 17L, 6L, 0L, 13L, 12L, 2L, 1L, 18L, 16L);

  /** JobUpdateStatus values of ACTIVE_JOB_UPDATE_STATES. */
  private static final List<Long> ACTIVE_UPDATE_STATUS_IDS = List.of(0L, 1L, 2L, 3L, 9L, 10L);

  private static final Pattern STORE_PATH =
      Pattern.compile("/nix/store/[0-9a-z]{32}-[A-Za-z0-9+._?=-]+");

  /**
   * Reads, with three read-only calls that need no authentication: {@code getTasksStatus} for every
   * active task of every job (with configurations, unlike getTasksWithoutConfigs), {@code getJobs}
   * with no role (every job's configuration, cron templates included), and {@code
   * getJobUpdateDetails} for every update in progress (its initial and desired states). Every store
   * path named anywhere in those configurations (process scripts in executorConfig.data) is live.
   * Any failure or non-OK answer fails the whole call.
   */
  @Override
  public Set<StorePath> liveStorePaths(String cluster) throws SubmitException {
    // A key only to pick the cluster's scheduler: the calls below name no job.
    SchedulerClient client = client(new JobKey(cluster, "nix-aurora", "devel", "cache-gc"));
    Set<StorePath> live = new TreeSet<>();
    TJson.Struct activeTasks =
        new TJson.Struct()
            .set(5, TJson.set("i32", ACTIVE_STATUS_IDS.stream().map(TJson::i32).toList()));
    collect(client, "getTasksStatus", new TJson.Struct().set(1, activeTasks), live);
    collect(client, "getJobs", new TJson.Struct(), live);
    TJson.Struct activeUpdates =
        new TJson.Struct()
            .set(5, TJson.set("i32", ACTIVE_UPDATE_STATUS_IDS.stream().map(TJson::i32).toList()));
    collect(client, "getJobUpdateDetails", new TJson.Struct().set(2, activeUpdates), live);
    return live;
  }

  private static void collect(
      SchedulerClient client, String method, TJson.Struct args, Set<StorePath> into)
      throws SubmitException {
    TJsonReply.Struct response = readOnly(client, method, args);
    int code = response.integer(1).orElse(-1L).intValue();
    if (code != 1 && code != 3) {
      String details = details(response);
      throw new SubmitException.CommandFailed(
          method
              + " failed (response code "
              + code
              + "): "
              + (details.isEmpty() ? "(no details)" : details)
              + "; the live configurations cannot be read");
    }
    if (response.struct(3).isEmpty()) {
      throw new SubmitException.ApiError(method + ": the scheduler's answer has no result");
    }
    storePaths(response.node(), into);
  }

  /** Every store path in every string of {@code node}. */
  private static void storePaths(JsonNode node, Set<StorePath> into) {
    if (node.isTextual()) {
      Matcher m = STORE_PATH.matcher(node.asText());
      while (m.find()) {
        if (StorePath.isValid(m.group())) {
          into.add(StorePath.of(m.group()));
        }
      }
      return;
    }
    for (JsonNode child : node) {
      storePaths(child, into);
    }
  }

  @Override
  public Optional<JobDiff> diff(AuroraJobConfig config) throws SubmitException {
    JobKey key = config.key();
    SchedulerClient client = client(key);
    JobConverter.Converted job = convert(client, config);
    TJson.Struct request;
    try {
      request = JobConverter.updateRequest(job, null);
    } catch (ExecutorData.InvalidJob e) {
      throw new SubmitException.InvalidConfiguration(
          "Error loading configuration: " + e.getMessage());
    }
    TJsonReply.Struct response =
        readOnly(client, "getJobUpdateDiff", new TJson.Struct().set(1, request));
    check("getJobUpdateDiff", response, key);
    TJsonReply.Struct result =
        response
            .struct(3)
            .flatMap(r -> r.struct(26))
            .orElseThrow(
                () -> new SubmitException.ApiError("getJobUpdateDiff: the answer has no diff"));
    List<Integer> added = instances(result, 1);
    List<Integer> removed = instances(result, 2);
    List<Integer> updated = instances(result, 3);
    List<Integer> unchanged = instances(result, 4);
    // No detail text: the instance lists are the whole answer, and the CLI prints them once.
    return Optional.of(new JobDiff(added, removed, updated, unchanged, ""));
  }

  // ---- pieces ----

  /** The scheduler for the key's cluster: scheduler_uri, else clusters.json (zk or uri). */
  SchedulerClient client(JobKey key) throws SubmitException {
    if (settings.cluster().isPresent() && !settings.cluster().get().equals(key.cluster())) {
      throw new SubmitException.InvalidConfiguration(
          "job "
              + key
              + " is for cluster "
              + key.cluster()
              + ", but the http submitter is set up"
              + " for cluster "
              + settings.cluster().get());
    }
    URI base = settings.schedulerUri().orElse(null);
    if (base == null) {
      Optional<String> root =
          settings
              .auroraConfigRoot()
              .or(() -> Optional.ofNullable(environment.get("AURORA_CONFIG_ROOT")));
      List<Path> searched = Clusters.searchPath(root, home);
      Clusters.Cluster cluster = Clusters.load(searched).get(key.cluster(), searched);
      if (!cluster.authMechanism().equalsIgnoreCase("UNAUTHENTICATED")) {
        events.on(
            LogEvent.warn(
                "cluster "
                    + key.cluster()
                    + " asks for auth_mechanism "
                    + cluster.authMechanism()
                    + ", which the http submitter does not speak; it sends HTTP Basic"
                    + " credentials from ~/.netrc or the username/password settings (use the cli"
                    + " submitter for Kerberos)"));
      }
      if (cluster.zk().isPresent()) {
        base =
            ServersetReader.leader(
                cluster.zk().get(),
                cluster.zkPort(),
                cluster.schedulerZkPath().orElseThrow(),
                Duration.ofSeconds(10));
      } else {
        base = URI.create(cluster.schedulerUri().orElseThrow());
      }
    }
    // User info in the URL (http://user:pass@host) is the credentials, as for the aurora client's
    // requests; it is taken out of the URL so that no URL shown carries the password.
    Optional<Netrc.Credentials> fromUrl = HostCredentials.fromUserInfo(base);
    try {
      base = HostCredentials.withoutUserInfo(base);
    } catch (IllegalArgumentException e) {
      throw new SubmitException.InvalidConfiguration(
          "submitter setting scheduler_uri: not a URL: " + Urls.shown(base));
    }
    Optional<Netrc.Credentials> urlCredentials = fromUrl;
    if (!base.getPath().endsWith("/")) {
      base = URI.create(base + "/"); // urljoin(uri, 'api') keeps the path's last segment
    }
    events.on(LogEvent.debug("scheduler for " + key.cluster() + ": " + base));
    Optional<Netrc.Credentials> configured =
        settings
            .username()
            .map(u -> new Netrc.Credentials(u, settings.password().orElse("")))
            .or(() -> urlCredentials);
    Path netrcFile = settings.netrcFile().orElse(home.resolve(".netrc"));
    Netrc netrc;
    try {
      netrc = configured.isPresent() ? Netrc.parse("") : Netrc.read(netrcFile);
    } catch (IOException e) {
      throw new SubmitException.InvalidConfiguration(
          "cannot read " + netrcFile + ": " + e.getMessage());
    }
    return new SchedulerClient(
        base,
        http,
        host -> configured.isPresent() ? configured : netrc.lookup(host),
        settings.requestTimeout(),
        settings.retryBudget(),
        events);
  }

  /** Reads the job JSON, backfills the tier from the scheduler and converts it. */
  private JobConverter.Converted convert(SchedulerClient client, AuroraJobConfig config)
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
    backfillTier(client, job, key);
    try {
      return JobConverter.convert(job, key.cluster(), owner());
    } catch (ExecutorData.InvalidJob | IllegalArgumentException e) {
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

  /**
   * A tier the scheduler does not have is refused before anything is published: the client would
   * send it and the scheduler refuse the job only after the closures were pushed.
   */
  @Override
  public void checkBeforePublish(Job job, EventListener events)
      throws InvalidJobException, SubmitException {
    if (job.tier() == null) {
      return;
    }
    JobKey key = JobKey.of(job);
    Map<String, boolean[]> tiers = new java.util.LinkedHashMap<>();
    tierConfigs(client(key), key, tiers);
    if (!tiers.containsKey(job.tier())) {
      throw new InvalidJobException(
          "tier",
          "'"
              + job.tier()
              + "' is not one of the cluster's tiers "
              + tiers.keySet()
              + " (the scheduler's getTierConfigs); the scheduler would refuse the job");
    }
  }

  /** The scheduler's tiers into {@code tiers} (name to {preemptible, revocable}); the default. */
  private static String tierConfigs(
      SchedulerClient client, JobKey key, Map<String, boolean[]> tiers) throws SubmitException {
    TJsonReply.Struct response = readOnly(client, "getTierConfigs", new TJson.Struct());
    check("getTierConfigs", response, key);
    TJsonReply.Struct result =
        response
            .struct(3)
            .flatMap(r -> r.struct(27))
            .orElseThrow(
                () -> new SubmitException.ApiError("getTierConfigs: no tier configuration"));
    for (TJsonReply.Struct tier : result.structs(2)) {
      boolean preemptible = false;
      boolean revocable = false;
      for (Map.Entry<String, JsonNode> setting : tier.entries(2)) {
        boolean on = setting.getValue().asText().equalsIgnoreCase("true");
        if (setting.getKey().equals("preemptible")) {
          preemptible = on;
        } else if (setting.getKey().equals("revocable")) {
          revocable = on;
        }
      }
      tiers.put(tier.str(1).orElse(""), new boolean[] {preemptible, revocable});
    }
    return result.str(1).orElse("");
  }

  /** The client's tier backfill (docs/aurora-spec.md §2.2 step 6), written back into the job. */
  private void backfillTier(SchedulerClient client, ObjectNode job, JobKey key)
      throws SubmitException {
    Map<String, boolean[]> tiers = new java.util.LinkedHashMap<>();
    String defaultTier = tierConfigs(client, key, tiers);
    JsonNode tier = job.get("tier");
    if (tier == null || tier.isNull()) {
      boolean production = job.path("production").asBoolean(false);
      String chosen =
          tiers.entrySet().stream()
              .filter(t -> !t.getValue()[0] == production && !t.getValue()[1])
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(defaultTier);
      job.put("tier", chosen);
    } else {
      boolean[] found = tiers.get(tier.asText());
      if (found == null) {
        throw new SubmitException.InvalidConfiguration(
            "Error loading configuration: tier '"
                + tier.asText()
                + "' is not one of the cluster's"
                + " tiers "
                + tiers.keySet());
      }
      job.put("production", !found[0]);
    }
  }

  /** The job's tasks (getTasksWithoutConfigs). */
  private JobStatus tasks(SchedulerClient client, JobKey key) throws SubmitException {
    TJson.Struct query =
        new TJson.Struct().set(11, TJson.set("rec", List.of(JobConverter.jobKey(key))));
    TJsonReply.Struct response =
        readOnly(client, "getTasksWithoutConfigs", new TJson.Struct().set(1, query));
    check("getTasksWithoutConfigs", response, key);
    List<JobStatus.Task> tasks = new ArrayList<>();
    for (TJsonReply.Struct task :
        response.struct(3).flatMap(r -> r.struct(3)).map(r -> r.structs(1)).orElse(List.of())) {
      Optional<TJsonReply.Struct> assigned = task.struct(1);
      int status = task.integer(2).orElse(-1L).intValue();
      tasks.add(
          new JobStatus.Task(
              assigned.flatMap(a -> a.integer(6)).orElse(0L).intValue(),
              assigned.flatMap(a -> a.str(1)),
              status >= 0 && status < SCHEDULE_STATUS.length && SCHEDULE_STATUS[status] != null
                  ? SCHEDULE_STATUS[status]
                  : "UNKNOWN(" + status + ")",
              assigned.flatMap(a -> a.str(3)).filter(h -> !h.isEmpty())));
    }
    tasks.sort(Comparator.comparingInt(JobStatus.Task::instance));
    return new JobStatus(key, tasks, response.node().toString());
  }

  /** createJob or killTasks lost its answer: look at the job before saying anything. */
  private SubmitResult afterLostAnswer(
      SchedulerClient client,
      JobKey key,
      SubmitResult.Action action,
      String method,
      SchedulerClient.OutcomeUnknown lost)
      throws SubmitException {
    String why = lost.getMessage();
    JobStatus status;
    try {
      status = tasks(client, key);
    } catch (SubmitException e) {
      throw new SubmitException.Network(
          "the outcome of "
              + method
              + " for "
              + key
              + " is unknown: "
              + why
              + ", and the job's state could not be read ("
              + e.getMessage()
              + "); check with status before trying again",
          lost.getCause());
    }
    List<JobStatus.Task> active =
        status.tasks().stream().filter(t -> ACTIVE_STATES.contains(t.status())).toList();
    String url = jobUrl(client, key);
    if (action == SubmitResult.Action.CREATE && !active.isEmpty()) {
      return new SubmitResult(
          key,
          action,
          "Job create succeeded (confirmed by the scheduler's task list after "
              + why
              + "): job url="
              + url,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    if (action == SubmitResult.Action.KILL
        && active.stream().allMatch(t -> t.status().equals("KILLING"))) {
      return new SubmitResult(
          key,
          action,
          "Kill of " + key + " confirmed by the scheduler's task list after " + why,
          Optional.of(url),
          Optional.empty(),
          Optional.empty());
    }
    throw new SubmitException.Network(
        "the outcome of "
            + method
            + " for "
            + key
            + " is unknown: "
            + why
            + "; the scheduler lists "
            + active.size()
            + " active task(s). It was not retried, since repeating it is not safe; check with"
            + " status before trying again",
        lost.getCause());
  }

  /** A read-only call (retried after transport errors). */
  private static TJsonReply.Struct readOnly(
      SchedulerClient client, String method, TJson.Struct args) throws SubmitException {
    try {
      return client.call(method, args, true);
    } catch (SchedulerClient.OutcomeUnknown e) {
      throw new IllegalStateException("retried calls never report an unknown outcome", e);
    }
  }

  /** Turns a non-OK response code into the matching exception. */
  static void check(String method, TJsonReply.Struct response, JobKey key) throws SubmitException {
    int code = response.integer(1).orElse(-1L).intValue();
    String details = details(response);
    String message =
        method + " for " + key + " failed: " + (details.isEmpty() ? "(no details)" : details);
    switch (code) {
      case 1, 3 -> {} // OK, WARNING
      case 0 -> {
        // The scheduler reports "already exists" as INVALID_REQUEST; the aurora client treats
        // every createJob refusal as a command failure, and that is what the user can act on.
        if (details.contains("already exists")) {
          throw new SubmitException.CommandFailed(message);
        }
        throw new SubmitException.InvalidConfiguration(message);
      }
      case 4 -> throw new SubmitException.Authentication(message);
      case 2, 5 -> throw new SubmitException.CommandFailed(message);
      default -> throw new SubmitException.ApiError(message + " (response code " + code + ")");
    }
  }

  /** The response's details, one per line. */
  static String details(TJsonReply.Struct response) {
    // Bounded: the CLI cuts long lines for the terminal, but a 5 MB message is of no use anywhere.
    return SafeText.cut(
        response.structs(6).stream()
            .map(d -> d.str(1).orElse(""))
            .filter(s -> !s.isEmpty())
            .collect(Collectors.joining("\n")),
        MAX_DETAILS);
  }

  /**
   * The instances of one group of a diff. Ranges are expanded, so a hostile or broken answer with a
   * huge range is refused rather than expanded until the heap is full.
   */
  private static List<Integer> instances(TJsonReply.Struct diff, int field) throws SubmitException {
    List<Integer> out = new ArrayList<>();
    for (TJsonReply.Struct group : diff.structs(field)) {
      for (TJsonReply.Struct range : group.structs(3)) {
        long first = range.integer(1).orElse(0L);
        long last = range.integer(2).orElse(-1L);
        if (first < 0
            || last >= Integer.MAX_VALUE
            || last - first >= MAX_DIFF_INSTANCES
            || out.size() + Math.max(0, last - first + 1) > MAX_DIFF_INSTANCES) {
          throw new SubmitException.ApiError(
              "getJobUpdateDiff: the scheduler's answer names the instance range "
                  + first
                  + "-"
                  + last
                  + "; more than "
                  + MAX_DIFF_INSTANCES
                  + " instances, or negative ones, are not a real job");
        }
        for (long i = first; i <= last; i++) {
          out.add((int) i);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static String jobUrl(SchedulerClient client, JobKey key) {
    return client
        .base()
        .resolve("scheduler/" + key.role() + "/" + key.environment() + "/" + key.name())
        .toString();
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
