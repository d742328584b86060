package io.nixaurora.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.JobKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hello_world job compiles to the reviewed golden file, byte for byte. */
class JobCompilerGoldenTest {

  private final JobCompiler compiler = new JobCompiler();

  @Test
  void helloWorldMatchesGoldenFile() throws Exception {
    AuroraJobConfig config = compiler.compile(HelloWorld.built(), HelloWorld.INIT);
    assertEquals(golden("golden/hello_world.json"), config.json());
    assertEquals(JobKey.parse("devcluster/vagrant/devel/hello_world"), config.key());
    assertTrue(config.service());
    assertFalse(config.cron());
  }

  @Test
  void helloWorldHasInitFirstAndOrderConstraint() throws Exception {
    JsonNode tree =
        new ObjectMapper().readTree(compiler.compile(HelloWorld.built(), HelloWorld.INIT).json());
    JsonNode processes = tree.get("task").get("processes");
    assertEquals(2, processes.size());
    assertEquals("nix_init_hello_world", processes.get(0).get("name").asText());
    assertEquals("hello_world", processes.get(1).get("name").asText());
    assertEquals(
        "/nix/var/nix/profiles/default/bin/nix-store --add-root .gc/hello_world -r "
            + HelloWorld.SCRIPT,
        processes.get(0).get("cmdline").asText());
    assertEquals(
        new ObjectMapper().readTree("[{\"order\": [\"nix_init_hello_world\", \"hello_world\"]}]"),
        tree.get("task").get("constraints"));
    assertTrue(tree.get("service").asBoolean());
    assertEquals("hello_world", tree.get("task").get("name").asText());
  }

  @Test
  void compilingTwiceGivesIdenticalBytes() throws Exception {
    byte[] first = compiler.compile(HelloWorld.built(), HelloWorld.INIT).bytes();
    byte[] second = new JobCompiler().compile(HelloWorld.built(), HelloWorld.INIT).bytes();
    assertArrayEquals(first, second);
  }

  static String golden(String resource) throws IOException {
    try (InputStream in =
        JobCompilerGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
