package io.nixaurora.nix.local;

import io.nixaurora.api.event.Event;
import io.nixaurora.api.event.EventListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Job files and Nix commands for the tests (tests may run Nix directly). */
final class Jobs {

  static final String HELLO_WORLD =
      """
      { aurora, pkgs, ... }:
      with aurora;
      Service {
        cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "hello_world";
        task = Task {
          processes = [ (Process { name = "hello_world";
                                   cmdline = "${pkgs.python3}/bin/python3 ${./hello_world.py}"; }) ];
          resources = Resources { cpu = 1; ram = 1 * MB; disk = 8 * MB; };
        };
      }
      """;

  private Jobs() {}

  /** A directory holding {@code default.nix} with {@code nix} and a hello_world.py. */
  static Path jobDir(Path parent, String nix) throws IOException {
    Path dir = Files.createDirectories(parent);
    Files.writeString(dir.resolve("default.nix"), nix);
    Files.writeString(
        dir.resolve("hello_world.py"), "print('Hello world! " + System.nanoTime() + "')\n");
    return dir;
  }

  static NixJobEvaluator evaluator(Path cache) {
    return new NixJobEvaluator(NixRunner.onPath(), NixLibrary.materialize(cache));
  }

  /** Collects events. */
  static final class Recorder implements EventListener {
    final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void on(Event event) {
      events.add(event);
    }

    synchronized List<Event> all() {
      return List.copyOf(events);
    }
  }

  /** What a command printed and how it exited. */
  record Run(int exit, String stdout, String stderr) {}

  /** Runs {@code command} with exactly {@code env} as its environment, in {@code dir}. */
  static Run run(List<String> command, java.util.Map<String, String> env, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Path out = Files.createTempFile("cmd", ".out");
    Path err = Files.createTempFile("cmd", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    Run r =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** Runs a Nix tool from the Nix on PATH, with the inherited environment; fails on error. */
  static String nix(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(NixRunner.findBinDirectory().resolve(tool).toString());
    command.addAll(List.of(args));
    Run r = run(command, System.getenv(), null);
    if (r.exit() != 0) {
      throw new IllegalStateException(command + " failed: " + r.stderr());
    }
    return r.stdout();
  }
}
