package io.nixaurora.cli;

import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;

/** Placeholder until the backend lands. */
@Command(name = "agent-config")
public final class AgentConfigCommand implements Callable<Integer> {
  @Inject
  AgentConfigCommand() {}

  @Override
  public Integer call() {
    return 4;
  }
}
