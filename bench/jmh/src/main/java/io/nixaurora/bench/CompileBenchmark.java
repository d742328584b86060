package io.nixaurora.bench;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.model.Constraint;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import io.nixaurora.api.model.UpdateConfig;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.compiler.JobJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Jobs per second the compiler turns into Aurora JSON, for a service of 20 processes (a chain of
 * ordering constraints, a Thermos port template in every cmdline, an update config): validation,
 * the init processes and deterministic JSON writing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {

  static final int PROCESSES = 20;

  /** Shaped like the local store provider's init command. */
  static final InitCommand INIT =
      script ->
          "export NIX_REMOTE=daemon; /nix/var/nix/profiles/default/bin/nix-store"
              + " --add-root .gc/"
              + script.process()
              + " -r "
              + script.path();

  private final JobCompiler compiler = new JobCompiler();
  private final JobJson json = new JobJson();
  private BuiltJob built;
  private String jobJson;

  @Setup
  public void setUp() {
    Task.Builder task =
        Task.builder().resources(new Resources(2, 4 * Units.GB, 10 * Units.GB, null));
    Map<String, ProcessScript> scripts = new LinkedHashMap<>();
    for (int i = 0; i < PROCESSES; i++) {
      String name = "worker_" + i;
      task.process(
          Process.builder()
              .name(name)
              .cmdline(
                  "/nix/store/0c0gq2wrdrcsbvn0xbkcrb8n7yk2rsf3-worker-1.0/bin/worker --id "
                      + i
                      + " --port {{thermos.ports[http]}} --instance {{mesos.instance}}")
              .maxFailures(3)
              .build());
      if (i > 0) {
        task.constraint(Constraint.order("worker_" + (i - 1), name));
      }
      scripts.put(
          name,
          new ProcessScript(
              name,
              StorePath.of(
                  "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-aurora-process-devcluster-www"
                      + "-prod-workers-"
                      + name),
              "x86_64-linux"));
    }
    Job job =
        Job.builder()
            .cluster("devcluster")
            .role("www")
            .environment("prod")
            .name("workers")
            .service(true)
            .instances(10)
            .task(task.build())
            .updateConfig(UpdateConfig.builder().batchSize(2).maxTotalFailures(1).build())
            .placementConstraint("host", "limit:1")
            .build();
    built = new BuiltJob(job, scripts, "x86_64-linux");
    jobJson = json.write(job);
  }

  /** BuiltJob → Aurora JSON. */
  @Benchmark
  public AuroraJobConfig compile() throws InvalidJobException {
    return compiler.compile(built, INIT);
  }

  /** Job JSON (as the Nix front end hands it over) → model → Aurora JSON. */
  @Benchmark
  public AuroraJobConfig readAndCompile() throws InvalidJobException {
    Job job = json.read(jobJson);
    return compiler.compile(new BuiltJob(job, built.scripts(), built.system()), INIT);
  }
}
