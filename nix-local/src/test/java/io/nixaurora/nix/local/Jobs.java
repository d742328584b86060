package io.nixaurora.nix.local;

import io.nixaurora.api.event.Event;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.support.Command;
import io.nixaurora.support.CommandException;
import io.nixaurora.support.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    Command c =
        Command.of(command).withOnlyEnvironment(env).withTimeout(java.time.Duration.ofMinutes(2));
    if (dir != null) {
      c = c.inDirectory(dir);
    }
    try {
      CommandResult r = c.run();
      return new Run(r.exitCode(), r.stdoutText(), r.stderrText());
    } catch (CommandException.NotStarted e) {
      throw new IOException(e.getMessage(), e);
    } catch (CommandException e) {
      throw new IllegalStateException(e.getMessage() + ": " + command, e);
    }
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
