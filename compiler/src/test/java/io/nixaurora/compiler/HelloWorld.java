package io.nixaurora.compiler;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import java.util.LinkedHashMap;
import java.util.Map;

/** The proof of concept's hello_world job, as test fixtures. */
final class HelloWorld {

  static final String PYTHON = "/nix/store/q41nkp3p684xyjlnv02f8hnid234z4n8-python-2.7.10";
  static final String SCRIPT =
      "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-aurora-process-devcluster-vagrant-devel-hello_world-hello_world";

  /** An init command shaped like the local store provider's, fixed for golden output. */
  static final InitCommand INIT =
      script ->
          "/nix/var/nix/profiles/default/bin/nix-store --add-root .gc/"
              + script.process()
              + " -r "
              + script.path();

  private HelloWorld() {}

  static Job job() {
    return Job.builder()
        .cluster("devcluster")
        .role("vagrant")
        .environment("devel")
        .name("hello_world")
        .service(true)
        .task(
            Task.builder()
                .process(
                    Process.builder()
                        .name("hello_world")
                        .cmdline(
                            PYTHON
                                + "/bin/python2.7 /nix/store/53fxpfg3nkkjvzfvh54r8ccms2b3l7iz-hello_world.py/hello_world.py")
                        .build())
                .resources(Resources.of(1, 1 * Units.MB, 8 * Units.MB))
                .build())
        .build();
  }

  static BuiltJob built() {
    return built(job());
  }

  /** {@code job} with a made-up but valid process script for every process. */
  static BuiltJob built(Job job) {
    Map<String, ProcessScript> scripts = new LinkedHashMap<>();
    for (Process p : job.task().processes()) {
      String path =
          p.name().equals("hello_world")
              ? SCRIPT
              : "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-aurora-process-" + p.name();
      scripts.put(p.name(), new ProcessScript(p.name(), StorePath.of(path), "x86_64-linux"));
    }
    return new BuiltJob(job, scripts, "x86_64-linux");
  }
}
