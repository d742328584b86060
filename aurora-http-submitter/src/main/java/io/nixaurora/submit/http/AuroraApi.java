package io.nixaurora.submit.http;

import java.util.Optional;
import java.util.Set;

/**
 * The parts of Aurora 0.22's scheduler API ({@code api.thrift}, docs/aurora-spec.md §4) that the
 * http submitter sends or reads, by name: one class per struct or union with its field ids, one per
 * call with its method name and argument ids, and the enums with their values. Names are
 * api.thrift's, in constant case ({@code TaskConfig.maxTaskFailures} is {@link
 * TaskConfig#MAX_TASK_FAILURES}), as are the constants it declares. AuroraApiTest checks every one
 * of them against the API that Thrift generates from 0.22's api.thrift, so a wrong id or a misspelt
 * name fails a test.
 */
final class AuroraApi {
  /** ExecutorConfig.name of Thermos jobs, whose data the client writes. */
  static final String AURORA_EXECUTOR_NAME = "AuroraExecutor";

  /** What a role, environment or job name must match (Python's {@code re}; ASCII {@code \w}). */
  static final String GOOD_IDENTIFIER_PATTERN_PYTHON = "^[\\w\\-\\.]+$";

  /** The task states of a job that is there (a task the scheduler still acts on). */
  static final Set<ScheduleStatus> ACTIVE_STATES =
      Set.of(
          ScheduleStatus.ASSIGNED,
          ScheduleStatus.DRAINING,
          ScheduleStatus.KILLING,
          ScheduleStatus.PENDING,
          ScheduleStatus.PREEMPTING,
          ScheduleStatus.RESTARTING,
          ScheduleStatus.RUNNING,
          ScheduleStatus.STARTING,
          ScheduleStatus.PARTITIONED,
          ScheduleStatus.THROTTLED);

  /** The states of an update in progress. */
  static final Set<JobUpdateStatus> ACTIVE_JOB_UPDATE_STATES =
      Set.of(
          JobUpdateStatus.ROLLING_FORWARD,
          JobUpdateStatus.ROLLING_BACK,
          JobUpdateStatus.ROLL_FORWARD_PAUSED,
          JobUpdateStatus.ROLL_BACK_PAUSED,
          JobUpdateStatus.ROLL_FORWARD_AWAITING_PULSE,
          JobUpdateStatus.ROLL_BACK_AWAITING_PULSE);

  private AuroraApi() {}

  /** A Thrift enum: its constants are named as in api.thrift and carry its values. */
  interface ThriftEnum {
    int value();

    /** The constant of {@code type} with the value {@code value}, if there is one. */
    static <E extends Enum<E> & ThriftEnum> Optional<E> of(Class<E> type, long value) {
      for (E constant : type.getEnumConstants()) {
        if (constant.value() == value) {
          return Optional.of(constant);
        }
      }
      return Optional.empty();
    }
  }

  /** struct JobKey. */
  static final class JobKey {
    static final short ROLE = 1;
    static final short ENVIRONMENT = 2;
    static final short NAME = 3;

    private JobKey() {}
  }

  /** struct Identity. */
  static final class Identity {
    static final short USER = 2;

    private Identity() {}
  }

  /** struct Metadata. */
  static final class Metadata {
    static final short KEY = 1;
    static final short VALUE = 2;

    private Metadata() {}
  }

  /** struct ExecutorConfig. */
  static final class ExecutorConfig {
    static final short NAME = 1;
    static final short DATA = 2;

    private ExecutorConfig() {}
  }

  /** struct Range. */
  static final class Range {
    static final short FIRST = 1;
    static final short LAST = 2;

    private Range() {}
  }

  /** struct JobUpdateKey. */
  static final class JobUpdateKey {
    static final short JOB = 1;
    static final short ID = 2;

    private JobUpdateKey() {}
  }

  /** struct ResponseDetail. */
  static final class ResponseDetail {
    static final short MESSAGE = 1;

    private ResponseDetail() {}
  }

  /** union Resource (exactly one field is set). */
  static final class Resource {
    static final short NUM_CPUS = 1;
    static final short RAM_MB = 2;
    static final short DISK_MB = 3;
    static final short NAMED_PORT = 4;
    static final short NUM_GPUS = 5;

    private Resource() {}
  }

  /** struct ValueConstraint. */
  static final class ValueConstraint {
    static final short NEGATED = 1;
    static final short VALUES = 2;

    private ValueConstraint() {}
  }

  /** struct LimitConstraint. */
  static final class LimitConstraint {
    static final short LIMIT = 1;

