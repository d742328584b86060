package io.nixaurora.submit.cli;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.Submitter;
import io.nixaurora.tck.SubmitterContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The Submitter contract, run against the fake {@code aurora} client. */
class AuroraCliSubmitterContractIT extends SubmitterContract {

  @TempDir Path dir;

  @Override
  protected FakeCluster startCluster() throws Exception {
    return new FakeAuroraCluster(new FakeAurora(dir));
  }

  @Override
  protected Submitter newSubmitter(FakeCluster cluster) {
    return ((FakeAuroraCluster) cluster).aurora.submitter();
  }

  @Override
  protected String expectedName() {
    return "cli";
  }

  /** The contract's fake cluster, played by the fake client. */
  private static final class FakeAuroraCluster implements FakeCluster {
    final FakeAurora aurora;

    FakeAuroraCluster(FakeAurora aurora) {
      this.aurora = aurora;
    }

    @Override
    public void accept(List<JobStatus.Task> tasks, String updateId, String updateStatus)
        throws Exception {
      aurora.clearAnswers();
      aurora.answer("job", "create", 0, FakeAurora.createSucceeded(), "");
      aurora.answer("cron", "schedule", 0, FakeAurora.cronScheduled(), "");
      aurora.answer("update", "start", 0, FakeAurora.updateStarted(updateId), "");
      aurora.answer("update", "info", 0, FakeAurora.updateInfo(updateId, updateStatus), "");
      aurora.answer("job", "killall", 0, FakeAurora.killallSucceeded(), "");
      if (tasks.isEmpty()) {
        aurora.answer("job", "status", 6, "", FakeAurora.noJobsFound(KEY));
      } else {
        aurora.answer("job", "status", 0, FakeAurora.status(KEY, tasks), "");
      }
    }

    @Override
    public void reject(Failure failure, String clusterMessage) throws Exception {
      aurora.clearAnswers();
      // What the client prints on stderr for each kind (a CommandError is printed as "Error
      // executing command: <msg>").
      int exit;
      String stderr;
      switch (failure) {
        case INVALID_CONFIGURATION -> {
          exit = 3;
          stderr = "Error executing command: Error loading configuration: " + clusterMessage;
        }
        case COMMAND_FAILED -> {
          exit = 4;
          stderr =
              "Job creation failed due to error:\n\t"
                  + clusterMessage
                  + "\nError executing command: Job creation failed due to error:";
        }
        case AUTHENTICATION -> {
          exit = 30;
          stderr = "Error executing command: Unauthorized: " + clusterMessage;
        }
        default -> throw new IllegalArgumentException(failure.toString());
      }
      for (String[] nv :
          new String[][] {
            {"job", "create"},
            {"cron", "schedule"},
            {"update", "start"},
            {"update", "info"},
            {"job", "killall"},
            {"job", "status"}
          }) {
        aurora.answer(nv[0], nv[1], exit, "", stderr + "\n");
      }
    }

    @Override
    public List<Call> calls() throws Exception {
      List<Call> calls = new ArrayList<>();
      for (FakeAurora.Call call : aurora.calls()) {
        List<String> argv = call.argv();
        Operation op =
            switch (argv.get(0) + " " + argv.get(1)) {
              case "job create" -> Operation.CREATE_JOB;
              case "cron schedule" -> Operation.SCHEDULE_CRON;
              case "update start" -> Operation.START_UPDATE;
              case "update info" -> Operation.UPDATE_STATUS;
              case "job killall" -> Operation.KILL_JOB;
              case "job status" -> Operation.JOB_STATUS;
              default -> throw new AssertionError("unexpected aurora call " + argv);
            };
        String key = argv.stream().filter(a -> a.startsWith("devcluster/")).findFirst().get();
        calls.add(new Call(op, JobKey.parse(key)));
      }
      return calls;
    }
  }
}
