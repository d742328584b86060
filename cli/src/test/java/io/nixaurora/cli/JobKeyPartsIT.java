package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad cluster, role, environment or name inside a job file (issue 12, item 4) is an invalid job:
 * exit 3, the field, the job file and the line, for {@code build} and for {@code create} (which
 * then pushes and submits nothing), never an internal error.
 */
class JobKeyPartsIT {

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "environment | qa",
        "environment | production",
        "name        | bad name!",
        "name        | my job",
        "name        | h\u00e9llo",
        "role        | r\u00f4le",
        "cluster     | a/b"
      })
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aBadKeyPartInTheJobFileIsAnInvalidField(String field, String value) throws Exception {
    int line =
        switch (field) {
          case "cluster" -> 3;
          case "role" -> 4;
          case "environment" -> 5;
          default -> 6;
        };
    Cli cli = new Cli(tmp);
    Path job = Files.createDirectories(tmp.resolve("job"));
    String key =
        "cluster = \"devcluster\";\n  role = \"vagrant\";\n  environment = \"devel\";\n"
            + "  name = \"hello\";";
    Files.writeString(
        job.resolve("default.nix"),
        """
        { aurora, ... }:
        aurora.Service {
          %s
          task = aurora.Task {
            processes = [ (aurora.Process { name = "hello"; cmdline = "echo hello"; }) ];
            resources = aurora.Resources { cpu = 1; ram = 16 * aurora.MB; disk = 16 * aurora.MB; };
          };
        }
        """
            .formatted(key.replace(field + " = \"", field + " = \"" + value + "\"; #")));
    Path file = job.resolve("default.nix").toRealPath();
    Path roots = tmp.resolve("roots");
    cli.config(
        "{\"defaults\": {\"gc_roots_dir\": \"" + roots + "\", \"aurora_binary\": \"/bin/false\"}}");

    for (String[] command :
        new String[][] {
          {"build", job.toString()},
          {"create", "devcluster/vagrant/devel/hello", job.toString()}
        }) {
      Cli.Result r = cli.run(command);
      assertEquals(3, r.exitCode(), r.toString());
      assertTrue(r.err().contains("error: invalid job: " + field + ": "), r.err());
      assertTrue(r.err().contains("'" + value + "'"), r.err());
      assertTrue(r.err().contains("(at " + file + ":" + line + ":"), r.err());
      assertFalse(r.err().contains("internal error"), r.err());
    }
    assertFalse(RealAurora.hasSymlinks(roots), "GC roots were registered for a refused job");
  }
}
