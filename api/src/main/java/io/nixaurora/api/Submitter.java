package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Job;
import java.util.Optional;
import java.util.Set;

/**
 * Sends compiled jobs to an Aurora cluster. Implementations: {@code cli} (runs the {@code aurora}
 * client) and {@code http} (speaks the scheduler's Thrift API over HTTP).
 */
public interface Submitter {

  /** The name the submitter is selected by, such as {@code cli}. */
  String name();

  /**
   * The programs this submitter runs, as a user would name them (such as {@code the aurora
   * client}), for a message saying what an interruption stopped; empty when it runs none.
   */
  default Optional<String> programs() {
    return Optional.empty();
  }

  /**
   * Checks what can be checked before any job is built, such as that the program it runs exists, so
   * that nothing is built or published for a submission that cannot start. The default checks
   * nothing.
   *
   * @throws SubmitException saying what is missing and how to provide it
   */
  default void checkReady() throws SubmitException {}

  /**
   * Refuses, without asking the cluster, a job this submitter can never submit (such as one its
   * client cannot load). {@code create} and {@code update} call it before anything is published,
   * and so does a dry run, which asks the cluster nothing. The default accepts every job.
   *
   * @throws InvalidJobException naming the field the submitter cannot carry
   * @throws SubmitException with the exit code the submitter gives such a job
   */
  default void checkSubmittable(Job job) throws InvalidJobException, SubmitException {}

  /**
   * Checks, before anything is published, what only the cluster knows and would refuse, such as a
   * tier it does not have; {@code create} and {@code update} call it after the job's own rules
   * passed, so a refused job publishes nothing. The default checks nothing.
   *
   * @param events where a submitter says what it cannot check
   * @throws InvalidJobException naming the field the cluster would refuse
   * @throws SubmitException when the cluster cannot be asked
   */
  default void checkBeforePublish(Job job, EventListener events)
      throws InvalidJobException, SubmitException {}

  /**
   * Creates the job; a cron job (one with {@code cron_schedule}) is scheduled instead.
   *
   * @throws SubmitException with the specific subclass for the failure
   */
  SubmitResult create(AuroraJobConfig config) throws SubmitException;

  /**
   * Starts a rolling update of a service to {@code config} and reports the update's state.
   *
   * @throws SubmitException with the specific subclass for the failure
   */
  SubmitResult update(AuroraJobConfig config) throws SubmitException;

  /**
   * Kills every instance of the job.
   *
   * @throws SubmitException with the specific subclass for the failure
   */
  SubmitResult kill(JobKey key) throws SubmitException;

  /**
   * The job's tasks as the scheduler reports them.
   *
   * @throws SubmitException with the specific subclass for the failure
   */
  JobStatus status(JobKey key) throws SubmitException;

  /**
   * What an update to {@code config} would change, when the submitter can ask the scheduler; empty
   * when it cannot (the CLI then compares with the last config it submitted).
   *
   * @throws SubmitException with the specific subclass for the failure
   */
  default Optional<JobDiff> diff(AuroraJobConfig config) throws SubmitException {
    return Optional.empty();
  }

  /**
   * Every store path named by a task configuration the scheduler of {@code cluster} may still
   * launch: the active and pending tasks of every job (every instance, so the old and the new
   * configuration during a rolling update), the configurations of updates in progress (both
   * directions, as an update may roll back), and cron job templates. A binary cache's garbage
   * collection keeps their closures.
   *
   * <p>An answer is complete or an exception: a scheduler that cannot be read never yields an empty
   * set, which would mean "nothing is live".
   *
   * @throws SubmitException when the scheduler cannot be read completely, or the submitter cannot
   *     list configurations at all (the default)
   */
  default Set<StorePath> liveStorePaths(String cluster) throws SubmitException {
    throw new SubmitException.CommandFailed(
        "the " + name() + " submitter cannot list the job configurations the scheduler may launch");
  }
}
