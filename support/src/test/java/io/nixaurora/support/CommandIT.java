package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runner with real programs ({@code /bin/bash}). Every process a test looks at is one
 * it started, known by the PID it wrote to a file in the test's own directory.
 */
@Timeout(120)
class CommandIT {

  @TempDir Path tmp;

  /**
   * A shell that starts a child that ignores SIGTERM (as a hung builder may) and waits for it: the
   * child's PID goes to {@code pidFile}, then the shell writes {@code ready}.
   */
  private static String stubbornTree(Path pidFile) {
    return "bash -c 'trap \"\" TERM; echo $$ > "
        + pidFile
        + ".tmp; mv "
        + pidFile
        + ".tmp "
        + pidFile
        + "; while :; do sleep 1; done' & "
        + "while [ ! -s "
        + pidFile
        + " ]; do sleep 0.05; done; echo ready; wait";
  }

  private static ProcessHandle child(Path pidFile) throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("child " + pid + " gone"));
  }

  @Test
  void aTimeoutStopsTheWholeTreeEvenAChildThatIgnoresSigterm() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<ProcessHandle> child = new AtomicReference<>();
    Command command =
        Command.of(List.of("/bin/bash", "-c", stubbornTree(pidFile)))
            .withTimeout(Duration.ofSeconds(5))
            .withGrace(Duration.ofMillis(200))
            .onStdoutLine(
                line -> {
                  lines.add(line);
                  try {
                    // Taken while the tree runs: a PID read after the kill might be reused.
                    child.set(child(pidFile));
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                });
    CommandException.TimedOut e = assertThrows(CommandException.TimedOut.class, command::run);
    assertEquals(List.of("ready"), lines, "the tree was not running when the timeout came");
    assertTrue(
        e.getMessage().contains("did not finish within 5 s and was stopped"), e.getMessage());
    assertFalse(child.get().isAlive(), "the child that ignores SIGTERM outlived the timeout");
  }

  @Test
  void anInterruptStopsTheTreeAndKeepsTheFlag() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Command command =
        Command.of(List.of("/bin/bash", "-c", stubbornTree(pidFile)))
            .withGrace(Duration.ofMillis(200));
    Thread waiter =
        new Thread(
            () -> {
              try {
                command.run();
              } catch (CommandException | RuntimeException ex) {
                thrown.set(ex);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    while (!Files.exists(pidFile)) {
      Thread.sleep(20); // bounded by the class timeout
    }
    ProcessHandle stubborn = child(pidFile);
    assertTrue(stubborn.isAlive());
    waiter.interrupt();
    waiter.join();
    assertTrue(thrown.get() instanceof CommandException.Interrupted, String.valueOf(thrown.get()));
    assertTrue(flag.get(), "the interrupt flag was not set again");
    assertFalse(stubborn.isAlive(), "the child outlived the interrupt");
  }

  @Test
  void whatTheProgramSaysWhileBeingStoppedReachesTheException() throws Exception {
    // The line handler holds the stderr drain until the whole tree is gone (the stop's last step),
    // so the program's last words are still unread in the pipe when the stop returns: the
    // exception must wait for them.
    CountDownLatch ready = new CountDownLatch(1);
    Command command =
        Command.of(
                List.of(
                    "/bin/bash",
                    "-c",
                    "trap 'echo stopped cleanly >&2; exit 1' TERM; sleep 600 &"
                        + " echo ready $! >&2; wait"))
            .withGrace(Duration.ofSeconds(30))
            .onStderrLine(
                line -> {
                  if (line.startsWith("ready ")) {
                    ProcessHandle sleeper =
                        ProcessHandle.of(Long.parseLong(line.substring(6))).orElseThrow();
                    ready.countDown();
                    sleeper.onExit().join(); // bounded by the class timeout
                  }
                });
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                command.run();
              } catch (CommandException | RuntimeException ex) {
                thrown.set(ex);
              }
            });
    waiter.start();
    ready.await();
    waiter.interrupt();
    waiter.join();
    CommandException.Interrupted e =
        assertInstanceOf(CommandException.Interrupted.class, thrown.get());
    assertTrue(e.partialStderr().contains("stopped cleanly"), e.partialStderr());
  }

  @Test
  void aFloodOnBothStreamsDoesNotBlockAndKeepsTheEndOfStderr() throws Exception {
    // 8 MiB on each stream, far beyond a pipe's 64 KiB: the program ends only if both are read.
    String script =
        "head -c 8388608 /dev/zero | tr '\\0' 'o'; "
            + "head -c 8388608 /dev/zero | tr '\\0' 'e' >&2; echo; echo LAST >&2; exit 3";
    CommandResult r =
        Command.of(List.of("/bin/bash", "-c", script))
            .withTimeout(Duration.ofSeconds(60))
            .withOutputLimit(1 << 20)
            .run();
    assertEquals(3, r.exitCode());
    assertEquals(1 << 20, r.stdout().length);
    assertTrue(r.stdoutTruncated());
    assertTrue(r.stderrTruncated());
    assertEquals(1 << 20, r.stderr().length);
    assertTrue(r.stderrText().endsWith("eeeLAST\n"), "stderr's tail is kept");
  }

  @Test
  void aLineHandlerThatThrowsNeitherBlocksTheProgramNorIsLost() throws Exception {
    IllegalStateException boom = new IllegalStateException("listener failed");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Command command =
        Command.of(
                List.of(
                    "/bin/bash",
                    "-c",
                    "echo first >&2; head -c 4194304 /dev/zero | tr '\\0' 'x' >&2; exit 0"))
            .withTimeout(Duration.ofSeconds(60))
            .onStderrLine(
                line -> {
                  seen.add(line);
                  throw boom;
                });
    IllegalStateException e = assertThrows(IllegalStateException.class, command::run);
    assertSame(boom, e);
    assertEquals(List.of("first"), seen, "the handler was called again after it threw");
  }

  @Test
  void stdinEnvironmentAndDirectoryReachTheProgram() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("work dir"));
    CommandResult r =
        Command.of(
                List.of(
                    "/bin/bash",
                    "-c",
                    "read -r line; echo \"$line|$GREETING|$(pwd)|${HOME-unset}\"; echo err >&2"))
            .withOnlyEnvironment(Map.of("GREETING", "hi", "PATH", "/usr/bin:/bin"))
            .inDirectory(dir)
            .withStdin("from stdin\n".getBytes(StandardCharsets.UTF_8))
            .withTimeout(Duration.ofSeconds(30))
            .run();
    assertEquals(0, r.exitCode(), r.stderrText());
    assertEquals("from stdin|hi|" + dir + "|unset\n", r.stdoutText());
    assertEquals("err\n", r.stderrText());
    assertArrayEquals(r.stdout(), r.stdoutText().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutStdinTheProgramReadsEndOfFileAndSignalsShowAsAShellDoes() throws Exception {
    CommandResult eof =
        Command.of(List.of("/bin/bash", "-c", "cat; echo done"))
            .withTimeout(Duration.ofSeconds(30))
            .run();
    assertEquals("done\n", eof.stdoutText());
    CommandResult killed =
        Command.of(List.of("/bin/bash", "-c", "kill -TERM $$"))
            .withTimeout(Duration.ofSeconds(30))
            .run();
    assertEquals(143, killed.exitCode());
  }

  @Test
  void aServerThatEndsBeforeItListensIsReportedWithWhatItSaid() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // free again: nothing listens there
    }
    RunningCommand server =
        Command.of(List.of("/bin/bash", "-c", "echo cannot bind >&2; exit 1")).start();
    int p = port;
    CommandException.NotStarted e =
        assertThrows(
            CommandException.NotStarted.class,
            () -> server.awaitListening("127.0.0.1", p, Duration.ofMinutes(1)));
    assertTrue(
        e.getMessage().contains("ended before it listened on 127.0.0.1:" + p), e.getMessage());
    assertTrue(e.getMessage().contains("cannot bind"), e.getMessage());
  }

  @Test
  void aMissingProgramIsNotStartedWithItsName() {
    CommandException.NotStarted e =
        assertThrows(
            CommandException.NotStarted.class,
            () -> Command.of(tmp.resolve("no-such-program"), List.of()).run());
    assertTrue(e.getMessage().contains("no-such-program"), e.getMessage());
    assertFalse(e.shuttingDown());
  }
}