    private LimitConstraint() {}
  }

  /** union TaskConstraint (exactly one field is set). */
  static final class TaskConstraint {
    static final short VALUE = 1;
    static final short LIMIT = 2;

    private TaskConstraint() {}
  }

  /** struct Constraint. */
  static final class Constraint {
    static final short NAME = 1;
    static final short CONSTRAINT = 2;

    private Constraint() {}
  }

  /** union Container (exactly one field is set). */
  static final class Container {
    static final short MESOS = 1;
    static final short DOCKER = 2;

    private Container() {}
  }

  /** struct MesosContainer. */
  static final class MesosContainer {
    static final short IMAGE = 1;
    static final short VOLUMES = 2;

    private MesosContainer() {}
  }

  /** union Image (exactly one field is set). */
  static final class Image {
    static final short DOCKER = 1;
    static final short APPC = 2;

    private Image() {}
  }

  /** struct DockerImage. */
  static final class DockerImage {
    static final short NAME = 1;
    static final short TAG = 2;

    private DockerImage() {}
  }

  /** struct AppcImage. */
  static final class AppcImage {
    static final short NAME = 1;
    static final short IMAGE_ID = 2;

    private AppcImage() {}
  }

  /** struct Volume. */
  static final class Volume {
    static final short CONTAINER_PATH = 1;
    static final short HOST_PATH = 2;
    static final short MODE = 3;

    private Volume() {}
  }

  /** struct DockerContainer. */
  static final class DockerContainer {
    static final short IMAGE = 1;
    static final short PARAMETERS = 2;

    private DockerContainer() {}
  }

  /** struct DockerParameter. */
  static final class DockerParameter {
    static final short NAME = 1;
    static final short VALUE = 2;

    private DockerParameter() {}
  }

  /** struct PartitionPolicy. */
  static final class PartitionPolicy {
    static final short RESCHEDULE = 1;
    static final short DELAY_SECS = 2;

    private PartitionPolicy() {}
  }

  /** union SlaPolicy (exactly one field is set). */
  static final class SlaPolicy {
    static final short PERCENTAGE_SLA_POLICY = 1;
    static final short COUNT_SLA_POLICY = 2;
    static final short COORDINATOR_SLA_POLICY = 3;

    private SlaPolicy() {}
  }

  /** struct PercentageSlaPolicy. */
  static final class PercentageSlaPolicy {
    static final short PERCENTAGE = 1;
    static final short DURATION_SECS = 2;

    private PercentageSlaPolicy() {}
  }

  /** struct CountSlaPolicy. */
  static final class CountSlaPolicy {
    static final short COUNT = 1;
    static final short DURATION_SECS = 2;

    private CountSlaPolicy() {}
  }

  /** struct CoordinatorSlaPolicy. */
  static final class CoordinatorSlaPolicy {
    static final short COORDINATOR_URL = 1;
    static final short STATUS_KEY = 2;

    private CoordinatorSlaPolicy() {}
  }

  /** struct TaskConfig. */
  static final class TaskConfig {
    static final short IS_SERVICE = 7;
    static final short PRIORITY = 11;
    static final short MAX_TASK_FAILURES = 13;
    static final short OWNER = 17;
    static final short PRODUCTION = 18;
    static final short CONSTRAINTS = 20;
    static final short TASK_LINKS = 22;
    static final short CONTACT_EMAIL = 23;
    static final short EXECUTOR_CONFIG = 25;
    static final short METADATA = 27;
    static final short JOB = 28;
    static final short CONTAINER = 29;
    static final short TIER = 30;
    static final short RESOURCES = 32;
    static final short MESOS_FETCHER_URIS = 33;
    static final short PARTITION_POLICY = 34;
    static final short SLA_POLICY = 35;

    private TaskConfig() {}
  }

  /** struct JobConfiguration. */
  static final class JobConfiguration {
    static final short CRON_SCHEDULE = 4;
    static final short CRON_COLLISION_POLICY = 5;
    static final short TASK_CONFIG = 6;
    static final short OWNER = 7;
    static final short INSTANCE_COUNT = 8;
    static final short KEY = 9;

    private JobConfiguration() {}
  }

  /** struct TaskQuery. */
  static final class TaskQuery {
    static final short JOB_NAME = 2;
    static final short TASK_IDS = 4;
    static final short STATUSES = 5;
    static final short INSTANCE_IDS = 7;
    static final short ENVIRONMENT = 9;
    static final short SLAVE_HOSTS = 10;
    static final short JOB_KEYS = 11;
    static final short OFFSET = 12;
    static final short LIMIT = 13;
    static final short ROLE = 14;

