package io.nixaurora.submit.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A fake {@code aurora} executable (a bash script) that a test puts first on {@code PATH}. It
 * records each call's argv and the config file it was given (content and permissions), and answers
 * as configured per {@code noun verb}: exit code, stdout, stderr, or hanging with a child process.
 * In answers, {@code @KEY@} becomes the job key of the call and {@code @PATH@} its {@code
 * ROLE/ENV/NAME}.
 */
final class FakeAurora {

  private static final String SCRIPT =
      """
      #!/bin/bash
      # A stand-in for the aurora client, written by FakeAurora.
      rec="$FAKE_AURORA_DIR"
      n=$(( $(cat "$rec/count" 2>/dev/null || echo 0) + 1 ))
      echo "$n" > "$rec/count"
      printf '%s\\n' "$@" > "$rec/call-$n.args"
      key=""
      for a in "$@"; do
        if [ -f "$a" ]; then
          cp "$a" "$rec/call-$n.config"
          stat -c %a "$a" > "$rec/call-$n.filemode"
          stat -c %a "$(dirname "$a")" > "$rec/call-$n.dirmode"
        else
          case "$a" in */*/*/*) [ -z "$key" ] && key="$a";; esac
        fi
      done
      path="${key#*/}"
      answer="$rec/answer.$1-$2"
      subst() { sed -e "s|@KEY@|$key|g" -e "s|@PATH@|$path|g" "$1"; }
      if [ -f "$answer.hang" ]; then
        echo $$ > "$rec/client.pid"
        sleep 600 &
        echo $! > "$rec/child.pid"
        wait
      fi
      if [ ! -f "$answer.exit" ]; then
        echo "fake aurora: no answer for '$1 $2'" >&2
        exit 99
      fi
      if [ -f "$answer.out" ]; then subst "$answer.out"; fi
      if [ -f "$answer.err" ]; then subst "$answer.err" >&2; fi
      exit "$(cat "$answer.exit")"
      """;

  /** One recorded call. */
  record Call(List<String> argv, Optional<byte[]> config, String fileMode, String dirMode) {}

  private final Path bin;
  private final Path records;
  private final Path tempRoot;

