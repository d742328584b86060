package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job with many processes: aurora.nix makes their scripts as the outputs of a few derivations
 * (100 scripts each) instead of one derivation each. Each script must still hold its own cmdline,
 * be named after its process, and reference exactly what its own cmdline names.
 */
@Timeout(600)
class ManyProcessesIT {

  private static final int PROCESSES = 250; // three derivations: 100, 100 and 50 scripts
  private static final int TOOLS = 7;

  @TempDir Path tmp;

  @Test
  void everyScriptHoldsItsCmdlineAndOnlyItsOwnReferences() throws Exception {
    String salt = Long.toString(System.nanoTime());
    String job =
        """
        { aurora, system, ... }:
        with aurora;
        let
          tool = i: derivation {
            inherit system;
            name = "many-tool-${toString i}";
            builder = "/bin/sh";
            args = [ "-c" "echo SALT ${toString i} > $out" ];
          };
        in
        Service {
          cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "many";
          task = Task {
            processes = builtins.genList (i: Process {
              name = "p${toString i}";
              cmdline = "${tool (i - TOOLS * (i / TOOLS))}/bin/run --index ${toString i}\\nline two";
            }) PROCESSES;
            resources = Resources { cpu = 1; ram = 64 * MB; disk = 64 * MB; };
          };
        }
        """
            .replace("SALT", salt)
            .replace("TOOLS", Integer.toString(TOOLS))
            .replace("PROCESSES", Integer.toString(PROCESSES));
    Path dir = Jobs.jobDir(tmp.resolve("many"), job);

    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);

    List<Process> processes = built.job().task().processes();
    assertEquals(PROCESSES, processes.size());
    assertEquals(PROCESSES, built.scripts().size());
    Set<String> paths = new HashSet<>();
    Set<String> derivations = new HashSet<>();
    for (int i = 0; i < PROCESSES; i++) {
      Process p = processes.get(i);
      assertEquals("p" + i, p.name());
      Path script = Path.of(built.script(p.name()).path().toString());
      assertTrue(paths.add(script.toString()), "two processes share " + script);
      assertTrue(
          script.toString().endsWith("-aurora-process-devcluster-vagrant-devel-many-p" + i),
          script.toString());
      // Byte for byte, a newline inside included and no newline added at the end.
      assertEquals(p.cmdline().text(), Files.readString(script));
      assertTrue(p.cmdline().text().endsWith("--index " + i + "\nline two"), p.cmdline().text());
      // Exactly its own tool: not the tools of the scripts made by the same derivation.
      String tool = p.cmdline().text().substring(0, p.cmdline().text().indexOf("/bin/run"));
      assertEquals(
          List.of(tool),
          lines(Jobs.nix("nix-store", "--query", "--references", script.toString())));
      derivations.add(Jobs.nix("nix-store", "--query", "--deriver", script.toString()).strip());
    }
    // 100 scripts per derivation: three derivations for 250 processes, not 250.
    assertEquals(3, derivations.size(), derivations.toString());
  }

  @Test
  void processNamesNixWouldReadAsItsOwnAttributesStillGetTheirScripts() throws Exception {
    // As output names, these would change the derivation's meaning (allowedReferences, out, drv)
    // or are not store path names: such a job gets a derivation per script, as before. Twelve
    // processes: more than the ten up to which every job gets a derivation per script.
    List<String> names =
        List.of(
            "out",
            "allowedReferences",
            "drv",
            "web server",
            "__x",
            "a1",
            "a2",
            "a3",
            "a4",
            "a5",
            "a6",
            "a7");
    StringBuilder processes = new StringBuilder();
    for (String n : names) {
      processes
          .append("(Process { name = \"")
          .append(n)
          .append("\"; cmdline = \"${pkgs.hello}/bin/hello ")
          .append(n)
          .append("\"; })\n");
    }
    Path dir =
        Jobs.jobDir(
            tmp.resolve("odd"),
            """
            { aurora, pkgs, ... }:
            with aurora;
            Service {
              cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "odd";
              task = Task {
                processes = [ PROCESSES ];
                resources = Resources { cpu = 1; ram = 64 * MB; disk = 64 * MB; };
              };
            }
            """
                .replace("PROCESSES", processes));

    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);

    for (String n : names) {
      Path script = Path.of(built.script(n).path().toString());
      assertTrue(Files.readString(script).endsWith("/bin/hello " + n), script.toString());
      List<String> refs =
          lines(Jobs.nix("nix-store", "--query", "--references", script.toString()));
      assertEquals(1, refs.size(), refs.toString());
      assertTrue(refs.get(0).endsWith("-hello-offline-2.12"), refs.toString());
    }
  }

  @Test
  void shortAndLongCmdlinesAreWrittenByteForByte() throws Exception {
    // Short cmdlines reach the builder as environment variables, long ones (over 4 KiB) as files:
    // both must come out unchanged, shell and printf syntax and final newlines included.
    String tricky = "printf '%s\\\\n' \\$HOME `id` \\\"q\\\" %d \\\\ end\\n\\n";
    String longLine = "echo " + "x".repeat(5000) + "\\nsecond line\\n";
    Path dir =
        Jobs.jobDir(
            tmp.resolve("bytes"),
            """
            { aurora, pkgs, ... }:
            with aurora;
            Service {
              cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "bytes";
              task = Task {
                processes = [
                  (Process { name = "tricky"; cmdline = "${pkgs.hello}/bin/hello TRICKY"; })
                  (Process { name = "long"; cmdline = "${pkgs.hello}/bin/hello LONG"; })
                ];
                resources = Resources { cpu = 1; ram = 64 * MB; disk = 64 * MB; };
              };
            }
            """
                .replace("TRICKY", tricky)
                .replace("LONG", longLine));

    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);

    for (Process p : built.job().task().processes()) {
      Path script = Path.of(built.script(p.name()).path().toString());
      assertEquals(p.cmdline().text(), Files.readString(script), p.name());
    }
    String tr = built.job().task().processes().get(0).cmdline().text();
    assertTrue(tr.endsWith("/bin/hello printf '%s\\n' $HOME `id` \"q\" %d \\ end\n\n"), tr);
    String lg = built.job().task().processes().get(1).cmdline().text();
    assertTrue(lg.length() > 5000 && lg.endsWith("x\nsecond line\n"), lg);
  }

  @Test
  void aSmallJobKeepsADerivationPerScript() throws Exception {
    // Up to ten processes, editing one cmdline changes only that process's script path.
    Path dir = Jobs.jobDir(tmp.resolve("few"), Jobs.HELLO_WORLD);
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.file(dir), EventListener.NONE);
    String script = built.script("hello_world").path().toString();
    String deriver = Jobs.nix("nix-store", "--query", "--deriver", script).strip();
    assertTrue(
        deriver.endsWith("-aurora-process-devcluster-vagrant-devel-hello_world-hello_world.drv"),
        deriver);
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }
}
