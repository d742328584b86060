package io.nixaurora.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.event.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link StoreProvider} shares: publishing makes every process script
 * realisable by the init command, the init command keeps docs/ARCHITECTURE.md's "init command
 * contract" (absolute Nix tools, no {@code {{}, user text quoted, {@code NIX_REMOTE=daemon} in
 * daemon mode, fails when the path cannot be realised), retained roots are listed and released, and
 * a script the store does not have is refused naming the job, with nothing written.
 *
 * <p>A backend's test (or a plugin author's) extends this class in test scope and supplies the
 * provider and a job built by real Nix. The init command really runs, as Thermos runs it: {@code
 * /bin/bash -c CMDLINE} in an empty sandbox that is the working directory and HOME, with only PATH
 * and {@link #agentEnvironment()} set.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class StoreProviderContract {

  /** A fresh provider for each test, writing only under the test's own directories. */
  protected abstract StoreProvider newProvider() throws Exception;

  /** The name the provider must report, such as {@code local}. */
  protected abstract String expectedName();

  /**
   * A job built by real Nix for this machine's system: every process script is valid in this
   * machine's Nix store. It may be the same job every time.
   */
  protected abstract BuiltJob builtJob() throws Exception;

  /**
   * Where the provider of the current test writes (GC roots, a cache directory); they need not
   * exist yet. A refused publish must leave them exactly as they were.
   */
  protected abstract List<Path> writtenPlaces() throws Exception;

  /**
   * Whether {@code publish} keeps something alive per job on this machine (GC roots) that {@link
   * StoreProvider#retainedJobs} lists and {@link StoreProvider#release} lets go of.
   */
  protected abstract boolean keepsSomethingPerJob();

  /**
   * The provider configured for agents whose Nix runs as a daemon (multi-user), or empty when it
   * has no such mode.
   */
  protected Optional<StoreProvider> daemonModeProvider() throws Exception {
    return Optional.empty();
  }

  /**
   * What the agent's environment adds to PATH when the init command runs (for a binary cache: an
   * empty store of its own that substitutes from the cache, so realising really fetches). Called
   * once per init run. The default adds nothing: the agent is this machine.
   */
  protected Map<String, String> agentEnvironment() throws Exception {
    return Map.of();
  }

  @TempDir Path contractDir;

  private StoreProvider provider;

  @BeforeEach
  final void makeContractProvider() throws Exception {
    provider = newProvider();
  }

  /** The provider of the current test. */
  protected final StoreProvider provider() {
    return provider;
  }

  // ---- the contract ----

  @Test
  void hasItsName() {
    assertEquals(expectedName(), provider.name());
  }

  @Test
  void publishCoversEveryProcessScriptAndSaysSoInOneLine() throws Exception {
    BuiltJob job = builtJob();

    Publication pub = provider.publish(job, EventListener.NONE);

    for (ProcessScript script : job.scripts().values()) {
      assertTrue(pub.paths().contains(script.path()), script + " not in " + pub.paths());
      assertEquals(
          provider.initCommand().cmdline(script),
          pub.initCommand().cmdline(script),
          "publish's init command is the one build and --dry-run print");
    }
    assertFalse(pub.summary().isBlank(), "a summary");
    assertFalse(pub.summary().contains("\n"), "one line: " + pub.summary());
  }

  @Test
  void publishingAgainIsHarmless() throws Exception {
    BuiltJob job = builtJob();
    Publication first = provider.publish(job, EventListener.NONE);

    Publication again = provider.publish(job, EventListener.NONE);

    assertEquals(
        first.paths().stream().sorted().toList(), again.paths().stream().sorted().toList());
  }

  @Test
  void theInitCommandRealisesAndRootsEveryScriptInAnEmptySandbox() throws Exception {
    BuiltJob job = builtJob();
    Publication pub = provider.publish(job, EventListener.NONE);

    for (ProcessScript script : job.scripts().values()) {
      Path sandbox = Files.createTempDirectory(contractDir, "sandbox");
      Run run = thermos(pub.initCommand().cmdline(script), sandbox);
      assertEquals(0, run.exit(), "init of " + script.process() + ": " + run);
      Path root = sandbox.resolve(".gc").resolve(script.process());
      assertTrue(Files.isSymbolicLink(root), ".gc/" + script.process() + " is a root: " + run);
      assertEquals(script.path().toString(), Files.readSymbolicLink(root).toString());
    }
  }

  @Test
  void theInitCommandFailsSayingWhyWhenThePathCannotBeRealised() throws Exception {
    ProcessScript missing =
        new ProcessScript(
            "hello", StorePath.of("/nix/store/" + "0".repeat(32) + "-never-built"), "x");
    Path sandbox = Files.createTempDirectory(contractDir, "sandbox");

    Run run = thermos(provider.initCommand().cmdline(missing), sandbox);

    assertTrue(run.exit() != 0, "exits non-zero: " + run);
    assertTrue(run.stderr().contains("error"), "prints why: " + run);
    assertFalse(
        Files.exists(sandbox.resolve(".gc/hello"), LinkOption.NOFOLLOW_LINKS), "no root: " + run);
  }

  @Test
  void theInitCommandUsesAbsoluteNixToolsAndNoHome() throws Exception {
    for (ProcessScript script : builtJob().scripts().values()) {
      String cmdline = provider.initCommand().cmdline(script);
      List<String> words = ShellWords.split(cmdline);
      List<String> tools = words.stream().filter(w -> NIX_TOOL.matcher(w).find()).toList();
      assertFalse(tools.isEmpty(), "runs a Nix tool: " + cmdline);
      for (String tool : tools) {
        assertTrue(tool.startsWith("/"), "an absolute path to " + tool + ": " + cmdline);
      }
      assertFalse(cmdline.contains("~") || cmdline.contains("$HOME"), "HOME is the sandbox");
      assertTrue(words.contains(script.path().toString()), "realises the script: " + cmdline);
      assertTrue(words.contains(".gc/" + script.process()), "roots it in the sandbox: " + cmdline);
    }
  }

  @Test
  void userTextInTheInitCommandIsQuoted() throws Exception {
    ProcessScript any = builtJob().scripts().values().iterator().next();
    String process = "web server's $HOME `id` \"x\";&|";
    ProcessScript script = new ProcessScript(process, any.path(), any.system());

    List<String> words = ShellWords.split(provider.initCommand().cmdline(script));

    assertTrue(
        words.contains(".gc/" + process),
        "the process name is one shell word, unexpanded: " + words);
  }

  @Test
  void aTemplateNeverReachesTheCmdline() throws Exception {
    ProcessScript any = builtJob().scripts().values().iterator().next();
    ProcessScript script = new ProcessScript("{{mesos.instance}}", any.path(), any.system());
    String cmdline;
    try {
      cmdline = provider.initCommand().cmdline(script);
    } catch (IllegalArgumentException refused) {
      assertTrue(refused.getMessage().contains("{{"), "says why: " + refused.getMessage());
      return;
    }
    assertFalse(cmdline.contains("{{"), "Thermos would expand it: " + cmdline);
  }

  @Test
  void daemonModeSetsNixRemote() throws Exception {
    Optional<StoreProvider> daemon = daemonModeProvider();
    Assumptions.assumeTrue(daemon.isPresent(), "the provider has no daemon mode");
    ProcessScript script = builtJob().scripts().values().iterator().next();

    List<String> words = ShellWords.split(daemon.get().initCommand().cmdline(script));

    int tool = -1;
    for (int i = 0; i < words.size() && tool < 0; i++) {
      if (NIX_TOOL.matcher(words.get(i)).find()) {
        tool = i;
      }
    }
    assertTrue(tool > 0, "a Nix tool: " + words);
    assertTrue(
        words.subList(0, tool).contains("NIX_REMOTE=daemon"),
        "NIX_REMOTE=daemon for the Nix tool: " + words);
  }

  @Test
  void retainedJobsAreListedAndReleased() throws Exception {
    BuiltJob job = builtJob();
    JobKey key = job.key();
    assertFalse(provider.retainedJobs().contains(key), "nothing kept before publishing");

    provider.publish(job, EventListener.NONE);

    if (keepsSomethingPerJob()) {
      assertTrue(provider.retainedJobs().contains(key), "kept: " + provider.retainedJobs());
      assertTrue(provider.release(key, EventListener.NONE), "released");
      assertFalse(provider.retainedJobs().contains(key), "let go: " + provider.retainedJobs());
      assertFalse(provider.release(key, EventListener.NONE), "released twice");
    } else {
      assertEquals(java.util.Set.of(), provider.retainedJobs());
      assertFalse(provider.release(key, EventListener.NONE), "nothing to release");
    }
  }

  @Test
  void aScriptTheStoreDoesNotHaveIsRefusedNamingTheJobAndNothingIsWritten() throws Exception {
    BuiltJob job = builtJob();
    Map<String, ProcessScript> scripts = new LinkedHashMap<>();
    for (ProcessScript s : job.scripts().values()) {
      scripts.put(
          s.process(),
          new ProcessScript(
              s.process(),
              StorePath.of("/nix/store/" + "0".repeat(32) + "-aurora-process-missing"),
              s.system()));
    }
    BuiltJob missing = new BuiltJob(job.job(), scripts, job.system());
    Map<String, String> before = snapshot();

    StoreException e =
        assertThrows(StoreException.class, () -> provider.publish(missing, EventListener.NONE));

    assertTrue(e.getMessage().contains(job.key().toString()), "names the job: " + e.getMessage());
    assertEquals(before, snapshot(), "a refused publish writes nothing");
    assertFalse(provider.retainedJobs().contains(job.key()));
  }

  @Test
  void aJobBuiltForAnotherSystemIsRefusedAndNothingIsWritten() throws Exception {
    BuiltJob job = builtJob();
    String other = job.system().equals("aarch64-darwin") ? "x86_64-linux" : "aarch64-darwin";
    Map<String, ProcessScript> scripts = new LinkedHashMap<>();
    for (ProcessScript s : job.scripts().values()) {
      scripts.put(s.process(), new ProcessScript(s.process(), s.path(), other));
    }
    BuiltJob foreign = new BuiltJob(job.job(), scripts, other);
    Map<String, String> before = snapshot();

    StoreException e =
        assertThrows(StoreException.class, () -> provider.publish(foreign, EventListener.NONE));

    assertTrue(e.getMessage().contains(other), "names the job's system: " + e.getMessage());
    assertEquals(before, snapshot(), "a refused publish writes nothing");
  }

  // ---- running the init command as Thermos does ----

  /** A Nix tool as a shell word: {@code nix-store}, {@code /usr/bin/nix}, … */
  private static final Pattern NIX_TOOL = Pattern.compile("(^|/)nix(-[a-z-]+)?$");

  /** What an init run did. */
  protected record Run(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /**
   * Runs {@code cmdline} as Thermos runs a process: {@code /bin/bash -c}, the sandbox as working
   * directory and HOME, only PATH kept (plus {@link #agentEnvironment()}).
   */
  protected final Run thermos(String cmdline, Path sandbox) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", cmdline).directory(sandbox.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("HOME", sandbox.toString());
    pb.environment().putAll(agentEnvironment());
    Path out = Files.createTempFile(contractDir, "init", ".out");
    Path err = Files.createTempFile(contractDir, "init", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        throw new AssertionError("the init command did not end in 3 minutes: " + cmdline);
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Every entry under the written places: type, size, link target. */
  private Map<String, String> snapshot() throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Path place : writtenPlaces()) {
      if (!Files.exists(place, LinkOption.NOFOLLOW_LINKS)) {
        out.put(place.toString(), "absent");
        continue;
      }
      try (Stream<Path> all = Files.walk(place)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          out.put(p.toString(), describe(p));
        }
      }
    }
    return out;
  }

  private static String describe(Path p) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      return "link " + Files.readSymbolicLink(p);
    }
    if (a.isDirectory()) {
      return "dir";
    }
    return "file " + a.size() + " " + a.lastModifiedTime();
  }

  /** Splits a command line into the words bash would see (quotes removed, nothing expanded). */
  static final class ShellWords {
    private ShellWords() {}

    static List<String> split(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\'') {
          int end = line.indexOf('\'', i + 1);
          if (end < 0) {
            throw new AssertionError("an unterminated ' in " + line);
          }
          word.append(line, i + 1, end);
          i = end;
          inWord = true;
        } else if (c == '"') {
          i++;
          while (i < line.length() && line.charAt(i) != '"') {
            char d = line.charAt(i);
            if (d == '$' || d == '`') {
              throw new AssertionError("an expansion inside \"…\" in " + line);
            }
            if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
              i++;
            }
            word.append(line.charAt(i));
            i++;
          }
          if (i >= line.length()) {
            throw new AssertionError("an unterminated \" in " + line);
          }
          inWord = true;
        } else if (c == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
          inWord = true;
        } else if (Character.isWhitespace(c) || ";&|<>()".indexOf(c) >= 0) {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
          if (!Character.isWhitespace(c)) {
            words.add(String.valueOf(c));
          }
        } else if (c == '$' || c == '`') {
          throw new AssertionError("an unquoted expansion in " + line);
        } else {
          word.append(c);
          inWord = true;
        }
      }
      if (inWord) {
        words.add(word.toString());
      }
      return words;
    }
  }
}
