package io.nixaurora.api;

import java.util.Objects;

/**
 * The store path whose content is a process's cmdline, so that its references are the process's
 * closure: realising it realises everything the process uses.
 *
 * @param process the Aurora process name
 * @param path the script's store path ({@code
 *     …-aurora-process-<cluster>-<role>-<env>-<job>-<process>})
 * @param system the Nix system it was built for, such as {@code x86_64-linux}
 */
public record ProcessScript(String process, StorePath path, String system) {
  public ProcessScript {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(system, "system");
    if (process.isEmpty()) {
      throw new IllegalArgumentException("process: must not be empty");
    }
    if (system.isEmpty()) {
      throw new IllegalArgumentException("system: must not be empty");
    }
  }
}
