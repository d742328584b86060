package io.nixaurora.cli;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.nix.local.NixJobEvaluator;
import io.nixaurora.nix.local.NixLibrary;
import io.nixaurora.nix.local.NixRunner;
import java.nio.file.Path;
import java.util.Map;

/** Runs nix-local's job evaluator with this machine's Nix. */
final class Evaluation {
  private Evaluation() {}

  static BuiltJob evaluate(Path nixBinDirectory, JobSource source, EventListener events)
      throws NixException, InvalidJobException {
    NixJobEvaluator evaluator =
        new NixJobEvaluator(new NixRunner(nixBinDirectory, Map.of()), NixLibrary.inUserCache());
    return evaluator.evaluate(source, events);
  }
}
