package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.AppcImage;
import io.nixaurora.api.model.BatchUpdateStrategy;
import io.nixaurora.api.model.Container;
import io.nixaurora.api.model.Docker;
import io.nixaurora.api.model.DockerImage;
import io.nixaurora.api.model.Mesos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers as a job file writes them, with the optional list left out: each builds and reads back
 * as the container it is (issue 11: a Mesos container without {@code volumes}, or with an
 * AppcImage, failed with "container.image: Cannot deserialize value of type String").
 */
@Timeout(300)
class ContainerShapesIT {

  @TempDir Path tmp;

  private Container build(String name, String container) throws Exception {
    String nix =
        Jobs.HELLO_WORLD.replace(
            "task = Task {", "container = " + container + ";\n  task = Task {");
    Path dir = Jobs.jobDir(tmp.resolve(name), nix);
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    return built.job().container();
  }

  @Test
  void mesosWithAnAppcImageAndNoVolumes() throws Exception {
    assertEquals(
        new Mesos(AppcImage.of("coreos.com/etcd", "sha512-abc"), List.of()),
        build(
            "appc",
            "Mesos { image = AppcImage { name = \"coreos.com/etcd\"; image_id = \"sha512-abc\"; }; }"));
  }

  @Test
  void mesosWithADockerImageAndNoVolumes() throws Exception {
    assertEquals(
        new Mesos(new DockerImage("debian", "bookworm"), List.of()),
        build(
            "docker-image",
            "Mesos { image = DockerImage { name = \"debian\"; tag = \"bookworm\"; }; }"));
  }

  @Test
  void plainMesosAndPlainAttributeSets() throws Exception {
    assertEquals(new Mesos(null, List.of()), build("plain", "Mesos { }"));
    assertEquals(
        new Mesos(AppcImage.of("a", "b"), List.of()),
        build("attrs", "{ image = { name = \"a\"; image_id = \"b\"; }; }"));
  }

  @Test
  void dockerWithoutParameters() throws Exception {
    assertEquals(
        new Docker("alpine:3", List.of()), build("docker", "Docker { image = \"alpine:3\"; }"));
  }

  @Test
  void aBatchUpdateStrategyStaysOneWithoutAutopause() throws Exception {
    String nix =
        Jobs.HELLO_WORLD.replace(
            "task = Task {",
            "update_config = UpdateConfig { update_strategy = BatchUpdateStrategy { batch_size = 3; }; };\n"
                + "  task = Task {");
    Path dir = Jobs.jobDir(tmp.resolve("batch"), nix);
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    assertEquals(BatchUpdateStrategy.of(3), built.job().updateConfig().updateStrategy());
  }
}
