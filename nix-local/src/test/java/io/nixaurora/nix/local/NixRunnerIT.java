package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.NixException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NixRunner with real {@code nix-build}s of tiny derivations whose builder is {@code /bin/sh}: a
 * progress listener that throws, a timeout and an interrupt. The builder writes its PID to a file
 * in the test's own directory, so the only processes looked at are the ones this test started.
 */
@Timeout(300)
class NixRunnerIT {

  @TempDir Path tmp;
  private Path shared;

  @BeforeEach
  void sharedDirectory() throws Exception {
    // The builder runs as a build user: it may write only into a directory open to everyone.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  /** A derivation (unique to this run, so never substituted) whose builder runs {@code script}. */
  private Path derivation(String script) throws Exception {
    String salt = Long.toString(System.nanoTime());
    String system =
        NixRunner.onPath()
            .run("nix-instantiate", List.of("--eval", "-E", "builtins.currentSystem"))
            .stdoutText()
            .strip();
    return Files.writeString(
        tmp.resolve("default.nix"),
        "derivation { name = \"runner-"
            + salt
            + "\"; system = "
            + system
            + "; builder = \"/bin/sh\"; args = [ \"-c\" ''PATH=/usr/bin:/bin; "
            + script
            + "'' ]; }\n");
  }

  private static List<String> build(Path file) {
    return List.of(file.toString(), "--no-out-link");
  }

  /**
   * The builder's process, from the PID it wrote, once it has: waits while {@code building},
   * bounded by the class's timeout.
   */
  private ProcessHandle builder(CompletableFuture<?> building) throws Exception {
    Path pid = shared.resolve("builder.pid");
    while (!Files.exists(pid)) {
      if (building.isDone()) {
        building.get(); // its failure says why the builder never started
        throw new AssertionError("nix-build ended before its builder started");
      }
      Thread.sleep(50);
    }
    long n = Long.parseLong(Files.readString(pid).strip());
    return ProcessHandle.of(n).orElseThrow(() -> new AssertionError("builder " + n + " gone"));
  }

  private String startedBuilder() {
    return "echo $$ > "
        + shared
        + "/builder.pid.tmp; mv "
        + shared
        + "/builder.pid.tmp "
        + shared
        + "/builder.pid; echo builder-started >&2; ";
  }

  @Test
  void aProgressListenerThatThrowsNeitherBlocksNixNorIsLost() throws Exception {
    // 2 MB of build log, far past a pipe's 64 KiB: Nix blocks if its stderr stops being read.
    Path file =
        derivation(
            "i=0; while [ $i -lt 20000 ]; do echo line $i of a long build log"
                + " ................................................................ >&2;"
                + " i=$((i+1)); done; echo done > $out");
    IllegalStateException boom = new IllegalStateException("listener failed");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                NixRunner.onPath()
                    .withTimeout(Duration.ofMinutes(4))
                    .run(
                        "nix-build",
                        build(file),
                        null,
                        line -> {
                          seen.add(line);
                          throw boom;
                        }));

    assertSame(boom, e);
    assertEquals(1, seen.size(), "the listener was called again after it threw: " + seen);
  }

  @Test
  void aTimeoutStopsNixBuildAndItsBuilder() throws Exception {
    Path file = derivation(startedBuilder() + "trap \"\" TERM; while :; do sleep 1; done");
    CompletableFuture<NixRunner.Result> building =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return NixRunner.onPath()
                    .withTimeout(Duration.ofSeconds(30))
                    .run("nix-build", build(file));
              } catch (NixException e) {
                throw new CompletionException(e);
              }
            });
    ProcessHandle b = builder(building);

    ExecutionException e = assertThrows(ExecutionException.class, building::get);

    assertTrue(e.getCause() instanceof NixException, String.valueOf(e.getCause()));
    assertTrue(
        e.getCause().getMessage().contains("nix-build did not finish within 30 s"),
        e.getCause().getMessage());
    assertFalse(b.isAlive(), "the builder, which ignores SIGTERM, outlived nix-build");
  }

  @Test
  void anInterruptStopsNixBuildAndItsBuilder() throws Exception {
    Path file = derivation(startedBuilder() + "while :; do sleep 1; done");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    Thread command =
        new Thread(
            () -> {
              try {
                NixRunner.onPath().run("nix-build", build(file));
              } catch (NixException | RuntimeException ex) {
                thrown.set(ex);
              }
              ended.complete(null);
            });
    command.start();
    ProcessHandle b = builder(ended);
    assertTrue(b.isAlive());

    command.interrupt();
    command.join();

    assertTrue(thrown.get() instanceof NixException, String.valueOf(thrown.get()));
    assertEquals("nix-build was interrupted", thrown.get().getMessage());
    assertFalse(b.isAlive(), "the builder outlived the interrupt");
  }
}
