package io.nixaurora.examples;

import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.core.NixAurora;
import io.nixaurora.core.Published;
import io.nixaurora.nix.local.NixJobEvaluator;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Embedding the pipeline with a store provider from another jar: the {@code journal} provider (this
 * module's ServiceLoader plugin, which passes the tck) is found by name as the CLI finds it, and
 * the facade builds a job file with Nix, checks and validates it, and publishes its closures with
 * it; nothing is submitted.
 *
 * <pre>
 * java -cp … io.nixaurora.examples.PublishWithPlugin JOB JOURNAL GC_ROOTS_DIR
 * </pre>
 *
 * JOB is a job file or a directory holding default.nix (such as {@code examples/hello_world});
 * JOURNAL the file each publication is appended to; GC_ROOTS_DIR where the local store's GC roots
 * of the published job go.
 */
public final class PublishWithPlugin {

  private PublishWithPlugin() {}

  /** The store provider factory named {@code name} on the class path, as the CLI looks it up. */
  static StoreProviderFactory storeProviderNamed(String name) {
    for (StoreProviderFactory factory : ServiceLoader.load(StoreProviderFactory.class)) {
      if (factory.name().equals(name)) {
        return factory;
      }
    }
    throw new IllegalStateException("no store provider '" + name + "' on the class path");
  }

  /**
   * Builds and publishes {@code job} with the journal provider.
   *
   * @param events receives build and publication progress
   */
  public static Published publish(Path job, Path journal, Path gcRoots, EventListener events)
      throws NixAuroraException {
    StoreProvider store =
        storeProviderNamed("journal")
            .create(Map.of("journal_file", journal.toString(), "gc_roots_dir", gcRoots.toString()));
    NixAurora aurora =
        NixAurora.builder(NixJobEvaluator.onPath(), store)
            .events(events)
            .cluster("devcluster", "x86_64-linux")
            .build();
    return aurora.publish(JobSource.file(job));
  }

  /**
   * {@code PublishWithPlugin JOB JOURNAL GC_ROOTS_DIR}: publishes JOB; the journal's new line says
   * what was published (libraries print nothing, docs/ARCHITECTURE.md).
   */
  public static void main(String[] args) throws NixAuroraException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: PublishWithPlugin JOB JOURNAL GC_ROOTS_DIR");
    }
    publish(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), EventListener.NONE);
  }
}
