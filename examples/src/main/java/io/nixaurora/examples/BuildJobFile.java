package io.nixaurora.examples;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import io.nixaurora.nix.local.NixJobEvaluator;
import java.nio.file.Path;
import java.util.Map;

/**
 * Embedding example (and the benchmark's driver, {@code bench/build-warm.sh}): builds a job file or
 * directory with Nix and prints its Aurora JSON, as {@code nix-aurora build JOB} does.
 *
 * <pre>
 * java -cp … io.nixaurora.examples.BuildJobFile examples/hello_world [--repeat N]
 * </pre>
 *
 * With {@code --repeat N} it builds N times in one JVM and prints the mean time per build on stderr
 * (the evaluator's cost without JVM start-up).
 */
public final class BuildJobFile {

  private BuildJobFile() {}

  /** Builds {@code job} and compiles it for a {@code local}-store cluster. */
  public static AuroraJobConfig build(NixJobEvaluator evaluator, Path job)
      throws NixAuroraException {
    BuiltJob built = evaluator.evaluate(JobSource.file(job), EventListener.NONE);
    return new JobCompiler()
        .compile(built, new LocalStoreProviderFactory().create(Map.of()).initCommand());
  }

  public static void main(String[] args) throws NixAuroraException {
    if (args.length != 1 && !(args.length == 3 && args[1].equals("--repeat"))) {
      System.err.println("usage: BuildJobFile JOB [--repeat N]");
      System.exit(2);
    }
    NixJobEvaluator evaluator = NixJobEvaluator.onPath();
    Path job = Path.of(args[0]);
    int repeat = args.length == 3 ? Integer.parseInt(args[2]) : 1;
    AuroraJobConfig config = build(evaluator, job);
    if (repeat > 1) {
      long start = System.nanoTime();
      for (int i = 0; i < repeat; i++) {
        config = build(evaluator, job);
      }
      double ms = (System.nanoTime() - start) / 1e6 / repeat;
      System.err.printf("mean of %d warm builds in one JVM: %.1f ms%n", repeat, ms);
    }
    System.out.print(config.json());
  }
}
