package io.nixaurora.cli;

import io.nixaurora.api.StoreProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora agent-config CLUSTER}: the nix.conf lines the cluster's agents need. */
@Command(
    name = "agent-config",
    mixinStandardHelpOptions = true,
    header = "Print the nix.conf lines the cluster's agents need.",
    description = {
      "For a binary-cache cluster: the /etc/nix/nix.conf lines every agent needs to substitute"
          + " from the cache as an untrusted user (substituters, trusted-public-keys,"
          + " require-sigs, narinfo-cache-negative-ttl = 0, …), and, as comments, what else an"
          + " agent needs (a running nix-daemon for role users that do not own the store).",
      "For a local-store cluster nothing needs adding; the output says so in a comment."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora agent-config prod",
      "  nix-aurora agent-config prod | ssh agent1 'sudo tee -a /etc/nix/nix.conf'"
    })
public final class AgentConfigCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
  String cluster;

  @Mixin ClusterOptions clusterOptions;
  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  private final Session session;

  @Inject
  AgentConfigCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Pipeline pipeline = session.pipeline(session.cluster(cluster, clusterOptions), err);
    StoreProvider store = pipeline.storeProvider();
    String text =
        store
            .agentConfig()
            .orElseThrow(
                () ->
                    CliException.failure(
                        "the store provider '" + store.name() + "' does not say what agents need",
                        "see that provider's documentation"));
    out.print(text);
    needs(out, pipeline.config());
    out.flush();
    return 0;
  }

  private static void needs(PrintWriter out, ClusterConfig config) {
    for (String line : AgentNeeds.lines(config)) {
      out.println("# " + line);
    }
  }
}
