package io.nixaurora.compiler;

import io.nixaurora.api.InvalidJobException.Violation;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.model.Announcer;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Constraint;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Metadata;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import io.nixaurora.api.model.UpdateConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Aurora's rules for a job (docs/aurora-spec.md §8, Thermos' plan rules of §7.1) plus the rules the
 * init processes add. Collects every violation instead of stopping at the first.
 */
final class JobValidator {

  /** Prefix of the init processes the compiler adds; user processes may not use it. */
  static final String INIT_PREFIX = "nix_init_";

  /** Thermos' process-name rule ({@code thermos/config/loader.py}). */
  static final Pattern PROCESS_NAME = Pattern.compile("^[^./][^/]*$");

  private final JobJson json;

  JobValidator(JobJson json) {
    this.json = json;
  }

  List<Violation> validate(Job job) {
    List<Violation> out = new ArrayList<>();
    checkKey(job, out);
    checkJob(job, out);
    Task task = job.task();
    if (task == null) {
      out.add(new Violation("task", "is required"));
      return out;
    }
    checkTask(job, task, out);
    Templates.check(json.toTree(literalCopy(job)), "", out);
    return out;
  }

  private static void checkKey(Job job, List<Violation> out) {
    out.addAll(JobKey.violations(job.cluster(), job.role(), job.environment(), job.name()));
  }

  private static void checkJob(Job job, List<Violation> out) {
    if (job.instances() != null && job.instances() < 1) {
      out.add(new Violation("instances", "must be at least 1, got " + job.instances()));
    }
    if (job.cronSchedule() != null) {
      if (job.isService()) {
        out.add(
            new Violation(
                "cron_schedule",
                "a service cannot have a cron schedule (services run forever; cron jobs run on"
                    + " a schedule); the Aurora scheduler refuses it, though the client sends it"));
      }
      // The scheduler's own grammar: the client sends any string, the scheduler refuses it.
      CronSchedule.problem(job.cronSchedule())
          .ifPresent(
              problem ->
                  out.add(
                      new Violation(
                          "cron_schedule",
                          problem
                              + ", got '"
                              + job.cronSchedule()
                              + "' (the Aurora scheduler would refuse it)")));
    }
    List<Metadata> metadata = job.metadata() == null ? List.of() : job.metadata();
    for (int i = 0; i < metadata.size(); i++) {
      asciiOnly("metadata[" + i + "].key", metadata.get(i).key(), out);
      asciiOnly("metadata[" + i + "].value", metadata.get(i).value(), out);
    }
    if (job.tier() != null && job.tier().isBlank()) {
      out.add(new Violation("tier", "must not be blank"));
    }
    int instances = job.instances() == null ? 1 : job.instances();
    UpdateConfig update = job.updateConfig();
    if (update != null && update.maxTotalFailures() != null) {
      if (update.maxTotalFailures() >= instances) {
        out.add(
            new Violation(
                "update_config.max_total_failures",
                "must be less than instances ("
                    + instances
                    + "), got "
                    + update.maxTotalFailures()));
      }
    }
    Map<String, String> placement =
        job.placementConstraints() == null ? Map.of() : job.placementConstraints();
    if (placement.containsKey("dedicated")) {
      // Aurora's client (validate_config): a dedicated job must tolerate 2% failed instances.
      int needed = (int) Math.floor(instances * 0.02);
      int tolerated =
          update == null || update.maxTotalFailures() == null ? 0 : update.maxTotalFailures();
      if (tolerated < needed) {
        out.add(
            new Violation(
                "update_config.max_total_failures",
                "a dedicated job of "
                    + instances
                    + " instances must tolerate at least "
                    + needed
                    + " failed instances (2%), got "
                    + tolerated));
      }
    }
    for (Map.Entry<String, String> e : placement.entrySet()) {
      String value = e.getValue();
      String path = "constraints." + e.getKey();
      if (value.startsWith("limit:")) {
        String n = value.substring("limit:".length());
        if (!n.matches("[1-9][0-9]{0,8}")) {
          out.add(
              new Violation(
                  path, "'limit:N' needs a positive whole number N, got '" + value + "'"));
        }
      } else {
        String values = value.startsWith("!") ? value.substring(1) : value;
        if (values.isEmpty() || List.of(values.split(",", -1)).contains("")) {
          out.add(
              new Violation(
                  path,
                  "must be a value, '!value', 'a,b' or 'limit:N' without empty values, got '"
                      + value
                      + "'"));
        }
      }
    }
    Announcer announce = job.announce();
    if (announce != null && announce.portmap() != null) {
      for (Map.Entry<String, String> e : announce.portmap().entrySet()) {
        if (e.getValue().matches("[0-9]+") && !placement.containsKey("dedicated")) {
          out.add(
              new Violation(
                  "announce.portmap." + e.getKey(),
                  "a static port ("
                      + e.getValue()
                      + ") needs a 'dedicated' placement constraint (constraints.dedicated)"));
        }
      }
    }
  }

