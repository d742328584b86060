package io.nixaurora.cli;

import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;

/** Placeholder until the backend lands. */
@Command(name = "doctor")
public final class DoctorCommand implements Callable<Integer> {
  @Inject
  DoctorCommand() {}

  @Override
  public Integer call() {
    return 4;
  }
}
