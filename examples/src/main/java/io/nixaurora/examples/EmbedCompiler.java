package io.nixaurora.examples;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Constraint;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import io.nixaurora.core.NixAurora;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import io.nixaurora.nix.local.NixJobEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Embedding nix-aurora without its CLI: a job built with the Java API, whose cmdlines refer to Nix
 * packages and a local file, is built with Nix ({@link NixJobEvaluator}) through the pipeline
 * facade ({@link NixAurora}), checked against the cluster's system, and compiled to the JSON that
 * {@code aurora job create --read-json} reads.
 *
 * <pre>
 * java -cp … io.nixaurora.examples.EmbedCompiler BASE_DIRECTORY OUT
 * </pre>
 *
 * BASE_DIRECTORY is where {@code hello_world/hello_world.py} is looked up (run it with {@code
 * examples} to use the hello_world example's script); the Aurora JSON is written to OUT, ready for
 * {@code aurora job create --read-json devcluster/vagrant/devel/embedded_hello OUT}.
 */
public final class EmbedCompiler {

  private EmbedCompiler() {}

  /** The job, in Java: hello_world's process plus a second one that uses {@code pkgs.hello}. */
  public static Job job() {
    // README begin: job (the README's Java example is this text; ExamplesIT keeps them equal)
    Process helloWorld =
        Process.builder()
            .name("hello_world")
            .cmdline(
                Cmdline.builder()
                    .pkg("pkgs.python3")
                    .text("/bin/python3 ")
                    .file(Path.of("hello_world/hello_world.py"))
                    .build())
            .build();
    Process greet =
        Process.builder()
            .name("greet")
            .cmdline(Cmdline.builder().pkg("pkgs.hello").text("/bin/hello").build())
            .build();
    return Job.builder()
        .cluster("devcluster")
        .role("vagrant")
        .environment("devel")
        .name("embedded_hello")
        .service(true)
        .task(
            Task.builder()
                .process(greet)
                .process(helloWorld)
                .constraint(Constraint.order("greet", "hello_world"))
                .resources(Resources.of(1, 16 * Units.MB, 64 * Units.MB))
                .build())
        .build();
    // README end
  }

  /**
   * Builds {@link #job()} with Nix and compiles it for a {@code local}-store cluster.
   *
   * @param baseDirectory where the job's relative file references are resolved
   * @param events receives build progress
   */
  public static AuroraJobConfig compile(Path baseDirectory, EventListener events)
      throws NixAuroraException {
    // README begin: compile
    StoreProvider store = new LocalStoreProviderFactory().create(Map.of("system", "x86_64-linux"));
    NixAurora aurora =
        NixAurora.builder(NixJobEvaluator.onPath(), store)
            .events(events)
            .cluster("devcluster", "x86_64-linux")
            .build();
    // build = evaluate with Nix, check the system, compile with the store's init command. With
    // .submitter(…), aurora.create(key, source) also validates, publishes and submits.
    return aurora.build(JobSource.java(job(), baseDirectory)).config();
    // README end
  }

  /** {@code EmbedCompiler BASE_DIRECTORY OUT}: writes the embedded job's Aurora JSON to OUT. */
  public static void main(String[] args) throws NixAuroraException, IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: EmbedCompiler BASE_DIRECTORY OUT");
    }
    Files.writeString(Path.of(args[1]), compile(Path.of(args[0]), EventListener.NONE).json());
  }
}
