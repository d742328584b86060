package io.nixaurora.submit.cli;

import io.nixaurora.api.SubmitException;
import io.nixaurora.support.Command;
import io.nixaurora.support.CommandException;
import io.nixaurora.support.CommandResult;
import io.nixaurora.support.Executables;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the {@code aurora} client once: finds the executable, hands it the job configuration in a
 * private temporary file, waits at most the timeout (then stops the whole process tree) and removes
 * every temporary file afterwards, whatever happened.
 */
final class AuroraClient {

  /** Exit code for a client that could not be found or started, as a shell reports it. */
  static final int EXIT_NOT_FOUND = 127;

  /** The aurora client's {@code EXIT_INTERRUPTED}. */
  static final int EXIT_INTERRUPTED = 130;

  /** How long a client gets to exit after SIGTERM before it is killed. */
  private static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);

  /**
   * The private directories of the clients this JVM is running. When the JVM shuts down (SIGINT or
   * SIGTERM to it alone) support's runner stops each client's process tree and a hook removes the
   * directories (the job configuration in them must not outlive the run). Static because a shutdown
   * hook is: there is one JVM to outlive.
   */
  private static final Set<Path> LIVE_DIRECTORIES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE_DIRECTORIES.forEach(AuroraClient::deleteRecursively),
                "nix-aurora-remove-aurora-client-files"));
  }

  private final String binary;
  private final Duration timeout;
  private final Map<String, String> environment;
  private final Path tempRoot;

  /**
   * @param binary a path (anything with a {@code /}) or a name looked up on {@code PATH}
   * @param timeout how long one client run may take
   * @param environment variables set for the client on top of this process's environment; its
   *     {@code PATH}, when given, is also where {@code binary} is looked up
   * @param tempRoot where the private temporary directories are made
   */
  AuroraClient(String binary, Duration timeout, Map<String, String> environment, Path tempRoot) {
    this.binary = Objects.requireNonNull(binary, "binary");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.environment = Map.copyOf(environment);
    this.tempRoot = Objects.requireNonNull(tempRoot, "tempRoot");
    if (binary.isBlank()) {
      throw new IllegalArgumentException("aurora_binary: must not be empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
    }
  }

  /** What a finished client run printed. */
  record Run(String command, int exitCode, String stdout, String stderr) {

    /** The client's own words about a failure: its stderr, or its stdout when stderr is empty. */
    String said() {
      String text = stderr.isBlank() ? stdout.strip() : stderr.strip();
      return text.isEmpty() ? "(the aurora client printed nothing)" : text;
    }
  }

  /**
   * Runs {@code aurora args…}, with the path of a private copy of {@code config} appended when
   * {@code config} is not null.
   *
   * @param configName the file name for the config (the client shows it in its messages)
   * @throws SubmitException when the client cannot be found or started, does not finish in time
   *     ({@link SubmitException.Timeout}), or the wait is interrupted; a non-zero exit is returned,
   *     not thrown
   */
  Run run(List<String> args, byte[] config, String configName) throws SubmitException {
    Path executable = resolveExecutable();
    String command = "aurora " + String.join(" ", args);
    Path dir;
    try {
      dir =
          Files.createTempDirectory(
              tempRoot,
              "nix-aurora-submit-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new SubmitException(
          1, "cannot make a private temporary directory in " + tempRoot + ": " + e.getMessage(), e);
    }
    LIVE_DIRECTORIES.add(dir);
    try {
      List<String> argv = new ArrayList<>();
      argv.add(executable.toString());
      argv.addAll(args);
      if (config != null) {
        Path file =
            Files.createFile(
                dir.resolve(configName),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, config);
        argv.add(file.toString());
        command = command + " " + file;
      }
      Command client =
          Command.of(argv)
              .withEnvironment(environment)
              .withTimeout(timeout)
              .withGrace(TERMINATION_GRACE);
      CommandResult result;
      try {
        result = client.run();
      } catch (CommandException.NotStarted e) {
        if (e.shuttingDown()) {
          throw new SubmitException(
              EXIT_INTERRUPTED, "interrupted before `" + command + "` was started");
        }
        throw new SubmitException(
            EXIT_NOT_FOUND,
            "cannot run the aurora client "
                + executable
                + ": "
                + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()),
            e);
      } catch (CommandException.Interrupted e) {
        throw new SubmitException(
            EXIT_INTERRUPTED, "interrupted while waiting for `" + command + "`; it was stopped", e);
      } catch (CommandException.TimedOut e) {
        String partial = e.partialStderr().strip();
        throw new SubmitException.Timeout(
            "`"
                + command
                + "` did not finish within "
                + timeout.toSeconds()
                + " s and was stopped (raise timeout_seconds if the cluster is slow)"
                + (partial.isEmpty() ? "" : "; it had printed: " + tail(partial)));
      } catch (CommandException e) {
        throw new SubmitException(1, "`" + command + "`: " + e.getMessage(), e);
      }
      return new Run(command, result.exitCode(), result.stdoutText(), result.stderrText());
    } catch (IOException e) {
      throw new SubmitException(
          1, "cannot write the job configuration for `" + command + "`: " + e.getMessage(), e);
    } finally {
      deleteRecursively(dir);
      LIVE_DIRECTORIES.remove(dir);
    }
  }

  /** The executable to run, or a clear error naming what was looked for. */
  Path resolveExecutable() throws SubmitException {
    if (binary.contains("/")) {
      Path path = Path.of(binary);
      if (!Files.exists(path)) {
        throw notFound("the aurora client " + path + " does not exist");
      }
      if (Files.isDirectory(path) || !Files.isExecutable(path)) {
        throw notFound("the aurora client " + path + " is not an executable file");
      }
      return path;
    }
    String path = environment.getOrDefault("PATH", System.getenv("PATH"));
    Optional<Path> found = Executables.onPath(binary, path);
    if (found.isPresent()) {
      return found.get();
    }
    throw notFound("no executable '" + binary + "' on PATH=" + (path == null ? "" : path));
  }

  private static SubmitException notFound(String what) {
    return new SubmitException(
        EXIT_NOT_FOUND,
        "cannot find the aurora client: "
            + what
            + " (install the Aurora client or set the cli submitter's aurora_binary)");
  }

  /** The end of a long text: errors come last. */
  static String tail(String text) {
    int max = 8000;
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }

  private static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Best effort on an unexpected I/O error; the directory is private (0700) in any case.
      dir.toFile().deleteOnExit();
    }
  }
}
