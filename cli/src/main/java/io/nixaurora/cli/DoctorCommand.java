package io.nixaurora.cli;

import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.support.SafeText;
import io.nixaurora.support.Urls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nix-aurora doctor [CLUSTER]}: checks what the commands need, and says how to fix it. The
 * configuration is checked here; everything else by the cluster's store provider and submitter
 * themselves ({@link io.nixaurora.api.StoreProviderFactory#diagnose}), so a plugin's checks show
 * beside the built-in ones.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    header = "Check Nix, the cache and the scheduler, and say how to fix what is wrong.",
    description = {
      "Checks the configuration, then asks the cluster's store provider and submitter to check"
          + " themselves: for the built-in ones, this machine's Nix (present, version, store"
          + " writable or daemon reachable), the binary cache (reachable, signing key readable and"
          + " matching public_key, narinfos signed by it), the aurora client and clusters.json, or"
          + " the scheduler's URL. Each failure comes with what to do. Exits 4 if anything failed."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  nix-aurora doctor", "  nix-aurora doctor prod"})
public final class DoctorCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CLUSTER",
      description = "The cluster to check (default: only this machine and the defaults).")
  String cluster;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;
  private PrintWriter out;
  private int failures;

  @Inject
  DoctorCommand(Session session) {
    this.session = session;
  }

  private void print(Diagnosis d) {
    String label =
        switch (d.status()) {
          case OK -> "ok    ";
          case NOTE -> "--    ";
          case WARN -> "WARN  ";
          case FAIL -> "FAIL  ";
        };
    if (d.status() == Diagnosis.Status.FAIL) {
      failures++;
    }
    // Messages quote servers and files: no JDK class names, no terminal escapes, no passwords.
    out.println(label + SafeText.escape(Urls.shown(ErrorReporter.plain(d.detail()))));
    d.fix().ifPresent(fix -> out.println("      fix: " + SafeText.escape(Urls.shown(fix))));
  }

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    ClusterConfig config;
    try {
      Configuration configuration = session.configuration();
      config =
          cluster == null
              ? configuration.defaults(clusterOptions.overrides())
              : configuration.forCluster(cluster, clusterOptions.overrides());
      print(
          Diagnosis.ok(
              "configuration: "
                  + configuration.file().map(Path::toString).orElse("none (built-in defaults)")));
    } catch (CliException e) {
      print(Diagnosis.fail("configuration: " + e.getMessage(), e.suggestion()));
      out.flush();
      return CliException.COMMAND_FAILURE;
    }
    EventListener events = session.console(err);
    Backends backends = session.backends();
    List<Diagnosis> store = backends.diagnoseStore(config, events);
    store.forEach(this::print);
    if (cluster != null) {
      backends.diagnoseSubmitter(config, events).forEach(this::print);
    } else {
      print(Diagnosis.note("submitter: name a cluster (`nix-aurora doctor CLUSTER`) to check it"));
    }
    out.flush();
    session
        .console(err)
        .summary(failures == 0 ? "everything looks fine" : failures + " check(s) failed");
    return failures == 0 ? 0 : CliException.COMMAND_FAILURE;
  }
}
