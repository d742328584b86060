package io.nixaurora.compiler;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.InvalidJobException.Violation;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.model.Constraint;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a built job into the JSON that {@code aurora job create --read-json} reads.
 *
 * <p>For every process {@code P} of the job it adds a process {@code nix_init_P} that runs the
 * store provider's init command for {@code P}'s process script, and the Thermos constraint {@code
 * {"order": ["nix_init_P", "P"]}}. The init processes come first; the user's constraints are kept
 * after the init constraints. An init process is never daemon or ephemeral, and is final when its
 * process is, because Thermos plans final and non-final processes separately.
 *
 * <p>Before anything is emitted the job is checked against Aurora's rules ({@link #validate}); a
 * bad job gives an {@link InvalidJobException} carrying every violation. The output is
 * deterministic: the same job and init command always give the same bytes.
 *
 * <pre>{@code
 * AuroraJobConfig config = new JobCompiler().compile(builtJob, publication.initCommand());
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class JobCompiler {

  private final JobJson json;
  private final JobValidator validator;

  /** A compiler that writes with a default {@link JobJson}. */
  public JobCompiler() {
    this(new JobJson());
  }

  /** A compiler that writes with {@code json}. */
  public JobCompiler(JobJson json) {
    this.json = Objects.requireNonNull(json, "json");
    this.validator = new JobValidator(json);
  }

  /** The name of the init process that prepares {@code process}. */
  public static String initProcessName(String process) {
    return JobValidator.INIT_PREFIX + process;
  }

  /**
   * Every violation of Aurora's rules (and of the rules the init processes add) in {@code job}, in
   * a stable order; empty when the job is valid. Each names the field's path, such as {@code
   * task.processes[1].name}.
   */
  public List<Violation> validate(Job job) {
    Objects.requireNonNull(job, "job");
    return validator.validate(job);
  }

  /**
   * Compiles {@code built} with {@code init} as the init command of every process.
   *
   * @throws InvalidJobException when the job breaks a rule (all violations at once), or when the
   *     init command produced a cmdline Thermos would misread
   */
  public AuroraJobConfig compile(BuiltJob built, InitCommand init) throws InvalidJobException {
    Objects.requireNonNull(built, "built");
    Objects.requireNonNull(init, "init");
    Job job = built.job();
    List<Violation> violations = new ArrayList<>(validate(job));
    if (!violations.isEmpty()) {
      throw new InvalidJobException(violations);
    }
    Task task = job.task();
    List<Process> inits = new ArrayList<>();
    List<Constraint> constraints = new ArrayList<>();
    for (Process p : task.processes()) {
      String initName = initProcessName(p.name());
      ProcessScript script = built.script(p.name());
      if (!script.process().equals(p.name())) {
        // The init roots the script under .gc/<script.process()>; a mix-up would root the wrong
        // name and is a bug in whatever built the job.
        violations.add(
            new Violation(
                initName + ".cmdline",
                "the process script given for '"
                    + p.name()
                    + "' is for process '"
                    + script.process()
                    + "'"));
        continue;
      }
      String cmdline = init.cmdline(script);
      if (cmdline == null || cmdline.isBlank()) {
        violations.add(new Violation(initName + ".cmdline", "the init command is empty"));
        continue;
      }
      if (cmdline.contains("{{")) {
        // Thermos would read it as a template; the store provider must never produce it.
        violations.add(
            new Violation(
                initName + ".cmdline",
                "the init command contains '{{', which Thermos would read as a template"));
        continue;
      }
      Process.Builder initProcess = Process.builder().name(initName).cmdline(cmdline);
      if (Boolean.TRUE.equals(p.isFinal())) {
        initProcess.isFinal(true);
      }
      inits.add(initProcess.build());
      constraints.add(Constraint.order(initName, p.name()));
    }
    if (!violations.isEmpty()) {
      throw new InvalidJobException(violations);
    }
    List<Process> processes = new ArrayList<>(inits);
    processes.addAll(task.processes());
    constraints.addAll(task.constraints());
    Task.Builder compiledTask = task.toBuilder().processes(processes).constraints(constraints);
    if (task.name() == null) {
      // Aurora's default task name is the first process's; keep it the user's, not the init's.
      compiledTask.name(task.processes().get(0).name());
    }
    Job.Builder compiled = job.toBuilder().task(compiledTask.build());
    if (job.isService()) {
      compiled.service(true);
    }
    Job out = compiled.build();
    return new AuroraJobConfig(
        built.key(), json.write(out), job.isService(), job.cronSchedule() != null);
  }
}
