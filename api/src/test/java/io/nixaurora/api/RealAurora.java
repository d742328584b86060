package io.nixaurora.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real Apache Aurora 0.22 client and its scheduler stand-in from {@code ../shared/aurora-0.22}
 * (found from the working directory upwards, or {@code $AURORA_0_22_HOME}, which .ci/run sets; the
 * older {@code $AURORA_0_22} is still read), for tests that compare nix-aurora with what Aurora
 * actually does. Needs CPython 2.7 ({@code $AURORA_PYTHON2}, else {@code
 * ~/.pyenv/versions/2.7.18/bin/python}); without it the tests fail saying so, they are not skipped.
 */
public final class RealAurora {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path home;
  private final String python;

  private RealAurora(Path home, String python) {
    this.home = home;
    this.python = python;
  }

  /**
   * The real client's directory, checked to be usable.
   *
   * @throws IllegalStateException saying what is missing
   */
  public static RealAurora locate() {
    Path dir =
        configured("AURORA_0_22_HOME")
            .or(() -> configured("AURORA_0_22"))
            .map(Path::of)
            .orElse(null);
    if (dir == null) {
      for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
        Path candidate = at.resolve("shared/aurora-0.22");
        if (Files.isExecutable(candidate.resolve("bin/aurora"))) {
          dir = candidate;
          break;
        }
      }
    }
    if (dir == null || !Files.isExecutable(dir.resolve("bin/aurora"))) {
      throw new IllegalStateException(
          "these tests need the real Aurora 0.22 client in ../shared/aurora-0.22 (or"
              + " $AURORA_0_22_HOME); not found from "
              + (dir == null ? Path.of("").toAbsolutePath() : dir));
    }
    String python =
        configured("AURORA_PYTHON2")
            .orElse(System.getProperty("user.home") + "/.pyenv/versions/2.7.18/bin/python");
    if (!Files.isExecutable(Path.of(python))) {
      throw new IllegalStateException(
          "these tests need CPython 2.7 for the real Aurora client: "
              + python
              + " is missing (set $AURORA_PYTHON2; CI has ~/.pyenv/versions/2.7.18)");
    }
    return new RealAurora(dir, python);
  }

  private static Optional<String> configured(String variable) {
    return Optional.ofNullable(System.getenv(variable)).filter(v -> !v.isBlank());
  }

  public Path home() {
    return home;
  }

  /** CPython 2.7, as the client's {@code bin/python2} looks for it. */
  public Path python() {
    return Path.of(python);
  }

  /** What a program printed and its exit code. */
  public record Run(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  /**
   * Runs the real client ({@code bin/aurora ARGS}) with {@code configRoot} as {@code
   * AURORA_CONFIG_ROOT} and {@code workDir} as its home and working directory.
   */
  public Run aurora(Path configRoot, Path workDir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/aurora").toString());
    command.addAll(List.of(args));
    return run(command, configRoot, workDir);
  }

  /**
   * Runs {@code aurora update start ...} through {@code real/aurora_update_start.py}: the real
   * client with 0.22's {@code groupSize} bug given its meaning and the diff display skipped.
   */
  public Run auroraUpdateStart(Path configRoot, Path workDir, String... args)
      throws IOException, InterruptedException {
    Path script = workDir.resolve("aurora_update_start.py");
    try (InputStream in = RealAurora.class.getResourceAsStream("real/aurora_update_start.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/python2").toString());
    command.add(script.toString());
    command.addAll(List.of("update", "start"));
    command.addAll(List.of(args));
    return run(command, configRoot, workDir);
  }

  private Run run(List<String> command, Path configRoot, Path workDir)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.put("AURORA_CONFIG_ROOT", configRoot.toString());
    env.put("HOME", workDir.toString()); // no ~/.netrc, no ~/.aurora of the user
    env.put("AURORA_PYTHON2", python); // HOME is not the user's: name the interpreter
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    env.put("PYTHONPATH", home.resolve("lib/python") + ":" + home.resolve("lib/stubs"));
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the real aurora client did not finish: " + command);
      }
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Writes {@code clusters.json} naming cluster {@code devcluster} at the stand-in. */
  public static Path clusters(Path dir, StandIn scheduler) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("clusters.json"),
        "[{\"name\": \"devcluster\", \"scheduler_uri\": \""
            + scheduler.uri()
            + "\", \"auth_mechanism\": \"UNAUTHENTICATED\"}]\n");
    return dir;
  }

  /** Starts a stand-in on a free port of its own, logging to {@code log}. */
  public StandIn standIn(Path log) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      Path err = log.resolveSibling(log.getFileName() + ".stderr");
      ProcessBuilder builder =
          new ProcessBuilder(
                  home.resolve("bin/scheduler-standin").toString(),
                  String.valueOf(port),
                  log.toString())
              .redirectErrorStream(true)
              .redirectOutput(err.toFile());
      builder.environment().put("AURORA_PYTHON2", python);
      Process process = builder.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && process.isAlive()) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return new StandIn(process, port, log);
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      // Another program took the port between the probe and the bind, or it is too slow: retry.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      last = new IOException("the scheduler stand-in did not listen on " + port + ": " + read(err));
    }
    throw last;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /** A running {@code bin/scheduler-standin}; closing stops it and the processes it started. */
  public static final class StandIn implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private StandIn(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    public String uri() {
      return "http://127.0.0.1:" + port;
    }

    /** The calls logged so far, each {@code {"method": ..., "args": {...}}}. */
    public List<JsonNode> calls() throws IOException {
      List<JsonNode> calls = new ArrayList<>();
      if (!Files.exists(log)) {
        return calls;
      }
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          calls.add(MAPPER.readTree(line));
        }
      }
      return calls;
    }

    /** Forgets the calls logged so far. */
    public void clear() throws IOException {
      Files.writeString(log, "");
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A logged TJSON value with every Thrift {@code set}'s elements sorted, so two calls compare
   * equal when Thrift would consider them equal (a set has no order; the stand-in writes Python's
   * set order).
   */
  public static JsonNode normalized(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      Map<String, JsonNode> fields = new TreeMap<>();
      node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
      for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
        out.set(e.getKey(), normalized(e.getValue()));
      }
      if (out.has("set") && out.get("set").isArray()) {
        ArrayNode set = (ArrayNode) out.get("set");
        List<JsonNode> elements = new ArrayList<>();
        for (int i = 2; i < set.size(); i++) {
          elements.add(set.get(i));
        }
        elements.sort(Comparator.comparing(JsonNode::toString));
        ArrayNode sorted = MAPPER.createArrayNode().add(set.get(0)).add(set.get(1));
        elements.forEach(sorted::add);
        out.set("set", sorted);
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        out.add(normalized(it.next()));
      }
      return out;
    }
    return node;
  }
}
