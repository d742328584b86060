package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobStatus;
import io.nixaurora.core.StepListener;
import io.nixaurora.support.SafeText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora status KEY}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show a job's tasks.",
    sortOptions = false,
    description = "Shows the tasks of job KEY as the scheduler reports them.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora status devcluster/vagrant/devel/hello_world",
      "  nix-aurora status prod/www/prod/web --submitter http --json"
    })
public final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY", description = "CLUSTER/ROLE/ENV/NAME")
  String key;

  @Option(names = "--json", description = "Print the tasks as JSON.")
  boolean json;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  StatusCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    JobKey jobKey = JobArgument.key(key);
    Pipeline pipeline = session.pipeline(session.cluster(jobKey.cluster(), clusterOptions), err);
    JobStatus status = pipeline.facade(true, StepListener.NONE).status(jobKey);
    session.console(err).finish();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("key", jobKey.toString());
      ArrayNode tasks = root.putArray("tasks");
      for (JobStatus.Task t : status.tasks()) {
        ObjectNode n = tasks.addObject();
        n.put("instance", t.instance());
        n.put("status", t.status());
        t.taskId().ifPresent(id -> n.put("task_id", id));
        t.host().ifPresent(h -> n.put("host", h));
      }
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else if (status.tasks().isEmpty()) {
      out.println(jobKey + ": no active tasks");
    } else {
      out.println(jobKey);
      out.printf("  %-8s %-12s %-24s %s%n", "INSTANCE", "STATUS", "HOST", "TASK");
      for (JobStatus.Task t : status.tasks()) {
        out.printf(
            "  %-8d %-12s %-24s %s%n",
            t.instance(),
            SafeText.escape(t.status()),
            SafeText.escape(t.host().orElse("-")),
            SafeText.escape(t.taskId().orElse("-")));
      }
    }
    out.flush();
    return 0;
  }
}