    private TaskQuery() {}
  }

  /** struct AssignedTask. */
  static final class AssignedTask {
    static final short TASK_ID = 1;
    static final short SLAVE_ID = 2;
    static final short SLAVE_HOST = 3;
    static final short TASK = 4;
    static final short ASSIGNED_PORTS = 5;
    static final short INSTANCE_ID = 6;

    private AssignedTask() {}
  }

  /** struct ScheduledTask. */
  static final class ScheduledTask {
    static final short ASSIGNED_TASK = 1;
    static final short STATUS = 2;
    static final short FAILURE_COUNT = 3;
    static final short TASK_EVENTS = 4;
    static final short ANCESTOR_ID = 5;
    static final short TIMES_PARTITIONED = 6;

    private ScheduledTask() {}
  }

  /** union JobUpdateStrategy (exactly one field is set). */
  static final class JobUpdateStrategy {
    static final short QUEUE_STRATEGY = 1;
    static final short BATCH_STRATEGY = 2;
    static final short VAR_BATCH_STRATEGY = 3;

    private JobUpdateStrategy() {}
  }

  /** struct QueueJobUpdateStrategy. */
  static final class QueueJobUpdateStrategy {
    static final short GROUP_SIZE = 1;

    private QueueJobUpdateStrategy() {}
  }

  /** struct BatchJobUpdateStrategy. */
  static final class BatchJobUpdateStrategy {
    static final short GROUP_SIZE = 1;
    static final short AUTOPAUSE_AFTER_BATCH = 2;

    private BatchJobUpdateStrategy() {}
  }

  /** struct VariableBatchJobUpdateStrategy. */
  static final class VariableBatchJobUpdateStrategy {
    static final short GROUP_SIZES = 1;
    static final short AUTOPAUSE_AFTER_BATCH = 2;

    private VariableBatchJobUpdateStrategy() {}
  }

  /** struct JobUpdateSettings. */
  static final class JobUpdateSettings {
    static final short UPDATE_GROUP_SIZE = 1;
    static final short MAX_PER_INSTANCE_FAILURES = 2;
    static final short MAX_FAILED_INSTANCES = 3;
    static final short MIN_WAIT_IN_INSTANCE_RUNNING_MS = 5;
    static final short ROLLBACK_ON_FAILURE = 6;
    static final short UPDATE_ONLY_THESE_INSTANCES = 7;
    static final short WAIT_FOR_BATCH_COMPLETION = 8;
    static final short BLOCK_IF_NO_PULSES_AFTER_MS = 9;
    static final short SLA_AWARE = 10;
    static final short UPDATE_STRATEGY = 11;

    private JobUpdateSettings() {}
  }

  /** struct JobUpdateRequest. */
  static final class JobUpdateRequest {
    static final short TASK_CONFIG = 1;
    static final short INSTANCE_COUNT = 2;
    static final short SETTINGS = 3;
    static final short METADATA = 4;

    private JobUpdateRequest() {}
  }

  /** struct JobUpdateQuery. */
  static final class JobUpdateQuery {
    static final short ROLE = 2;
    static final short JOB_KEY = 3;
    static final short USER = 4;
    static final short UPDATE_STATUSES = 5;
    static final short OFFSET = 6;
    static final short LIMIT = 7;
    static final short KEY = 8;

    private JobUpdateQuery() {}
  }

  /** struct JobUpdateSummary. */
  static final class JobUpdateSummary {
    static final short USER = 3;
    static final short STATE = 4;
    static final short KEY = 5;
    static final short METADATA = 6;

    private JobUpdateSummary() {}
  }

  /** struct JobUpdateState. */
  static final class JobUpdateState {
    static final short STATUS = 1;
    static final short CREATED_TIMESTAMP_MS = 2;
    static final short LAST_MODIFIED_TIMESTAMP_MS = 3;

    private JobUpdateState() {}
  }

  /** struct StartJobUpdateResult. */
  static final class StartJobUpdateResult {
    static final short KEY = 1;
    static final short UPDATE_SUMMARY = 2;

    private StartJobUpdateResult() {}
  }

  /** struct TierConfig. */
  static final class TierConfig {
    static final short NAME = 1;
    static final short SETTINGS = 2;

    private TierConfig() {}
  }

  /** struct GetTierConfigResult. */
  static final class GetTierConfigResult {
    static final short DEFAULT_TIER_NAME = 1;
    static final short TIERS = 2;

    private GetTierConfigResult() {}
  }