  /**
   * Aurora's client turns metadata into byte strings ({@code str()} in {@code convert()}), which
   * fails on any non-ASCII character; elsewhere (cmdline, contact) such characters pass.
   */
  private static void asciiOnly(String path, String value, List<Violation> out) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > 0x7f) {
        out.add(
            new Violation(
                path,
                "must be ASCII, got '"
                    + value
                    + "' (character "
                    + String.format("U+%04X", value.codePointAt(i))
                    + "); Aurora's client refuses non-ASCII metadata"));
        return;
      }
    }
  }

  private static void checkTask(Job job, Task task, List<Violation> out) {
    List<Process> processes = task.processes();
    if (processes.isEmpty()) {
      out.add(new Violation("task.processes", "must have at least one process"));
    }
    Map<String, Process> byName = new LinkedHashMap<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      String path = "task.processes[" + i + "]";
      checkProcess(p, path, out);
      if (p.name() == null) {
        continue;
      }
      Integer previous = firstIndex.putIfAbsent(p.name(), i);
      if (previous != null) {
        out.add(
            new Violation(
                path + ".name",
                "duplicate process name '"
                    + p.name()
                    + "' (also task.processes["
                    + previous
                    + "])"));
      } else {
        byName.put(p.name(), p);
      }
    }
    if (task.name() != null && task.name().isBlank()) {
      out.add(new Violation("task.name", "must not be blank"));
    }
    // task.max_failures and max_concurrency: the model refuses negatives (they break the task
    // under Thermos); a negative finalization_wait is Aurora's to take.
    checkResources(task.resources(), "task.resources", out);
    checkOrder(task.constraints(), byName, out);
  }

  private static void checkProcess(Process p, String path, List<Violation> out) {
    String name = p.name();
    if (name == null || name.isEmpty()) {
      out.add(new Violation(path + ".name", "is required"));
    } else if (!PROCESS_NAME.matcher(name).matches()) {
      out.add(
          new Violation(
              path + ".name",
              "must match "
                  + PROCESS_NAME.pattern()
                  + " (no '/', no leading '.'), got '"
                  + name
                  + "'"));
    } else if (name.startsWith(INIT_PREFIX)) {
      out.add(
          new Violation(
              path + ".name",
              "'"
                  + name
                  + "' starts with '"
                  + INIT_PREFIX
                  + "', which is reserved for the init processes nix-aurora adds"));
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      // Aurora would take it, but the name becomes a directory (.logs/<name>) and a shell word.
      out.add(new Violation(path + ".name", "must not contain control characters"));
    }
    Cmdline cmdline = p.cmdline();
    if (cmdline == null) {
      out.add(new Violation(path + ".cmdline", "is required"));
    } else if (!cmdline.isLiteral()) {
      out.add(
          new Violation(
              path + ".cmdline",
              "refers to packages or files that are not built yet ("
                  + cmdline
                  + "); build the job with Nix first"));
    }
    if (Boolean.TRUE.equals(p.isFinal()) && Boolean.TRUE.equals(p.daemon())) {
      out.add(
          new Violation(
              path + ".daemon",
              "a final process cannot be a daemon (it would keep the task from finishing)"));
    }
  }

  private static void checkResources(Resources r, String path, List<Violation> out) {
    if (r == null) {
      out.add(new Violation(path, "is required (cpu, ram and disk)"));
      return;
    }
    if (!(r.cpu() > 0) || Double.isInfinite(r.cpu())) {
      out.add(new Violation(path + ".cpu", "must be > 0, got " + r.cpu()));
    }
    if (r.ram() < Units.MB) {
      out.add(
          new Violation(path + ".ram", "must be at least 1 MiB (1048576 bytes), got " + r.ram()));
    }
    if (r.disk() < Units.MB) {
      out.add(
          new Violation(path + ".disk", "must be at least 1 MiB (1048576 bytes), got " + r.disk()));
    }
    if (r.gpu() != null && r.gpu() < 0) {
      out.add(new Violation(path + ".gpu", "must be >= 0, got " + r.gpu()));
    }
  }

  /**
   * Thermos' plan rules (§7.1), for the user's constraints. The init constraints the compiler adds
   * cannot break them: an init is neither daemon nor ephemeral, shares its process's finality and
   * has no dependencies of its own.
   */
  private static void checkOrder(
      List<Constraint> constraints, Map<String, Process> byName, List<Violation> out) {
    Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
    for (int c = 0; c < constraints.size(); c++) {
      Constraint constraint = constraints.get(c);
      String path = "task.constraints[" + c + "].order";
      List<String> order = constraint.order();
      if (order == null || order.isEmpty()) {
        out.add(new Violation(path, "must name at least one process"));
        continue;
      }
      boolean known = true;
      for (int k = 0; k < order.size(); k++) {
        String n = order.get(k);
        if (n == null || !byName.containsKey(n)) {
          known = false;
          out.add(
              new Violation(
                  path + "[" + k + "]",
                  "names no process of the task: '"
                      + n
                      + "'"
                      + (n != null && n.startsWith(INIT_PREFIX)
                          ? " (init processes are ordered by nix-aurora)"
                          : "")));
        }
      }
      if (!known) {
        continue;
      }
      Boolean finality = null;
      for (int k = 0; k < order.size(); k++) {
        boolean isFinal = Boolean.TRUE.equals(byName.get(order.get(k)).isFinal());
        if (finality == null) {
          finality = isFinal;
        } else if (finality != isFinal) {
          out.add(
              new Violation(
                  path,
                  "mixes final and non-final processes ('"
                      + order.get(0)
                      + "' and '"
                      + order.get(k)
                      + "'); Thermos plans them separately"));
          break;
        }
      }
      for (int k = 1; k < order.size(); k++) {
        Process before = byName.get(order.get(k - 1));
        Process after = byName.get(order.get(k));
        if (Boolean.TRUE.equals(before.daemon())) {
          out.add(
              new Violation(
                  path + "[" + k + "]",
                  "'"
                      + after.name()
                      + "' may not depend on daemon process '"
                      + before.name()
                      + "'"));
        }
        if (Boolean.TRUE.equals(before.ephemeral()) && !Boolean.TRUE.equals(after.ephemeral())) {
          out.add(
              new Violation(
                  path + "[" + k + "]",
                  "non-ephemeral process '"
                      + after.name()
                      + "' may not depend on ephemeral process '"
                      + before.name()
                      + "'"));
        }
        dependsOn.computeIfAbsent(after.name(), x -> new HashSet<>()).add(before.name());
      }
    }
    String cycle = findCycle(byName.keySet(), dependsOn);
    if (cycle != null) {
      out.add(new Violation("task.constraints", "the order constraints form a cycle: " + cycle));
    }
  }

  /** A cycle as {@code a -> b -> a}, or null. Iterates in process order so the answer is stable. */
  private static String findCycle(Set<String> names, Map<String, Set<String>> dependsOn) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the stack, 2 = done
    for (String start : names) {
      List<String> stack = new ArrayList<>();
      String found = visit(start, dependsOn, state, stack);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String visit(
      String node,
      Map<String, Set<String>> dependsOn,
      Map<String, Integer> state,
      List<String> stack) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
      cycle.add(node);
      java.util.Collections.reverse(cycle);
      return String.join(" -> ", cycle);
    }
    state.put(node, 1);
    stack.add(node);
    for (String dep : new java.util.TreeSet<>(dependsOn.getOrDefault(node, Set.of()))) {
      String found = visit(dep, dependsOn, state, stack);
      if (found != null) {
        return found;
      }
    }
    stack.remove(stack.size() - 1);
    state.put(node, 2);
    return null;
  }

  /** The job with unbuilt cmdlines shown as text, so it can be turned into JSON for checking. */
  private static Job literalCopy(Job job) {
    boolean allLiteral =
        job.task().processes().stream()
            .allMatch(p -> p.cmdline() == null || p.cmdline().isLiteral());
    if (allLiteral) {
      return job;
    }
    List<Process> processes = new ArrayList<>();
    for (Process p : job.task().processes()) {
      processes.add(
          p.cmdline().isLiteral()
              ? p
              : p.toBuilder().cmdline(Cmdline.of(p.cmdline().toString())).build());
    }
    return job.toBuilder().task(job.task().toBuilder().processes(processes).build()).build();
  }
}
