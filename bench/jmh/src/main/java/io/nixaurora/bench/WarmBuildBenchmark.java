package io.nixaurora.bench;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.examples.BuildJobFile;
import io.nixaurora.nix.local.NixJobEvaluator;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm build of an example job in a running JVM: Nix evaluates and finds everything built, the
 * evaluator reads the job back and the compiler writes the Aurora JSON. The difference to
 * bench/build-warm.sh's whole-command times is JVM start-up. Run from the repository root (the job
 * path is relative to it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WarmBuildBenchmark {

  @Param({"examples/hello_world"})
  public String job;

  private final NixJobEvaluator evaluator = NixJobEvaluator.onPath();

  @Benchmark
  public AuroraJobConfig build() throws NixAuroraException {
    return BuildJobFile.build(evaluator, Path.of(job));
  }
}
