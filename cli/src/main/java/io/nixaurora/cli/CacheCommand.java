package io.nixaurora.cli;

import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;

/** Placeholder until the backend lands. */
@Command(name = "cache")
public final class CacheCommand implements Callable<Integer> {
  @Inject
  CacheCommand() {}

  @Override
  public Integer call() {
    return 4;
  }
}
