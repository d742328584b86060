package io.nixaurora.api;

import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job after the Nix build: the job model and, for each process, its process script. Every
 * process's cmdline is literal here (packages already interpolated as store paths).
 *
 * @param job the job model
 * @param scripts the process script of every process, keyed by process name, in process order
 * @param system the Nix system the job was built for, such as {@code x86_64-linux}
 */
public record BuiltJob(Job job, Map<String, ProcessScript> scripts, String system) {
  public BuiltJob {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(system, "system");
    scripts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scripts));
    for (Process p : job.task().processes()) {
      if (!scripts.containsKey(p.name())) {
        throw new IllegalArgumentException(
            "scripts: no process script for process '" + p.name() + "'");
      }
    }
    if (scripts.size() != job.task().processes().size()) {
      throw new IllegalArgumentException("scripts: a script names a process the job does not have");
    }
  }

  /** The job's key. */
  public JobKey key() {
    return JobKey.of(job);
  }

  /** The script of process {@code name}. */
  public ProcessScript script(String name) {
    ProcessScript s = scripts.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no process '" + name + "' in " + key());
    }
    return s;
  }
}