  /** struct Response. */
  static final class Response {
    static final short RESPONSE_CODE = 1;
    static final short RESULT = 3;
    static final short SERVER_INFO = 5;
    static final short DETAILS = 6;

    private Response() {}
  }

  /** union Result (exactly one field is set). */
  static final class Result {
    static final short POPULATE_JOB_RESULT = 1;
    static final short SCHEDULE_STATUS_RESULT = 3;
    static final short GET_JOBS_RESULT = 4;
    static final short GET_QUOTA_RESULT = 5;
    static final short LIST_BACKUPS_RESULT = 6;
    static final short START_MAINTENANCE_RESULT = 7;
    static final short DRAIN_HOSTS_RESULT = 8;
    static final short QUERY_RECOVERY_RESULT = 9;
    static final short MAINTENANCE_STATUS_RESULT = 10;
    static final short END_MAINTENANCE_RESULT = 11;
    static final short ROLE_SUMMARY_RESULT = 17;
    static final short JOB_SUMMARY_RESULT = 18;
    static final short CONFIG_SUMMARY_RESULT = 20;
    static final short GET_PENDING_REASON_RESULT = 21;
    static final short START_JOB_UPDATE_RESULT = 22;
    static final short GET_JOB_UPDATE_SUMMARIES_RESULT = 23;
    static final short GET_JOB_UPDATE_DETAILS_RESULT = 24;
    static final short PULSE_JOB_UPDATE_RESULT = 25;
    static final short GET_JOB_UPDATE_DIFF_RESULT = 26;
    static final short GET_TIER_CONFIG_RESULT = 27;

    private Result() {}
  }

  /** struct ScheduleStatusResult. */
  static final class ScheduleStatusResult {
    static final short TASKS = 1;

    private ScheduleStatusResult() {}
  }

  /** struct GetJobUpdateSummariesResult. */
  static final class GetJobUpdateSummariesResult {
    static final short UPDATE_SUMMARIES = 1;

    private GetJobUpdateSummariesResult() {}
  }

  /** struct GetJobUpdateDiffResult. */
  static final class GetJobUpdateDiffResult {
    static final short ADD = 1;
    static final short REMOVE = 2;
    static final short UPDATE = 3;
    static final short UNCHANGED = 4;

    private GetJobUpdateDiffResult() {}
  }

  /** struct ConfigGroup. */
  static final class ConfigGroup {
    static final short CONFIG = 1;
    static final short INSTANCES = 3;

    private ConfigGroup() {}
  }

  /** struct ServerInfo. */
  static final class ServerInfo {
    static final short CLUSTER_NAME = 1;
    static final short STATS_URL_PREFIX = 3;

    private ServerInfo() {}
  }

  /** struct GetJobsResult. */
  static final class GetJobsResult {
    static final short CONFIGS = 1;

    private GetJobsResult() {}
  }

  /** struct JobSummaryResult. */
  static final class JobSummaryResult {
    static final short SUMMARIES = 1;

    private JobSummaryResult() {}
  }

  /** struct JobUpdate. */
  static final class JobUpdate {
    static final short SUMMARY = 1;
    static final short INSTRUCTIONS = 2;

    private JobUpdate() {}
  }

  /** struct JobUpdateDetails. */
  static final class JobUpdateDetails {
    static final short UPDATE = 1;
    static final short UPDATE_EVENTS = 2;
    static final short INSTANCE_EVENTS = 3;

    private JobUpdateDetails() {}
  }

  /** struct GetJobUpdateDetailsResult. */
  static final class GetJobUpdateDetailsResult {
    static final short DETAILS = 1;
    static final short DETAILS_LIST = 2;

    private GetJobUpdateDetailsResult() {}
  }

  /** struct JobUpdateInstructions. */
  static final class JobUpdateInstructions {
    static final short INITIAL_STATE = 1;
    static final short DESIRED_STATE = 2;
    static final short SETTINGS = 3;

    private JobUpdateInstructions() {}
  }

  /** struct InstanceTaskConfig. */
  static final class InstanceTaskConfig {
    static final short TASK = 1;
    static final short INSTANCES = 2;

    private InstanceTaskConfig() {}
  }

  /** The arguments of AuroraSchedulerManager.createJob. */
  static final class CreateJobArgs {
    static final String METHOD = "createJob";
    static final short DESCRIPTION = 1;

    private CreateJobArgs() {}
  }

  /** The arguments of AuroraSchedulerManager.scheduleCronJob. */
  static final class ScheduleCronJobArgs {
    static final String METHOD = "scheduleCronJob";
    static final short DESCRIPTION = 1;

    private ScheduleCronJobArgs() {}
  }

