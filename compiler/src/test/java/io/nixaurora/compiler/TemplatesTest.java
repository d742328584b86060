package io.nixaurora.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.InvalidJobException.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The references pystachio binds (found by running Aurora 0.22's client, see WireParityIT's
 * templates jobs): fields of the enclosing structs, set or defaulted, innermost first.
 */
@Timeout(10)
class TemplatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Violation> check(String cmdline, String contact) throws Exception {
    String job =
        """
        {"cluster": "devcluster", "role": "vagrant", "environment": "devel", "name": "j",
         "contact": %s,
         "announce": {"portmap": {"admin": "{{primary_port}}"}},
         "task": {"processes": [{"name": "p", "cmdline": %s}],
                  "resources": {"cpu": 1, "ram": 1, "disk": 1}},
         "metadata": [{"key": "k", "value": "{{key}}-{{name}}"}]}
        """
            .formatted(JSON.writeValueAsString(contact), JSON.writeValueAsString(cmdline));
    List<Violation> out = new ArrayList<>();
    Templates.check(JSON.readTree(job), "", out);
    return out;
  }

  @ParameterizedTest
  @CsvSource({
    "{{role}} {{environment}} {{cluster}}, true",
    "{{name}} {{task.name}} {{instances}}, true",
    "{{mesos.instance}} {{mesos.hostname}} {{thermos.task_id}} {{thermos.ports[http]}}, true",
    "{{mesos.role}} {{mesos.cluster}} {{thermos.user}}, true",
    "{{max_failures}} {{daemon}} {{priority}} {{service}} {{contact}}, true",
    "{{processes[0].name}} {{task.resources.cpu}} {{self.name}} {{task.finalization_wait}}, true",
    "{{health_check_config.interval_secs}} {{announce.primary_port}}, true",
    "{{foo}}, false",
    "{{tier}}, true",
    "{{task}}, false",
    "{{processes[1].name}}, false",
    "{{task.processes}}, false",
    "{{announce.portmap}}, false",
    "{{&role}}, false",
    "{{ oops, false"
  })
  void aReferenceInACmdlineBindsAsPystachioBindsIt(String cmdline, boolean binds) throws Exception {
    List<Violation> violations = check("echo " + cmdline, "ops@example.com");
    assertEquals(binds, violations.isEmpty(), violations.toString());
    if (!binds) {
      assertEquals("task.processes[0].cmdline", violations.get(0).path());
    }
  }

  @ParameterizedTest
  @CsvSource({"{{name}}@{{role}}, true", "{{cmdline}}, false", "{{key}}, false"})
  void outsideAProcessTheJobsFieldsBind(String contact, boolean binds) throws Exception {
    assertEquals(binds, check("echo", contact).isEmpty());
  }
}
