package io.nixaurora.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Aurora 0.22 pieces in {@code ../shared/aurora-0.22} (or {@code $AURORA_0_22_HOME}), as
 * api's test helper {@link io.nixaurora.api.RealAurora} finds them: its client, scheduler stand-in
 * and Thermos runner, with the cli tests' own helpers. They need CPython 2.7 ({@code
 * $AURORA_PYTHON2}, else pyenv's 2.7.18); a machine without it fails the test saying so, it is not
 * skipped.
 */
final class RealAurora {
  private RealAurora() {}

  static Path home() {
    return io.nixaurora.api.RealAurora.locate().home();
  }

  /** CPython 2.7, as aurora-0.22/bin/python2 looks for it. */
  static Path python2() {
    return io.nixaurora.api.RealAurora.locate().python();
  }

  /** Whether anything under {@code dir} is a symbolic link (a GC root). */
  static boolean hasSymlinks(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return false;
    }
    try (var s = Files.walk(dir)) {
      return s.anyMatch(Files::isSymbolicLink);
    }
  }

  /** A free local port (bound and released; the stand-in binds it next). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code bin/scheduler-standin} on a private port, logging every call to its own file. */
  static final class Standin implements AutoCloseable {
    final int port;
    final Path log;
    private final Process process;

    Standin(Path dir) throws IOException, InterruptedException {
      Files.createDirectories(dir);
      this.port = freePort();
      this.log = dir.resolve("standin.log");
      Files.writeString(log, "");
      ProcessBuilder pb =
          new ProcessBuilder(
                  home().resolve("bin/scheduler-standin").toString(),
                  String.valueOf(port),
                  log.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("standin.out").toFile());
      pb.environment().put("AURORA_PYTHON2", python2().toString());
      process = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return;
        } catch (IOException notYet) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            close();
            throw new IOException(
                "the scheduler stand-in did not start: "
                    + Files.readString(dir.resolve("standin.out")));
          }
          Thread.sleep(50);
        }
      }
    }

    String uri() {
      return "http://127.0.0.1:" + port;
    }

    /** The methods called so far, in order. */
    List<String> methods() throws IOException {
      return Files.readAllLines(log).stream()
          .filter(l -> !l.isBlank())
          .map(l -> l.replaceAll("^.*\"method\": \"([A-Za-z]+)\".*$", "$1"))
          .toList();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /**
   * An {@code aurora} executable that runs the real client against {@code standin}: a private
   * clusters.json (cluster {@code devcluster}), home and Python.
   */
  static Path client(Path dir, Standin standin) throws IOException {
    Path config = Files.createDirectories(dir.resolve("aurora-config"));
    Path home = Files.createDirectories(dir.resolve("aurora-home"));
    Files.writeString(
        config.resolve("clusters.json"),
        "[{\"name\": \"devcluster\", \"scheduler_uri\": \""
            + standin.uri()
            + "\", \"auth_mechanism\": \"UNAUTHENTICATED\"}]");
    Path script = dir.resolve("aurora");
    Files.writeString(
        script,
        """
        #!/bin/sh
        export AURORA_CONFIG_ROOT='%s' HOME='%s' AURORA_PYTHON2='%s'
        exec '%s' "$@"
        """
            .formatted(config, home, python2(), home().resolve("bin/aurora")),
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}
