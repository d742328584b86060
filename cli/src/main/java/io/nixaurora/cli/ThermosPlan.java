package io.nixaurora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task of a compiled Aurora configuration as Thermos plans it (docs/aurora-spec.md §7):
 * processes with their flags and Aurora's defaults, the order constraints, and the task's limits.
 *
 * @param job the job's key fields (cluster, role, environment, name), for template bindings
 * @param processes the processes in the configuration's order
 * @param dependencies for each process, the processes it must wait for
 * @param maxFailures failed processes before the task fails (0 = unlimited)
 * @param maxConcurrency processes at once (0 = unlimited)
 * @param finalizationWait seconds for the final processes
 */
record ThermosPlan(
    Map<String, String> job,
    List<Proc> processes,
    Map<String, List<String>> dependencies,
    int maxFailures,
    int maxConcurrency,
    int finalizationWait) {

  /** One process with Aurora's defaults filled in. */
  record Proc(
      String name,
      String cmdline,
      int maxFailures,
      boolean daemon,
      boolean ephemeral,
      int minDuration,
      boolean isFinal) {}

  /**
   * Reads the task of an Aurora job JSON and checks the plan as Thermos's planner does.
   *
   * @throws CliException (exit 3) for a configuration Thermos would refuse
   */
  static ThermosPlan parse(String json) throws CliException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw CliException.configuration("not a valid Aurora configuration: " + e.getMessage(), null);
    }
    if (root != null && root.has("jobs") && root.get("jobs").isArray()) {
      root = root.get("jobs").get(0);
    }
    if (root == null || !root.path("task").path("processes").isArray()) {
      throw CliException.configuration(
          "not an Aurora job configuration: task.processes is missing", null);
    }
    Map<String, String> job = new LinkedHashMap<>();
    for (String k : List.of("cluster", "role", "environment", "name")) {
      job.put(k, root.path(k).asText(""));
    }
    JsonNode task = root.get("task");
    // Aurora's defaults: the task is named after its first process, the job after its task.
    String taskName =
        task.path("name").asText(task.path("processes").path(0).path("name").asText(""));
    job.put("task.name", taskName);
    if (job.get("name").isEmpty()) {
      job.put("name", taskName);
    }
    job.put("instances", root.path("instances").asText("1"));
    List<Proc> processes = new ArrayList<>();
    Map<String, Proc> byName = new LinkedHashMap<>();
    for (JsonNode p : task.get("processes")) {
      Proc proc =
          new Proc(
              p.path("name").asText(),
              p.path("cmdline").asText(),
              p.path("max_failures").asInt(1),
              p.path("daemon").asBoolean(false),
              p.path("ephemeral").asBoolean(false),
              p.path("min_duration").asInt(5),
              p.path("final").asBoolean(false));
      processes.add(proc);
      byName.put(proc.name(), proc);
    }
    Map<String, List<String>> deps = new LinkedHashMap<>();
    processes.forEach(p -> deps.put(p.name(), new ArrayList<>()));
    for (JsonNode c : task.path("constraints")) {
      List<String> order = new ArrayList<>();
      c.path("order").forEach(n -> order.add(n.asText()));
      long known = order.stream().filter(byName::containsKey).count();
      if (known == 0 && !order.isEmpty()) {
        continue; // Thermos ignores a list made up entirely of unknown names
      }
      if (order.isEmpty() || known != order.size()) {
        throw CliException.configuration(
            "invalid process dependencies: order " + order + " names processes the task lacks",
            null);
      }
      boolean finals = byName.get(order.get(0)).isFinal();
      for (int i = 1; i < order.size(); i++) {
        Proc before = byName.get(order.get(i - 1));
        Proc after = byName.get(order.get(i));
        if (before.isFinal() != finals || after.isFinal() != finals) {
          throw CliException.configuration(
              "invalid process dependencies: order " + order + " mixes final and other processes",
              null);
        }
        if (before.daemon()) {
          throw CliException.configuration(
              "process " + after.name() + " may not depend upon daemon process " + before.name(),
              null);
        }
        if (before.ephemeral() && !after.ephemeral()) {
          throw CliException.configuration(
              "process " + after.name() + " may not depend upon ephemeral process " + before.name(),
              null);
        }
        deps.get(after.name()).add(before.name());
      }
    }
    checkAcyclic(deps);
    return new ThermosPlan(
        job,
        processes,
        deps,
        task.path("max_failures").asInt(1),
        task.path("max_concurrency").asInt(0),
        task.path("finalization_wait").asInt(30));
  }

  private static void checkAcyclic(Map<String, List<String>> deps) throws CliException {
    Map<String, Integer> state = new LinkedHashMap<>();
    for (String p : deps.keySet()) {
      if (cycleFrom(p, deps, state)) {
        throw CliException.configuration("cycles detected in the task schedule", null);
      }
    }
  }

  private static boolean cycleFrom(
      String p, Map<String, List<String>> deps, Map<String, Integer> state) {
    Integer s = state.get(p);
    if (s != null) {
      return s == 1;
    }
    state.put(p, 1);
    for (String d : deps.getOrDefault(p, List.of())) {
      if (cycleFrom(d, deps, state)) {
        return true;
      }
    }
    state.put(p, 2);
    return false;
  }
}