  /** The arguments of AuroraSchedulerManager.killTasks. */
  static final class KillTasksArgs {
    static final String METHOD = "killTasks";
    static final short JOB = 4;
    static final short INSTANCES = 5;
    static final short MESSAGE = 6;

    private KillTasksArgs() {}
  }

  /** The arguments of AuroraSchedulerManager.startJobUpdate. */
  static final class StartJobUpdateArgs {
    static final String METHOD = "startJobUpdate";
    static final short REQUEST = 1;
    static final short MESSAGE = 3;

    private StartJobUpdateArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getTasksWithoutConfigs. */
  static final class GetTasksWithoutConfigsArgs {
    static final String METHOD = "getTasksWithoutConfigs";
    static final short QUERY = 1;

    private GetTasksWithoutConfigsArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getTasksStatus. */
  static final class GetTasksStatusArgs {
    static final String METHOD = "getTasksStatus";
    static final short QUERY = 1;

    private GetTasksStatusArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getJobs. */
  static final class GetJobsArgs {
    static final String METHOD = "getJobs";
    static final short OWNER_ROLE = 1;

    private GetJobsArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getJobSummary. */
  static final class GetJobSummaryArgs {
    static final String METHOD = "getJobSummary";
    static final short ROLE = 1;

    private GetJobSummaryArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getJobUpdateSummaries. */
  static final class GetJobUpdateSummariesArgs {
    static final String METHOD = "getJobUpdateSummaries";
    static final short JOB_UPDATE_QUERY = 1;

    private GetJobUpdateSummariesArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getJobUpdateDetails. */
  static final class GetJobUpdateDetailsArgs {
    static final String METHOD = "getJobUpdateDetails";
    static final short KEY = 1;
    static final short QUERY = 2;

    private GetJobUpdateDetailsArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getJobUpdateDiff. */
  static final class GetJobUpdateDiffArgs {
    static final String METHOD = "getJobUpdateDiff";
    static final short REQUEST = 1;

    private GetJobUpdateDiffArgs() {}
  }

  /** The arguments of ReadOnlyScheduler.getTierConfigs. */
  static final class GetTierConfigsArgs {
    static final String METHOD = "getTierConfigs";

    private GetTierConfigsArgs() {}
  }

  /** enum ResponseCode. */
  enum ResponseCode implements ThriftEnum {
    INVALID_REQUEST(0),
    OK(1),
    ERROR(2),
    WARNING(3),
    AUTH_FAILED(4),
    JOB_UPDATING_ERROR(5),
    ERROR_TRANSIENT(6);

    private final int value;

    ResponseCode(int value) {
      this.value = value;
    }

    @Override
    public int value() {
      return value;
    }
  }

  /** enum ScheduleStatus. */
  enum ScheduleStatus implements ThriftEnum {
    PENDING(0),
    STARTING(1),
    RUNNING(2),
    FINISHED(3),
    FAILED(4),
    KILLED(5),
    KILLING(6),
    LOST(7),
    ASSIGNED(9),
    INIT(11),
    RESTARTING(12),
    PREEMPTING(13),
    THROTTLED(16),
    DRAINING(17),
    PARTITIONED(18);

    private final int value;

    ScheduleStatus(int value) {
      this.value = value;
    }

    @Override
    public int value() {
      return value;
    }
  }

  /** enum JobUpdateStatus. */
  enum JobUpdateStatus implements ThriftEnum {
    ROLLING_FORWARD(0),
    ROLLING_BACK(1),
    ROLL_FORWARD_PAUSED(2),
    ROLL_BACK_PAUSED(3),
    ROLLED_FORWARD(4),
    ROLLED_BACK(5),
    ABORTED(6),
    ERROR(7),
    FAILED(8),
    ROLL_FORWARD_AWAITING_PULSE(9),
    ROLL_BACK_AWAITING_PULSE(10);

    private final int value;

    JobUpdateStatus(int value) {
      this.value = value;
    }

    @Override
    public int value() {
      return value;
    }
  }

  /** enum CronCollisionPolicy. */
  enum CronCollisionPolicy implements ThriftEnum {
    KILL_EXISTING(0),
    CANCEL_NEW(1),
    RUN_OVERLAP(2);

    private final int value;

    CronCollisionPolicy(int value) {
      this.value = value;
    }

    @Override
    public int value() {
      return value;
    }
  }

  /** enum Mode. */
  enum Mode implements ThriftEnum {
    RW(1),
    RO(2);

    private final int value;

    Mode(int value) {
      this.value = value;
    }

    @Override
    public int value() {
      return value;
    }
  }
}
