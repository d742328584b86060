package io.nixaurora.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Job keys follow Aurora's identifier and environment rules (docs/aurora-spec.md §2.1, §8). */
class JobKeyTest {

  @Test
  void parsesAndPrintsClusterRoleEnvName() {
    JobKey key = JobKey.parse("devcluster/vagrant/devel/hello_world");
    assertEquals(new JobKey("devcluster", "vagrant", "devel", "hello_world"), key);
    assertEquals("devcluster/vagrant/devel/hello_world", key.toString());
  }

  @Test
  void acceptsStagingWithANumberAndDotsAndDashes() {
    new JobKey("c", "www-data", "staging12", "web.frontend-v2");
  }

  @ParameterizedTest
  @CsvSource({
    "devcluster/vagrant/devel, job key",
    "devcluster/vagrant/devel/a/b, job key",
    "/vagrant/devel/x, cluster",
    "c/bad role/devel/x, role",
    "c/vagrant/production/x, environment",
    "c/vagrant/devel/a:b, name",
    "c/vagrant//x, environment",
  })
  void refusesBadKeysNamingThePart(String key, String part) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JobKey.parse(key));
    assertTrue(e.getMessage().startsWith(part), e.getMessage());
  }

  @Test
  void identifiersAreAtMost255Characters() {
    assertNull(JobKey.identifierProblem("a".repeat(255)));
    assertTrue(JobKey.identifierProblem("a".repeat(256)).contains("255"));
    assertThrows(
        IllegalArgumentException.class, () -> new JobKey("c", "r", "devel", "n".repeat(256)));
  }
}
