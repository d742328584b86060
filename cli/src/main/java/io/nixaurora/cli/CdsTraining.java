package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.compiler.JobJson;
import java.util.List;

/**
 * The launcher's AppCDS training run ({@code -Dnixaurora.cds.training=true}): besides the whole
 * command model, loads the classes a {@code build} uses after Nix has answered (the model, the
 * compiler, Jackson), so later starts map them from the archive instead of loading them.
 */
final class CdsTraining {
  private CdsTraining() {}

  static void run() throws Exception {
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
    new ObjectMapper().readTree(json);
    if (problems == null) {
      throw new IllegalStateException("unreachable");
    }
    Class.forName("io.nixaurora.nix.local.NixJobEvaluator");
    Class.forName("io.nixaurora.nix.local.LocalStoreProvider");
    Class.forName("io.nixaurora.nix.cache.BinaryCacheStoreProvider");
  }
}
