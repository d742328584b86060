package io.nixaurora.examples;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import io.nixaurora.nix.local.NixJobEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Embedding example: builds a job file or directory with Nix and writes its Aurora JSON to a file,
 * ready for {@code aurora job create --read-json CLUSTER/ROLE/ENV/NAME OUT}, as {@code nix-aurora
 * build JOB > OUT} does.
 *
 * <pre>
 * java -cp … io.nixaurora.examples.BuildJobFile examples/hello_world hello_world.json
 * </pre>
 *
 * Library code never prints (docs/ARCHITECTURE.md), and this is library code a user copies, so the
 * result goes to a file; a failure is an exception whose message names the job file.
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

  /** {@code BuildJobFile JOB OUT}: builds JOB and writes its Aurora JSON to OUT. */
  public static void main(String[] args) throws NixAuroraException, IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: BuildJobFile JOB OUT");
    }
    AuroraJobConfig config = build(NixJobEvaluator.onPath(), Path.of(args[0]));
    Files.writeString(Path.of(args[1]), config.json());
  }
}
