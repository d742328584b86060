package io.nixaurora.cli;

import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command, {@code nix-aurora}. */
@Command(
    name = "nix-aurora",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Builds Apache Aurora jobs written in Nix, makes their closures available to the cluster's"
          + " agents, and submits them.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora build examples/hello_world",
      "  nix-aurora create devcluster/vagrant/devel/hello_world examples/hello_world",
      "  nix-aurora run examples/hello_world",
      "  nix-aurora doctor devcluster",
      "",
      "Exit codes: 0 ok, 2 usage error, 3 invalid job or configuration, 4 command failed,"
          + " 7 network error, 9 timeout, 30 authentication error, 130 interrupted."
    })
public final class NixAuroraCommand implements Callable<Integer> {

  @Mixin GlobalOptionsMixin global;

  @Spec CommandSpec spec;

  @Inject
  NixAuroraCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CliException.USAGE;
  }
}
