package io.nixaurora.submit.cli;

import io.nixaurora.api.SubmitException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
   * The clients this JVM is running, with their private directories. When the JVM shuts down
   * (SIGINT or SIGTERM to it alone) a hook stops each client's process tree and removes its
   * directory, and no client is started afterwards. Static because a shutdown hook is: there is one
   * JVM to outlive.
   */
  private static final Map<Process, Path> LIVE = new ConcurrentHashMap<>();

  // Set once, by the shutdown hook; read and set under LIVE's lock.
  private static final AtomicBoolean STOPPING = new AtomicBoolean();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(AuroraClient::stopAll, "nix-aurora-stop-aurora-client"));
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
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      ProcessBuilder pb = new ProcessBuilder(argv);
      pb.environment().putAll(environment);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // Files, not pipes: a hung client's children cannot block us on a pipe they keep open.
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      Process process;
      synchronized (LIVE) {
        if (STOPPING.get()) {
          throw new SubmitException(
              EXIT_INTERRUPTED, "interrupted before `" + command + "` was started");
        }
        try {
          process = pb.start();
        } catch (IOException e) {
          throw new SubmitException(
              EXIT_NOT_FOUND,
              "cannot run the aurora client " + executable + ": " + e.getMessage(),
              e);
        }
        LIVE.put(process, dir);
      }
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        destroyTree(process);
        LIVE.remove(process);
        Thread.currentThread().interrupt();
        throw new SubmitException(
            EXIT_INTERRUPTED, "interrupted while waiting for `" + command + "`; it was stopped", e);
      }
      if (!finished) {
        destroyTree(process);
        LIVE.remove(process);
        String partial = readText(err).strip();
        throw new SubmitException.Timeout(
            "`"
                + command
                + "` did not finish within "
                + timeout.toSeconds()
                + " s and was stopped (raise timeout_seconds if the cluster is slow)"
                + (partial.isEmpty() ? "" : "; it had printed: " + tail(partial)));
      }
      LIVE.remove(process);
      return new Run(command, process.exitValue(), readText(out), readText(err));
    } catch (IOException e) {
      throw new SubmitException(
          1, "cannot write the job configuration for `" + command + "`: " + e.getMessage(), e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** The shutdown hook: every running client's tree stopped, its directory removed. */
  private static void stopAll() {
    Map<Process, Path> running;
    synchronized (LIVE) {
      STOPPING.set(true);
      running = Map.copyOf(LIVE);
    }
    running.keySet().parallelStream().forEach(AuroraClient::destroyTree);
    running.values().forEach(AuroraClient::deleteRecursively);
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
    if (path != null) {
      for (String dir : path.split(":")) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, binary);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
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

  /**
   * Stops the client and everything it started: SIGTERM first so the client can clean up, SIGKILL
   * for whatever is left after a short grace period.
   */
  private static void destroyTree(Process process) {
    // Take the descendants before the parent dies: orphans are no longer its descendants.
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TERMINATION_GRACE.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          handle.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // still alive: killed below
        }
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static String readText(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      // Malformed UTF-8 or a vanished file: fall back to the raw bytes, decoded leniently.
      try {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      } catch (IOException again) {
        return "";
      }
    }
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
