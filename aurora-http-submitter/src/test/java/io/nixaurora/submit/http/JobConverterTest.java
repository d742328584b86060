package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The client-side conversion of everything hello_world does not use. */
class JobConverterTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static final String FULL =
      """
      {"cluster": "devcluster", "role": "www-data", "environment": "prod", "name": "web",
       "instances": 3, "service": true, "tier": "preferred", "production": true,
       "contact": "ops@example.com", "priority": 5, "max_task_failures": -1,
       "announce": {"primary_port": "http", "portmap": {"health": "http", "admin": "8080"}},
       "constraints": {"rack": "!r1,r2", "host": "limit:1", "dedicated": "www-data/web"},
       "metadata": [{"key": "team", "value": "b"}, {"key": "team", "value": "a"}],
       "container": {"docker": {"image": "nginx:1.25", "parameters": [{"name": "env", "value": "A=1"}]}},
       "partition_policy": {"reschedule": false},
       "sla_policy": {"count": 2, "duration_secs": 60},
       "update_config": {"batch_size": 2, "watch_secs": 10, "wait_for_batch_completion": true,
                         "pulse_interval_secs": 120, "max_total_failures": 1},
       "task": {"processes": [{"name": "web", "cmdline": "exec web --port {{thermos.ports[http]}}",
                               "daemon": true, "logger": {"mode": "rotate"}}],
                "resources": {"cpu": 0.5, "ram": 134217728.7, "disk": "268435456", "gpu": 1}}}
      """;

  static ObjectNode full() throws Exception {
    return (ObjectNode) MAPPER.readTree(FULL);
  }

  static String body(TJson.Struct s) {
    StringBuilder out = new StringBuilder();
    s.write(out);
    return out.toString();
  }

  @Test
  void everyFieldTheClientSetsIsSet() throws Exception {
    JobConverter.Converted c = JobConverter.convert(full(), "devcluster", "alice");
    String task = body(c.taskConfig());

    assertTrue(task.contains("\"7\":{\"tf\":1}"), task);
    assertTrue(task.contains("\"11\":{\"i32\":5}"), task);
    assertTrue(task.contains("\"13\":{\"i32\":-1}"), task);
    assertTrue(task.contains("\"17\":{\"rec\":{\"2\":{\"str\":\"alice\"}}}"), task);
    assertTrue(task.contains("\"18\":{\"tf\":1}"), task);
    assertTrue(task.contains("\"23\":{\"str\":\"ops@example.com\"}"), task);
    assertTrue(task.contains("\"30\":{\"str\":\"preferred\"}"), task);
    // resources: cpu, ram/disk floored to MiB, named ports (sorted), gpu
    assertTrue(
        task.contains(
            "\"32\":{\"set\":[\"rec\",5,{\"1\":{\"dbl\":0.5}},{\"2\":{\"i64\":128}},{\"3\":{\"i64\":256}},{\"4\":{\"str\":\"http\"}},{\"5\":{\"i64\":1}}]}"),
        task);
    // placement constraints sorted by name; values split and sorted, '!' negates
    assertTrue(
        task.contains(
            "\"20\":{\"set\":[\"rec\",3,"
                + "{\"1\":{\"str\":\"dedicated\"},\"2\":{\"rec\":{\"1\":{\"rec\":{\"1\":{\"tf\":0},\"2\":{\"set\":[\"str\",1,\"www-data/web\"]}}}}}},"
                + "{\"1\":{\"str\":\"host\"},\"2\":{\"rec\":{\"2\":{\"rec\":{\"1\":{\"i32\":1}}}}}},"
                + "{\"1\":{\"str\":\"rack\"},\"2\":{\"rec\":{\"1\":{\"rec\":{\"1\":{\"tf\":1},\"2\":{\"set\":[\"str\",2,\"r1\",\"r2\"]}}}}}}]}"),
        task);
    assertTrue(
        task.contains(
            "\"27\":{\"set\":[\"rec\",2,{\"1\":{\"str\":\"team\"},\"2\":{\"str\":\"a\"}},{\"1\":{\"str\":\"team\"},\"2\":{\"str\":\"b\"}}]}"),
        task);
    assertTrue(
        task.contains(
            "\"29\":{\"rec\":{\"2\":{\"rec\":{\"1\":{\"str\":\"nginx:1.25\"},\"2\":{\"lst\":[\"rec\",1,{\"1\":{\"str\":\"env\"},\"2\":{\"str\":\"A=1\"}}]}}}}}"),
        task);
    assertTrue(task.contains("\"34\":{\"rec\":{\"1\":{\"tf\":0},\"2\":{\"i64\":0}}}"), task);
    assertTrue(
        task.contains("\"35\":{\"rec\":{\"2\":{\"rec\":{\"1\":{\"i64\":2},\"2\":{\"i64\":60}}}}}"),
        task);
    assertEquals(3, c.instanceCount());
  }

  @Test
  void executorDataHasEveryDefaultAndThePortTemplate() throws Exception {
    String data = ExecutorData.of(full());
    JsonNode parsed = MAPPER.readTree(data);

    assertTrue(!parsed.has("update_config") && !parsed.has("instances"), data);
    assertEquals("http", parsed.at("/announce/portmap/health").asText());
    assertEquals(
        "exec web --port {{thermos.ports[http]}}", parsed.at("/task/processes/0/cmdline").asText());
    assertEquals("rotate", parsed.at("/task/processes/0/logger/mode").asText());
    assertEquals("file", parsed.at("/task/processes/0/logger/destination").asText());
    assertEquals(134217728, parsed.at("/task/resources/ram").asLong());
    assertEquals(
        "web", parsed.at("/task/name").asText(), "task name defaults to the first process");
    assertTrue(data.contains("\"cpu\": 0.5"), data);
    assertTrue(data.contains("\"priority\": 5"), data);
    assertEquals(data, ExecutorData.of(full()), "deterministic");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"hello_world", "poc_hello_world", "everything", "mesos"})
  void executorDataIsWhatCpython27Writes(String name) throws Exception {
    // reference/<name>.data is what the real Aurora 0.22 client sent to the scheduler stand-in
    // for reference/<name>.json (reference/real_client_data.py; Choice jobs as .aurora files):
    // every field kind, maps, choices, escapes and the dict order of structs of every size.
    ObjectNode job;
    String expected;
    try (var in = getClass().getResourceAsStream("reference/" + name + ".json");
        var data = getClass().getResourceAsStream("reference/" + name + ".data")) {
      job = (ObjectNode) MAPPER.readTree(in);
      expected = new String(data.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    assertEquals(expected, ExecutorData.of(job));
  }

  @Test
  void updateSettingsFollowUpdateConfig() throws Exception {
    JobConverter.Converted c = JobConverter.convert(full(), "devcluster", "alice");
    String settings = body(JobConverter.updateSettings(c.job()));
    assertEquals(
        "{\"1\":{\"i32\":2},\"2\":{\"i32\":0},\"3\":{\"i32\":1},\"5\":{\"i32\":10000},\"6\":{\"tf\":1},"
            + "\"8\":{\"tf\":1},\"9\":{\"i32\":120000},\"10\":{\"tf\":0},"
            + "\"11\":{\"rec\":{\"2\":{\"rec\":{\"1\":{\"i32\":2},\"2\":{\"tf\":0}}}}}}",
        settings);
  }

  @Test
  void theClientsRulesAreChecked() throws Exception {
    ObjectNode job = full();
    ((ObjectNode) job.get("update_config")).put("max_total_failures", 3);
    JobConverter.Converted c = JobConverter.convert(job, "devcluster", "alice");
    ExecutorData.InvalidJob e =
        assertThrows(ExecutorData.InvalidJob.class, () -> JobConverter.updateSettings(c.job()));
    assertTrue(e.getMessage().contains("max_total_failures"), e.getMessage());

    ObjectNode unknown = full();
    ((ObjectNode) unknown.get("task")).put("colour", "red");
    e = assertThrows(ExecutorData.InvalidJob.class, () -> JobConverter.convert(unknown, "c", "o"));
    assertTrue(e.getMessage().contains("task.colour"), e.getMessage());

    ObjectNode template = full();
    ((ObjectNode) template.at("/task/processes/0")).put("cmdline", "echo {{secret.x}}");
    e = assertThrows(ExecutorData.InvalidJob.class, () -> JobConverter.convert(template, "c", "o"));
    assertTrue(e.getMessage().contains("unbound"), e.getMessage());

    ObjectNode badName = full();
    ((ObjectNode) badName.at("/task/processes/0")).put("name", ".hidden");
    e = assertThrows(ExecutorData.InvalidJob.class, () -> JobConverter.convert(badName, "c", "o"));
    assertTrue(e.getMessage().contains(".hidden"), e.getMessage());
  }
}