  FakeAurora(Path base) throws IOException {
    bin = Files.createDirectories(base.resolve("bin"));
    records = Files.createDirectories(base.resolve("records"));
    tempRoot = Files.createDirectories(base.resolve("tmp"));
    Path script = bin.resolve("aurora");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The fake's directory first on PATH, the rest of this process's PATH after it. */
  Map<String, String> environment() {
    return Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_AURORA_DIR", records.toString());
  }

  /** Where the submitter makes its private temporary directories. */
  Path tempRoot() {
    return tempRoot;
  }

  Path executable() {
    return bin.resolve("aurora");
  }

  /** A submitter that runs {@code aurora} from PATH, i.e. this fake. */
  AuroraCliSubmitter submitter(Duration timeout) {
    return new AuroraCliSubmitter("aurora", timeout, environment(), tempRoot);
  }

  AuroraCliSubmitter submitter() {
    return submitter(Duration.ofSeconds(30));
  }

  /** Answers {@code aurora noun verb …} with this exit code and output. */
  void answer(String noun, String verb, int exit, String stdout, String stderr) throws IOException {
    String base = "answer." + noun + "-" + verb;
    Files.writeString(records.resolve(base + ".exit"), Integer.toString(exit));
    write(records.resolve(base + ".out"), stdout);
    write(records.resolve(base + ".err"), stderr);
  }

  /** Makes {@code aurora noun verb …} hang, with a child process, until it is killed. */
  void hang(String noun, String verb) throws IOException {
    Files.writeString(records.resolve("answer." + noun + "-" + verb + ".hang"), "");
  }

  /** Removes every answer, so a call nobody expects fails loudly. */
  void clearAnswers() throws IOException {
    try (Stream<Path> files = Files.list(records)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().startsWith("answer.")) {
          Files.delete(p);
        }
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    if (text == null) {
      Files.deleteIfExists(file);
    } else {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }

  /** The process ids of a hanging client and its child, once it has started them. */
  long clientPid() throws IOException {
    return Long.parseLong(Files.readString(records.resolve("client.pid")).strip());
  }

  long childPid() throws IOException {
    return Long.parseLong(Files.readString(records.resolve("child.pid")).strip());
  }

  /** The calls so far, in order. */
  List<Call> calls() throws IOException {
    List<Call> calls = new ArrayList<>();
    for (int n = 1; Files.exists(records.resolve("call-" + n + ".args")); n++) {
      String args = Files.readString(records.resolve("call-" + n + ".args"));
      List<String> argv = args.isEmpty() ? List.of() : List.of(args.split("\n", -1));
      if (!argv.isEmpty() && argv.get(argv.size() - 1).isEmpty()) {
        argv = argv.subList(0, argv.size() - 1);
      }
      Path config = records.resolve("call-" + n + ".config");
      calls.add(
          new Call(
              argv,
              Files.exists(config) ? Optional.of(Files.readAllBytes(config)) : Optional.empty(),
              readOr(records.resolve("call-" + n + ".filemode")),
              readOr(records.resolve("call-" + n + ".dirmode"))));
    }
    return calls;
  }

  private static String readOr(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file).strip() : "";
  }

  /** Whether the process is running (a zombie waiting to be reaped counts as gone). */
  static boolean isRunning(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      // "pid (comm) S …": the state follows the last ')'.
      char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  // ---- what the real client prints (client/cli/jobs.py, update.py, cron.py) ----

  static String scheduler() {
    return "http://192.168.33.7:8081";
  }

  static String createSucceeded() {
    return "Job create succeeded: job url=" + scheduler() + "/scheduler/@PATH@\n";
  }

  static String cronScheduled() {
    return "Cron job scheduled, status can be viewed at " + scheduler() + "/scheduler/@PATH@\n";
  }

  static String updateStarted(String updateId) {
    return "Job update has started. View your update progress at "
        + scheduler()
        + "/scheduler/@PATH@/update/"
        + updateId
        + "\n";
  }

  static String updateInfo(String updateId, String status) {
    return "Job: @KEY@, UpdateID: "
        + updateId
        + "\n"
        + "Started Sat Nov 28 04:40:01 2026, last activity: Sat Nov 28 04:40:07 2026\n"
        + "Current status: "
        + status
        + "\n"
        + "Update events:\n"
        + "  Status: ROLLING_FORWARD at Sat Nov 28 04:40:01 2026\n"
        + "Instance events:\n"
        + "  Instance 0 at Sat Nov 28 04:40:02 2026: INSTANCE_UPDATING\n";
  }

  static String killallSucceeded() {
    return "Successfully killed instances [0, 1, 2]\nJob killall succeeded\n";
  }

  static String noJobsFound(JobKey key) {
    return "Found no jobs matching " + key + "\n";
  }

  /** {@code aurora job status} text output ({@code StatusCommand.render_tasks_pretty}). */
  static String status(JobKey key, List<JobStatus.Task> tasks) {
    List<JobStatus.Task> active =
        tasks.stream().filter(t -> ClientOutput.ACTIVE_STATES.contains(t.status())).toList();
    List<JobStatus.Task> inactive =
        tasks.stream().filter(t -> !ClientOutput.ACTIVE_STATES.contains(t.status())).toList();
    StringBuilder out = new StringBuilder();
    out.append("Active tasks (").append(active.size()).append("):\n");
    active.forEach(t -> out.append(renderTask(key, t)));
    out.append("Inactive tasks (").append(inactive.size()).append("):\n");
    inactive.forEach(t -> out.append(renderTask(key, t)));
    return out.append('\n').toString();
  }

  private static String renderTask(JobKey key, JobStatus.Task task) {
    return "\tTask role: "
        + key.role()
        + ", env: "
        + key.environment()
        + ", name: "
        + key.name()
        + ", instance: "
        + task.instance()
        + ", status: "
        + task.status()
        + " on "
        + task.host().orElse("None")
        + "\n"
        + "\t  CPU: 0.5 core(s), RAM: 64 MB, Disk: 128 MB\n"
        + "\t  events:\n"
        + "\t   2026-11-28 04:10:01.123000 PENDING: None\n"
        + (task.status().equals("PENDING")
            ? ""
            : "\t   2026-11-28 04:10:02.456000 ASSIGNED: None\n"
                + "\t   2026-11-28 04:10:04.789000 "
                + task.status()
                + ": None\n")
        + "\t  metadata:\n"
        + "\t\t  (key: 'org.apache.aurora.client.update_id', value: 'x')\n";
  }
}
