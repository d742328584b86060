package io.nixaurora.cli;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import java.nio.file.Path;

/** Runs nix-local's job evaluator with this machine's Nix. */
final class Evaluation {
  private Evaluation() {}

  static BuiltJob evaluate(Path nixBinDirectory, JobSource source, EventListener events)
      throws NixException, InvalidJobException {
    throw new NixException("the job evaluator is not wired yet", null, false);
  }
}
