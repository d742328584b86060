package io.nixaurora.submit.cli;

import io.nixaurora.api.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the aurora client prints on success (the formats of {@code client/cli/jobs.py}, {@code
 * update.py} and {@code cron.py}). Anything not recognised is left out, never guessed; the raw text
 * is always kept by the caller.
 */
final class ClientOutput {

  private static final Pattern URL = Pattern.compile("https?://\\S+");

  /**
   * One task line of {@code aurora job status} ({@code StatusCommand.render_tasks_pretty}): {@code
   * \tTask role: R, env: E, name: N, instance: I, status: S on HOST}.
   */
  private static final Pattern TASK_LINE =
      Pattern.compile(
          "^\\s*Task role: (.*?), env: (.*?), name: (.*?), instance: (\\d{1,9}), status: ([A-Z_]+) on"
              + " (.*?)\\s*$");

  /** The header of {@code aurora job status}'s active tasks: {@code Active tasks (N):}. */
  private static final Pattern ACTIVE_HEADER =
      Pattern.compile("(?m)^Active tasks \\((\\d{1,9})\\):");

  /** {@code update info}: {@code Job: KEY, UpdateID: ID}. */
  private static final Pattern UPDATE_ID_LINE = Pattern.compile("UpdateID: (\\S+)");

  /** {@code update info}: {@code Current status: STATUS}. */
  private static final Pattern UPDATE_STATUS_LINE = Pattern.compile("Current status: ([A-Z_]+)");

  /** The update page the scheduler UI shows: {@code …/scheduler/ROLE/ENV/NAME/update/ID}. */
  private static final Pattern UPDATE_URL = Pattern.compile("^(.*)/update/([^/?#\\s]+)/?$");

  /** Aurora's {@code ACTIVE_STATES} (api.thrift): tasks the scheduler still manages. */
  static final Set<String> ACTIVE_STATES = JobStatus.ACTIVE_STATES;

  private ClientOutput() {}

  /** The first URL printed, such as the job page in "Job create succeeded: job url=…". */
  static Optional<String> firstUrl(String text) {
    Matcher m = URL.matcher(text);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /**
   * The line holding {@code marker}, stripped, or else the last non-blank line, or else {@code
   * fallback}.
   */
  static String summaryLine(String text, String marker, String fallback) {
    String last = null;
    for (String line : text.split("\n")) {
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (marker != null && s.contains(marker)) {
        return s;
      }
      last = s;
    }
    return last != null ? last : fallback;
  }

  /** The tasks of {@code aurora job status} text output, in the order printed. */
  static List<JobStatus.Task> tasks(String text) {
    List<JobStatus.Task> tasks = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = TASK_LINE.matcher(line);
      if (m.matches()) {
        String host = m.group(6);
        tasks.add(
            new JobStatus.Task(
                Integer.parseInt(m.group(4)),
                // The text output carries no task id; only --write-json would.
                Optional.empty(),
                m.group(5),
                host.isEmpty() || host.equals("None") ? Optional.empty() : Optional.of(host)));
      }
    }
    return tasks;
  }

  /** The number of active tasks {@code aurora job status} announced, when it printed the header. */
  static OptionalInt activeCount(String text) {
    Matcher m = ACTIVE_HEADER.matcher(text);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** The header of {@code aurora job status}'s inactive tasks: {@code Inactive tasks (N):}. */
  private static final Pattern INACTIVE_HEADER =
      Pattern.compile("(?m)^Inactive tasks \\((\\d{1,9})\\):");

  /**
   * Whether {@code text} is {@code aurora job status} output this reader understood: both headers,
   * and as many task lines read as they announce. Anything else (another client's format, a
   * truncated or garbled answer) must not be taken for "no tasks".
   */
  static boolean statusUnderstood(String text, List<JobStatus.Task> tasks) {
    Matcher inactive = INACTIVE_HEADER.matcher(text);
    OptionalInt active = activeCount(text);
    return active.isPresent()
        && inactive.find()
        && active.getAsInt() + Integer.parseInt(inactive.group(1)) == tasks.size();
  }

  /** The update page URL split into the job page and the update id. */
  record UpdatePage(String jobUrl, String updateId) {}

  static Optional<UpdatePage> updatePage(String url) {
    Matcher m = UPDATE_URL.matcher(url);
    return m.matches() ? Optional.of(new UpdatePage(m.group(1), m.group(2))) : Optional.empty();
  }

  /** What {@code aurora update info} says about the job's update. */
  record UpdateInfo(Optional<String> updateId, Optional<String> status) {}

  static UpdateInfo updateInfo(String text) {
    Matcher id = UPDATE_ID_LINE.matcher(text);
    Matcher status = UPDATE_STATUS_LINE.matcher(text);
    return new UpdateInfo(
        id.find() ? Optional.of(id.group(1)) : Optional.empty(),
        status.find() ? Optional.of(status.group(1)) : Optional.empty());
  }
}
