package io.nixaurora.cli;

import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.compiler.JobJson;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * The launcher's AppCDS training run ({@code -Dnixaurora.cds.training=true}), after the command the
 * launcher trains with (a warm {@code build} of the hello_world example): loads the whole command
 * model ({@code --help}), then compiles a job built here, so the model, the compiler and Jackson
 * are in the archive even when the training build fails (no Nix yet), and reads its JSON back as
 * {@code run JOB.json} does. Later starts map these classes from the archive instead of loading
 * them.
 */
final class CdsTraining {
  private CdsTraining() {}

  static void run() throws Exception {
    PrintWriter none = new PrintWriter(Writer.nullWriter());
    Main.execute(Environment.system(), none, none, "--help");
    Job job =
        Job.builder()
            .key("devcluster", "vagrant", "devel", "training")
            .service(true)
            .task(
                Task.builder()
                    .process(Process.builder().name("p").cmdline("true").build())
                    .resources(Resources.of(1, 16 * Units.MB, 16 * Units.MB))
                    .build())
            .build();
    JobCompiler compiler = new JobCompiler();
    List<?> problems = compiler.validate(job);
    String json = new JobJson().write(job);
    new JobJson().read(json);
    if (problems == null) {
      throw new IllegalStateException("unreachable");
    }
    Class.forName("io.nixaurora.nix.local.NixJobEvaluator");
    Class.forName("io.nixaurora.nix.local.LocalStoreProvider");
    Class.forName("io.nixaurora.nix.cache.BinaryCacheStoreProvider");
  }
}
