package io.nixaurora.nix.local;

import io.nixaurora.api.NixException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one way nix-aurora runs Nix. Every Nix command goes through here, with the configured Nix bin
 * directory and environment ({@code NIX_REMOTE}, a chroot {@code --store}, …).
 */
public final class NixRunner {

  /**
   * The version of each Nix bin directory, asked once per run: every runner for the same directory
   * (the CLI makes several) shares the answer.
   */
  private static final java.util.concurrent.ConcurrentMap<Path, NixVersion> VERSIONS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Path binDirectory;
  private final Map<String, String> environment;

  /**
   * @param binDirectory the directory holding {@code nix-build}, {@code nix-store} and {@code nix}
   * @param environment variables to set for every Nix command (such as {@code NIX_REMOTE=daemon})
   */
  public NixRunner(Path binDirectory, Map<String, String> environment) {
    this.binDirectory = Objects.requireNonNull(binDirectory, "binDirectory");
    this.environment = Map.copyOf(environment);
  }

  /**
   * A runner for the Nix found on {@code PATH} (else {@code /usr/bin}), with no extra environment.
   */
  public static NixRunner onPath() {
    return new NixRunner(findBinDirectory(), Map.of());
  }

  /** The directory of {@code nix-store} on {@code PATH}, or {@code /usr/bin} when there is none. */
  public static Path findBinDirectory() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nix-store"))) {
          return Path.of(dir);
        }
      }
    }
    return Path.of("/usr/bin");
  }

  /** The Nix bin directory. */
  public Path binDirectory() {
    return binDirectory;
  }

  /**
   * The version of this Nix ({@code nix-store --version}), asked once per bin directory and run.
   *
   * @throws NixException when Nix is missing or names no version
   */
  public NixVersion version() throws NixException {
    NixVersion known = VERSIONS.get(binDirectory);
    if (known != null) {
      return known;
    }
    String out = run("nix-store", List.of("--version")).stdoutText();
    NixVersion version;
    try {
      version = NixVersion.parse(out);
    } catch (IllegalArgumentException e) {
      throw new NixException(
          binDirectory.resolve("nix-store") + " --version: " + e.getMessage(), e);
    }
    VERSIONS.putIfAbsent(binDirectory, version);
    return version;
  }

  /** The extra environment every Nix command gets. */
  public Map<String, String> environment() {
    return environment;
  }

  /** A runner with {@code extra} added to the environment. */
  public NixRunner withEnvironment(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(extra);
    return new NixRunner(binDirectory, env);
  }

  /** What a finished Nix command printed. */
  public record Result(byte[] stdout, String stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs {@code tool} (such as {@code nix-store}) with {@code args}; fails with Nix's error when it
   * exits non-zero.
   */
  public Result run(String tool, List<String> args) throws NixException {
    return run(tool, args, null, line -> {});
  }

  /**
   * Runs {@code tool} with {@code args}, feeding each stderr line to {@code stderrLines} as it
   * arrives (for progress), and {@code workingDirectory} as the working directory when not null.
   *
   * @throws NixException with Nix's {@code error:} message when the command exits non-zero
   */
  public Result run(
      String tool, List<String> args, Path workingDirectory, Consumer<String> stderrLines)
      throws NixException {
    Path executable = binDirectory.resolve(tool);
    if (!Files.isExecutable(executable)) {
      throw new NixException(
          "Nix is not installed: "
              + executable
              + " is missing (install Nix, e.g. `apt-get install nix-bin`, or set the Nix bin directory)",
          null,
          false);
    }
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    java.lang.Process process;
    try {
      // Tracked until it ends: a JVM shutdown (SIGINT/SIGTERM) stops it and its builders.
      process = LiveProcesses.start(pb);
    } catch (IOException e) {
      throw new NixException("cannot run " + executable + ": " + e.getMessage(), e);
    }
    StringBuilder stderr = new StringBuilder();
    Thread stderrReader =
        new Thread(
            () -> {
              try (var reader =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  synchronized (stderr) {
                    stderr.append(line).append('\n');
                  }
                  stderrLines.accept(line);
                }
              } catch (IOException e) {
                // The stream was closed under us (the process was stopped): what was read is kept,
                // and the exit code says what happened.
              }
            },
            "nix-stderr");
    stderrReader.setDaemon(true);
    stderrReader.start();
    byte[] stdout;
    try (InputStream in = process.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      stdout = out.toByteArray();
    } catch (IOException e) {
      LiveProcesses.stop(process);
      throw new NixException("reading the output of " + tool + " failed: " + e.getMessage(), e);
    }
    int exit;
    try {
      exit = process.waitFor();
      stderrReader.join();
    } catch (InterruptedException e) {
      // SIGTERM first, so Nix stops its builders and removes its build directories.
      LiveProcesses.stop(process);
      Thread.currentThread().interrupt();
      throw new NixException(tool + " was interrupted", e);
    }
    LiveProcesses.done(process);
    String err;
    synchronized (stderr) {
      err = stderr.toString();
    }
    if (exit != 0) {
      throw NixErrors.from(tool, exit, err);
    }
    return new Result(stdout, err);
  }
}
