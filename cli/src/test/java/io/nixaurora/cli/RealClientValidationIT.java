package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs side by side: each job's JSON goes to the real Aurora 0.22 client ({@code aurora job create
 * --read-json}, or {@code cron schedule} for a cron job) against the scheduler stand-in, and the
 * same JSON, read by a job file ({@code builtins.fromJSON}), to {@code nix-aurora create
 * --submitter cli} with that client as {@code aurora} and the local store. The client refuses every
 * job of {@link #CLIENT_REFUSES}; nix-aurora must refuse it too with exit 3 and the field named,
 * register no GC root and call no scheduler. The jobs of {@link #REFUSED_LATER} pass the client but
 * the scheduler (its environment rule, identifier length, cron parser, service rule, which the
 * stand-in does not model) or Thermos (checked with the real runner) would refuse or break them:
 * nix-aurora refuses them, saying why. The jobs of {@link #BOTH_ACCEPT} are odd but harmless:
 * nix-aurora creates them as the client does.
 */
class RealClientValidationIT {

  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "devcluster/vagrant/devel/hello";

  private static final String BASE =
      """
      {"cluster": "devcluster", "role": "vagrant", "environment": "devel", "name": "hello",
       "instances": 2, "service": true,
       "task": {"name": "hello",
                "processes": [{"name": "a", "cmdline": "echo a"}, {"name": "b", "cmdline": "echo b"}],
                "constraints": [{"order": ["a", "b"]}],
                "resources": {"cpu": 1.0, "ram": 1048576, "disk": 8388608}}}
      """;

  /** A change to {@link #BASE}: {@code field} names what nix-aurora's refusal must mention. */
  record Case(String name, String field, List<String> changes) {
    static Case of(String name, String field, String... changes) {
      return new Case(name, field, List.of(changes));
    }
  }

  static final List<Case> CLIENT_REFUSES =
      List.of(
          Case.of("name_space", "name:", "name=\"my job\""),
          Case.of("name_bang", "name:", "name=\"bad name!\""),
          Case.of("name_unicode", "name:", "name=\"h\\u00e9llo\""),
          Case.of("role_space", "role:", "role=\"bad role\""),
          Case.of("role_unicode", "role:", "role=\"r\\u00f4le\""),
          Case.of("role_empty", "role:", "role=\"\""),
          Case.of("environment_space", "environment:", "environment=\"dev el\""),
          Case.of("unknown_job_field", "instancez", "instancez=2"),
          Case.of(
              "unknown_process_field",
              "cmdlin",
              "task.processes[0]={\"name\": \"a\", \"cmdlin\": \"echo a\"}"),
          Case.of("unknown_task_field", "procs", "task.procs=[]"),
          Case.of("unknown_resources_field", "memory", "task.resources.memory=1"),
          Case.of("no_task", "task", "task=DELETE"),
          Case.of("no_cmdline", "cmdline", "task.processes[0]={\"name\": \"a\"}"),
          Case.of("no_process_name", "name", "task.processes[0]={\"cmdline\": \"echo a\"}"),
          Case.of("no_resources", "resources", "task.resources=DELETE"),
          Case.of("ram_zero", "task.resources.ram", "task.resources.ram=0"),
          Case.of("disk_zero", "task.resources.disk", "task.resources.disk=0"),
          Case.of("cpu_zero", "task.resources.cpu", "task.resources.cpu=0"),
          Case.of("cpu_negative", "task.resources.cpu", "task.resources.cpu=-1"),
          Case.of("instances_zero", "instances", "instances=0"),
          Case.of("instances_string", "instances", "instances=\"two\""),
          Case.of(
              "max_total_failures_too_high",
              "update_config.max_total_failures",
              "update_config={\"max_total_failures\": 2}"),
          Case.of(
              "dedicated_tolerates_too_few",
              "update_config.max_total_failures",
              "instances=100",
              "constraints={\"dedicated\": \"vagrant/x\"}"),
          Case.of(
              "watch_secs_negative",
              "update_config.watch_secs",
              "update_config={\"watch_secs\": -1}"),
          Case.of(
              "hc_interval_negative",
              "health_check_config.interval_secs",
              "health_check_config={\"interval_secs\": -1}"),
          Case.of(
              "hc_initial_interval_negative",
              "health_check_config.initial_interval_secs",
              "health_check_config={\"initial_interval_secs\": -1}"),
          Case.of(
              "hc_max_failures_negative",
              "health_check_config.max_consecutive_failures",
              "health_check_config={\"max_consecutive_failures\": -1}"),
          Case.of(
              "hc_min_successes_negative",
              "health_check_config.min_consecutive_successes",
              "health_check_config={\"min_consecutive_successes\": -1}"),
          Case.of(
              "order_names_unknown_process",
              "task.constraints[0].order[1]",
              "task.constraints=[{\"order\": [\"a\", \"zz\"]}]"),
          Case.of(
              "order_cycle",
              "cycle",
              "task.constraints=[{\"order\": [\"a\", \"b\"]}, {\"order\": [\"b\", \"a\"]}]"),
          Case.of(
              "metadata_key_non_ascii",
              "metadata[0].key",
              "metadata=[{\"key\": \"k\\u00e9\", \"value\": \"v\"}]"),
          Case.of(
              "metadata_value_non_ascii",
              "metadata[0].value",
              "metadata=[{\"key\": \"k\", \"value\": \"\\u2603\"}]"),
          Case.of(
              "static_port_not_dedicated",
              "announce.portmap.http",
              "announce={\"primary_port\": \"http\", \"portmap\": {\"http\": \"8080\"}}"),
          Case.of(
              "process_name_slash",
              "task.processes[0].name",
              "task.processes[0]={\"name\": \"a/b\", \"cmdline\": \"echo a\"}",
              "task.constraints=[]"),
          Case.of(
              "process_name_dot",
              "task.processes[0].name",
              "task.processes[0]={\"name\": \".a\", \"cmdline\": \"echo a\"}",
              "task.constraints=[]"),
          Case.of(
              "unbound_template",
              "{{foo}}",
              "task.processes[0]={\"name\": \"a\", \"cmdline\": \"echo {{foo}}\"}"),
          Case.of(
              "depends_on_daemon",
              "daemon",
              "task.processes[0]={\"name\": \"a\", \"cmdline\": \"echo a\", \"daemon\": true}"),
          Case.of(
              "depends_on_ephemeral",
              "ephemeral",
              "task.processes[0]={\"name\": \"a\", \"cmdline\": \"echo a\", \"ephemeral\": true}"),
          Case.of(
              "order_mixes_final",
              "final",
              "task.processes[1]={\"name\": \"b\", \"cmdline\": \"echo b\", \"final\": true}"),
          Case.of(
              "cron_collision_policy_unknown",
              "cron_collision_policy",
              "service=false",
              "cron_schedule=\"* * * * *\"",
              "cron_collision_policy=\"SOMETIMES\""),
          Case.of("priority_string", "priority", "priority=\"high\""),
          Case.of("service_string", "service", "service=\"yes\""),
          Case.of("limit_not_a_number", "constraints.host", "constraints={\"host\": \"limit:x\"}"),
          Case.of(
              "partition_reschedule_string",
              "reschedule",
              "partition_policy={\"reschedule\": \"maybe\"}"),
          Case.of(
              "shell_checker_without_command",
              "shell_command",
              "health_check_config={\"health_checker\": {\"shell\": {}}}"));

  static final List<Case> REFUSED_LATER =
      List.of(
          Case.of("environment_qa", "environment:", "environment=\"qa\""),
          Case.of("environment_production", "environment:", "environment=\"production\""),
          Case.of("name_256_characters", "name:", "name=\"" + "n".repeat(256) + "\""),
          Case.of(
              "cron_sunday_as_7", "cron_schedule", "service=false", "cron_schedule=\"0 0 * * 7\""),
          Case.of(
              "cron_step_not_below_end",
              "cron_schedule",
              "service=false",
              "cron_schedule=\"0-10/10 * * * *\""),
          Case.of("cron_service", "cron_schedule", "cron_schedule=\"* * * * *\""),
          Case.of("task_max_failures_negative", "task.max_failures", "task.max_failures=-1"),
          Case.of("max_concurrency_negative", "task.max_concurrency", "task.max_concurrency=-1"),
          Case.of(
              "no_processes",
              "a task needs at least one process",
              "task.processes=[]",
              "task.constraints=[]"),
          Case.of(
              "duplicate_process_names",
              "two processes are named 'a'",
              "task.processes[1]={\"name\": \"a\", \"cmdline\": \"echo b\"}",
              "task.constraints=[]"));

  /** Accepted by the client, by Aurora's scheduler and run by Thermos without harm. */
  static final List<Case> BOTH_ACCEPT =
      List.of(
          Case.of("empty_cmdline", "", "task.processes[1]={\"name\": \"b\", \"cmdline\": \"\"}"),
          Case.of(
              "negative_process_max_failures_and_min_duration",
              "",
              "task.processes[0]={\"name\": \"a\", \"cmdline\": \"echo a\","
                  + " \"max_failures\": -1, \"min_duration\": -1}"),
          Case.of("negative_finalization_wait", "", "task.finalization_wait=-1"),
          Case.of("non_ascii_contact", "", "contact=\"j\u00f6rg@example.com\""),
          Case.of(
              "non_ascii_cmdline",
              "",
              "task.processes[1]={\"name\": \"b\", \"cmdline\": \"echo \u2603\"}"),
          Case.of(
              "cron_names_and_steps",
              "",
              "service=false",
              "cron_schedule=\"*/5 1-23/2 * jan-jun MON-FRI\""));

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void verdictsAgreeWithTheRealClient() throws Exception {
    try (RealAurora.Standin standin = new RealAurora.Standin(tmp.resolve("standin"))) {
      Path aurora = RealAurora.client(tmp.resolve("client"), standin);
      Cli cli = new Cli(tmp);
      Path roots = tmp.resolve("gcroots");
      cli.config(
          "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
              + aurora
              + "\", \"gc_roots_dir\": \""
              + roots
              + "\"}}}");
      List<String> problems = new ArrayList<>();
      List<String> table = new ArrayList<>();
      for (Case c :
          Stream.of(CLIENT_REFUSES, REFUSED_LATER, BOTH_ACCEPT).flatMap(List::stream).toList()) {
        boolean clientShouldRefuse = CLIENT_REFUSES.contains(c);
        boolean weShouldAccept = BOTH_ACCEPT.contains(c);
        Path dir = Files.createDirectories(tmp.resolve("jobs").resolve(c.name()));
        ObjectNode job = apply(c);
        Files.writeString(dir.resolve("job.json"), JSON.writeValueAsString(job));
        Files.writeString(
            dir.resolve("default.nix"),
            "{ ... }: builtins.fromJSON (builtins.readFile ./job.json)\n");

        int before = standin.methods().size();
        ClientRun client = runClient(aurora, job, dir.resolve("job.json"));
        List<String> clientCalls = standin.methods().subList(before, standin.methods().size());
        boolean clientSubmitted =
            clientCalls.contains("createJob") || clientCalls.contains("scheduleCronJob");
        if (clientShouldRefuse && (client.exit == 0 || clientSubmitted)) {
          problems.add(c.name() + ": the real client accepted it: " + client.output);
        }
        if (!clientShouldRefuse && (client.exit != 0 || !clientSubmitted)) {
          problems.add(c.name() + ": the real client refused it: " + client.output);
        }

        before = standin.methods().size();
        Cli.Result ours = cli.run("create", KEY, dir.toString());
        List<String> ourCalls = standin.methods().subList(before, standin.methods().size());
        String refusal =
            ours.err().lines().filter(l -> l.startsWith("error")).findFirst().orElse("");
        table.add(
            String.format(
                "%-32s aurora: exit %d %s | nix-aurora: exit %d %s",
                c.name(), client.exit, client.firstLine(), ours.exitCode(), refusal));
        if (weShouldAccept) {
          if (ours.exitCode() != 0
              || !ourCalls.contains("createJob") && !ourCalls.contains("scheduleCronJob")) {
            problems.add(c.name() + ": nix-aurora did not create it\n" + ours);
          }
          continue;
        }
        if (ours.exitCode() != 3) {
          problems.add(c.name() + ": nix-aurora exit " + ours.exitCode() + "\n" + ours);
        }
        if (!ours.err().contains(c.field())) {
          problems.add(
              c.name() + ": nix-aurora's refusal does not name " + c.field() + "\n" + ours);
        }
        if (ours.err().contains("internal error")) {
          problems.add(c.name() + ": internal error\n" + ours);
        }
        if (!clientShouldRefuse
            && !(ours.err().contains("scheduler")
                || ours.err().contains("Aurora")
                || ours.err().contains("Thermos"))) {
          problems.add(c.name() + ": stricter than the client without saying why\n" + ours);
        }
        if (!ourCalls.isEmpty()) {
          problems.add(c.name() + ": nix-aurora reached the scheduler: " + ourCalls);
        }
        // (the accepted jobs come last: only they may leave roots)
        if (RealAurora.hasSymlinks(roots)) {
          problems.add(c.name() + ": nix-aurora registered GC roots under " + roots);
        }
      }
      System.out.println(String.join("\n", table));
      assertTrue(CLIENT_REFUSES.size() >= 40);
      assertEquals(List.of(), problems, String.join("\n", table));
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void anUnknownTierIsRefusedBeforePublishingWhenTheSchedulerCanBeAsked() throws Exception {
    try (RealAurora.Standin standin = new RealAurora.Standin(tmp.resolve("standin"))) {
      Path aurora = RealAurora.client(tmp.resolve("client"), standin);
      Cli cli = new Cli(tmp);
      Path roots = tmp.resolve("gcroots");
      cli.config(
          "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
              + aurora
              + "\", \"scheduler_uri\": \""
              + standin.uri()
              + "\", \"gc_roots_dir\": \""
              + roots
              + "\"}}}");
      Path dir = Files.createDirectories(tmp.resolve("gold"));
      ObjectNode job = (ObjectNode) JSON.readTree(BASE);
      job.put("tier", "gold");
      Files.writeString(dir.resolve("job.json"), JSON.writeValueAsString(job));
      Files.writeString(
          dir.resolve("default.nix"),
          "{ ... }: builtins.fromJSON (builtins.readFile ./job.json)\n");

      Cli.Result http = cli.run("create", KEY, dir.toString(), "--submitter", "http");
      assertEquals(3, http.exitCode(), http.toString());
      assertTrue(http.err().contains("tier: 'gold' is not one of the cluster's tiers"), http.err());
      assertTrue(http.err().contains("preemptible"), http.err());
      assertEquals(List.of("getTierConfigs"), standin.methods(), "asked for the tiers only");
      assertTrue(!RealAurora.hasSymlinks(roots), "GC roots were registered for a refused job");

      // A stock tier passes the same check and the job is created.
      job.put("tier", "preferred");
      Files.writeString(dir.resolve("job.json"), JSON.writeValueAsString(job));
      Cli.Result preferred = cli.run("create", KEY, dir.toString(), "--submitter", "http");
      assertEquals(0, preferred.exitCode(), preferred.toString());
      assertTrue(standin.methods().contains("createJob"), standin.methods().toString());

      // The cli submitter cannot ask; it says so for a tier outside the stock ones.
      job.put("tier", "gold");
      Files.writeString(dir.resolve("job.json"), JSON.writeValueAsString(job));
      Cli.Result viaClient = cli.run("create", KEY, dir.toString(), "--submitter", "cli");
      assertTrue(
          viaClient.err().contains("tier 'gold' is not one of Aurora's stock tiers"),
          viaClient.toString());
    }
  }

  record ClientRun(int exit, String output) {
    String firstLine() {
      return output
          .lines()
          .filter(l -> !l.isBlank() && !l.contains("INFO]") && !l.startsWith(" "))
          .findFirst()
          .map(l -> l.length() > 90 ? l.substring(0, 90) + "…" : l)
          .orElse("");
    }
  }

  private static ClientRun runClient(Path aurora, JsonNode job, Path file)
      throws IOException, InterruptedException {
    String key =
        "devcluster/"
            + job.path("role").asText()
            + "/"
            + job.path("environment").asText()
            + "/"
            + job.path("name").asText();
    List<String> command =
        job.has("cron_schedule")
            ? List.of(aurora.toString(), "cron", "schedule", "--read-json", key, file.toString())
            : List.of(aurora.toString(), "job", "create", "--read-json", key, file.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the aurora client did not finish: " + command);
    }
    return new ClientRun(p.exitValue(), out);
  }

  private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]");

  /** BASE with the case's changes: {@code path=JSON} sets, {@code path=DELETE} removes. */
  private static ObjectNode apply(Case c) throws IOException {
    ObjectNode job = (ObjectNode) JSON.readTree(BASE);
    for (String change : c.changes()) {
      int eq = change.indexOf('=');
      String path = change.substring(0, eq);
      String value = change.substring(eq + 1);
      List<String> steps = new ArrayList<>();
      Matcher m = STEP.matcher(path);
      while (m.find()) {
        steps.add(m.group(1) != null ? m.group(1) : "#" + m.group(2));
      }
      JsonNode parent = job;
      for (String step : steps.subList(0, steps.size() - 1)) {
        parent =
            step.startsWith("#")
                ? parent.get(Integer.parseInt(step.substring(1)))
                : parent.get(step);
      }
      String last = steps.get(steps.size() - 1);
      if (last.startsWith("#")) {
        ((ArrayNode) parent).set(Integer.parseInt(last.substring(1)), JSON.readTree(value));
      } else if (value.equals("DELETE")) {
        ((ObjectNode) parent).remove(last);
      } else {
        ((ObjectNode) parent).set(last, JSON.readTree(value));
      }
    }
    return job;
  }
}
