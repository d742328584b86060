package io.nixaurora.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Job files and a fake aurora client for the tests. */
final class Fixtures {
  private Fixtures() {}

  /** The repository root (set by surefire), for examples/ and the launcher. */
  static Path repository() {
    return Path.of(System.getProperty("nixaurora.repository", "..")).toAbsolutePath().normalize();
  }

  /**
   * A service job {@code CLUSTER/vagrant/devel/NAME} whose one process prints a line made by a
   * store path in its closure, and {@code marker} (so each test builds its own paths).
   */
  static Path helloJob(Path dir, String cluster, String name, String marker) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("greeting.txt"),
        "hello from " + name + " " + marker + "\n",
        StandardCharsets.UTF_8);
    return Files.writeString(
        dir.resolve("default.nix"),
        """
        { aurora, pkgs, ... }:
        with aurora;
        Service {
          cluster = "%s"; role = "vagrant"; environment = "devel"; name = "%s";
          task = Task {
            processes = [ (Process { name = "hello";
                                     cmdline = "${pkgs.hello}/bin/hello; cat ${./greeting.txt}"; }) ];
            resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
          };
        }
        """
            .formatted(cluster, name));
  }

  /** A fake {@code aurora}: records each call's argv and config file, answers success. */
  static final class FakeAurora {
    final Path executable;
    final Path records;

    FakeAurora(Path base) throws IOException {
      Path bin = Files.createDirectories(base.resolve("fake-bin"));
      records = Files.createDirectories(base.resolve("fake-records"));
      executable = bin.resolve("aurora");
      Files.writeString(
          executable,
          """
          #!/bin/bash
          rec=%s
          n=$(( $(cat "$rec/count" 2>/dev/null || echo 0) + 1 ))
          echo "$n" > "$rec/count"
          printf '%%s\\n' "$@" > "$rec/call-$n.args"
          for a in "$@"; do [ -f "$a" ] && cp "$a" "$rec/call-$n.config"; done
          case "$1 $2" in
            "job create") echo "Job create succeeded: job url=http://aurora.local:8081/scheduler/${4#*/}";;
            "cron schedule") echo "Cron job scheduled, status can be viewed at http://aurora.local:8081/scheduler/${4#*/}";;
            "job killall") echo "Job killall succeeded";;
            "update start") echo "Job update has started. View your update progress at http://aurora.local:8081/scheduler/${4#*/}/update/upd-1";;
            "update info") echo "Job: $3, UpdateID: upd-1"; echo "Started YYYY-MM-DD HH:MM:SS, last activity: YYYY-MM-DD HH:MM:SS"; echo "Current status: ROLLING_FORWARD";;
            "job status") echo "Active tasks (1):"; echo "	Task role: vagrant, env: devel, name: hello, instance: 0, status: RUNNING on aurora.local"; echo "Inactive tasks (0):";;
            *) echo "fake aurora: unexpected $*" >&2; exit 1;;
          esac
          """
              .formatted(records));
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The argv of every call, in order. */
    List<List<String>> calls() throws IOException {
      List<List<String>> out = new ArrayList<>();
      for (int i = 1; Files.exists(records.resolve("call-" + i + ".args")); i++) {
        out.add(Files.readAllLines(records.resolve("call-" + i + ".args")));
      }
      return out;
    }

    String config(int call) throws IOException {
      return Files.readString(records.resolve("call-" + call + ".config"));
    }
  }

  /** Deletes {@code dir} and everything under it (links are removed, not followed). */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Whether {@code dir} holds no files (it may hold empty directories). */
  static boolean noFiles(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.noneMatch(Files::isRegularFile);
    }
  }
}
