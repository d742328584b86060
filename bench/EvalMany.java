// Times nix-local's evaluator and local store provider on many jobs in one JVM (for
// bench/many-jobs.sh): how nix-aurora's own Java side grows with the number of jobs, before the
// many-jobs CLI exists. Run with nix-local's and api's classes on the class path (many-jobs.sh
// does, compiled once): java -cp CP EvalMany MODE GC_ROOTS_DIR JOB...
//
//   MODE all   JobEvaluator.evaluateAll (one evaluation, one nix-build) and publishAll
//   MODE each  evaluate and publish one job after the other (what a loop over jobs does)
//
// Prints one line: "<mode> <jobs> <failed> <evaluate s> <publish s> <total s>".
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Evaluated;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.nix.local.LocalStoreProvider;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import io.nixaurora.nix.local.NixJobEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class EvalMany {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    LocalStoreProvider store =
        new LocalStoreProviderFactory().create(Map.of("gc_roots_dir", args[1]));
    List<JobSource> sources = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      sources.add(JobSource.file(Path.of(args[i])));
    }
    NixJobEvaluator evaluator = NixJobEvaluator.onPath();
    long t0 = System.nanoTime();
    List<BuiltJob> built = new ArrayList<>();
    int failed = 0;
    long t1;
    if (mode.equals("all")) {
      for (Evaluated e : evaluator.evaluateAll(sources, EventListener.NONE)) {
        if (e instanceof Evaluated.Built b) {
          built.add(b.job());
        } else {
          failed++;
          System.err.println(((Evaluated.Failed) e).error().getMessage());
        }
      }
      t1 = System.nanoTime();
      store.publishAll(built, EventListener.NONE);
    } else {
      long publish = 0;
      for (JobSource s : sources) {
        BuiltJob job = evaluator.evaluate(s, EventListener.NONE);
        long p = System.nanoTime();
        store.publish(job, EventListener.NONE);
        publish += System.nanoTime() - p;
      }
      t1 = System.nanoTime() - publish;
    }
    long t2 = System.nanoTime();
    System.out.printf(
        "%s %d %d %.3f %.3f %.3f%n",
        mode, sources.size(), failed, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9);
  }
}
