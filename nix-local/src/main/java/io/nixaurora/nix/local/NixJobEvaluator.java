package io.nixaurora.nix.local;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Evaluated;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobEvaluator;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.NixException;
import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.model.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a job with Nix: ONE {@code nix-build} of the job with the aurora.nix library, which builds
 * every package the cmdlines use and one process script per process, and writes the job model as
 * JSON into a store path that is read back into a {@link BuiltJob}.
 *
 * <pre>{@code
 * JobEvaluator evaluator = NixJobEvaluator.onPath();
 * BuiltJob built = evaluator.evaluate(JobSource.file(Path.of("examples/hello_world")), listener);
 * }</pre>
 *
 * <p>A job file is a function of {@code { aurora, pkgs, system, ... }} returning a {@code Job} or
 * {@code Service}. {@code pkgs} is the pinned package set when one is given ({@link #withNixpkgs}:
 * a nixpkgs path or flake reference), else {@code import <nixpkgs> {}} when {@code <nixpkgs>} is on
 * NIX_PATH, else nix-aurora's small offline stand-in (reported as an info event). A job built in
 * Java ({@link JobSource.JavaJob}) is rendered into a Nix expression for the same library and built
 * the same way.
 *
 * <p>A job in a flake ({@link JobSource.FlakeJob}, {@code DIR#NAME}) is the flake's output {@code
 * auroraJobs.<system>.<NAME>}, a job function or a job; its {@code pkgs} is the flake's own {@code
 * nixpkgs} input as {@code flake.lock} pins it ({@code legacyPackages.<system>}, else the input
 * imported), whatever {@link #withNixpkgs} says. The lock file is checked, never written.
 *
 * <p>Several jobs ({@link #evaluateAll}) are ONE evaluation and ONE {@code nix-build}: what they
 * share (the package set, common packages) is evaluated and built once. A failing job is found by
 * building halves again and is reported with the message building it alone gives.
 *
 * <p>Nix's errors become a {@link NixException} whose message starts with the file and line Nix
 * named ({@code /jobs/web/default.nix:7:30: Process: unknown attribute 'cmdlin' (did you mean
 * 'cmdline'?)}); build progress becomes {@link io.nixaurora.api.event.ProgressEvent}s. Nothing is
 * written outside the Nix store but a {@code result} link in the library's directory while the
 * model is read. Instances are immutable and thread-safe.
 */
public final class NixJobEvaluator implements JobEvaluator {

  private final NixRunner runner;
  private final NixLibrary library;
  private final String system;
  private final Nixpkgs nixpkgs;
  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.AUTO_DETECT_GETTERS)
          .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
          .build();

  /**
   * An evaluator running Nix through {@code runner}, with the aurora.nix library in {@code
   * library}, building for this machine's system.
   */
  public NixJobEvaluator(NixRunner runner, NixLibrary library) {
    this(runner, library, null, null);
  }

  private NixJobEvaluator(NixRunner runner, NixLibrary library, String system, Nixpkgs nixpkgs) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.library = Objects.requireNonNull(library, "library");
    this.system = system;
    this.nixpkgs = nixpkgs;
  }

  /** An evaluator for the Nix on PATH, with the library in the user's cache directory. */
  public static NixJobEvaluator onPath() {
    return new NixJobEvaluator(NixRunner.onPath(), NixLibrary.inUserCache());
  }

  /**
   * An evaluator that builds for {@code system} (such as {@code aarch64-linux}) instead of this
   * machine's; Nix needs a builder for it (remote builders, or an emulating machine).
   */
  public NixJobEvaluator forSystem(String system) {
    Systems.requireWellFormed(system);
    return new NixJobEvaluator(runner, library, system, nixpkgs);
  }

  /**
   * An evaluator whose file and Java jobs get {@code nixpkgs} as {@code pkgs} instead of {@code
   * <nixpkgs>} from NIX_PATH (null: NIX_PATH, else the offline stand-in). Flake jobs always use
   * their flake's locked nixpkgs input.
   */
  public NixJobEvaluator withNixpkgs(Nixpkgs nixpkgs) {
    return new NixJobEvaluator(runner, library, system, nixpkgs);
  }

  /** The pinned package set, if one was given ({@link #withNixpkgs}). */
  public Optional<Nixpkgs> nixpkgs() {
    return Optional.ofNullable(nixpkgs);
  }

  /** The system jobs are built for, if one was chosen ({@link #forSystem}). */
  public Optional<String> system() {
    return Optional.ofNullable(system);
  }

  @Override
  public BuiltJob evaluate(JobSource source, EventListener events)
      throws NixException, InvalidJobException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(events, "events");
    if (source instanceof JobSource.NixFile file) {
      Path path = jobFile(file.path());
      return build(fileArguments(path), path.toString(), null, events);
    }
    if (source instanceof JobSource.FlakeJob flake) {
      return buildFlake(flake, events);
    }
    JobSource.JavaJob java = (JobSource.JavaJob) source;
    String expression =
        new NixJobRenderer().render(java.job(), java.baseDirectory().toAbsolutePath());
    Path dir = null;
    try {
      dir = Files.createTempDirectory("nix-aurora-java-job-");
      Path file = dir.resolve("job.nix");
      Files.writeString(file, expression, StandardCharsets.UTF_8);
      String label = "Java job " + JobLabel.of(java.job());
      return build(fileArguments(file), label, file.toString(), events);
    } catch (IOException e) {
      throw new NixException("cannot write the Nix expression of a Java job: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        deleteQuietly(dir.resolve("job.nix"));
        deleteQuietly(dir);
      }
    }
  }

  /**
   * Builds every job in ONE evaluation and one {@code nix-build} (eval.nix's {@code jobsFile}): the
   * packages and process scripts the jobs share are evaluated and built once. When that build
   * fails, the failing jobs are found by building halves of the group again (what was built stays
   * in the store, so only evaluation is repeated), down to single jobs, which are built as {@link
   * #evaluate} builds them: a failing job's outcome carries the same message as building it alone.
   * A job that cannot even be named (no such file, a flake whose lock file is out of date) fails
   * without a build. When all are good, as usual, it is one build.
   */
  @Override
  public List<Evaluated> evaluateAll(List<JobSource> sources, EventListener events) {
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(events, "events");
    if (sources.size() == 1) {
      return JobEvaluator.super.evaluateAll(sources, events);
    }
    Evaluated[] outcomes = new Evaluated[sources.size()];
    Path renderDir = null;
    try {
      List<Batched> batch = new ArrayList<>();
      Map<String, FlakeLock> locks = new HashMap<>();
      for (int i = 0; i < sources.size(); i++) {
        JobSource source = Objects.requireNonNull(sources.get(i), "source");
        try {
          if (source instanceof JobSource.JavaJob && renderDir == null) {
            renderDir = Files.createTempDirectory("nix-aurora-java-jobs-");
          }
          batch.add(prepare(i, source, locks, renderDir, events));
        } catch (NixException | InvalidJobException e) {
          outcomes[i] = new Evaluated.Failed(source, e);
        } catch (IOException e) {
          // As evaluate says it of a Java job it cannot write; the other jobs go on.
          outcomes[i] =
              new Evaluated.Failed(
                  source,
                  new NixException(
                      "cannot write the Nix expression of a Java job: " + e.getMessage(), e));
        }
      }
      buildTogether(batch, events, outcomes, new HashSet<>());
    } finally {
      if (renderDir != null) {
        deleteTree(renderDir);
      }
    }
    return List.of(outcomes);
  }

  /**
   * One job of several, ready for eval.nix's jobs file: {@code entry} is its element there, {@code
   * label} and {@code renderedFile} as for a single build.
   */
  private record Batched(
      int index,
      JobSource source,
      Map<String, String> entry,
      String label,
      String renderedFile,
      FlakeJobs.Resolved flake) {}

  /** A flake's lock-file check: its locked reference, or why the lock file is refused. */
  private record FlakeLock(FlakeJobs.Locked locked, NixException refused) {}

  /**
   * Names the job for the jobs file; a flake's lock file is checked once per flake ({@code locks},
   * by reference), however many of its jobs are built.
   */
  private Batched prepare(
      int index,
      JobSource source,
      Map<String, FlakeLock> locks,
      Path renderDir,
      EventListener events)
      throws NixException, InvalidJobException, IOException {
    if (source instanceof JobSource.NixFile file) {
      Path path = jobFile(file.path());
      return new Batched(
          index, source, Map.of("jobFile", path.toString()), path.toString(), null, null);
    }
    if (source instanceof JobSource.FlakeJob job) {
      FlakeJobs.Resolved flake = FlakeJobs.resolve(job);
      FlakeLock lock = locks.get(flake.ref());
      if (lock == null) {
        try {
          lock = new FlakeLock(FlakeJobs.checkLock(runner, flake), null);
        } catch (NixException e) {
          lock = new FlakeLock(null, e);
        }
        locks.put(flake.ref(), lock);
      }
      if (lock.refused() != null) {
        throw lock.refused();
      }
      String label = flake.display() + "#" + job.name();
      if (nixpkgs != null) {
        events.on(
            LogEvent.debug(
                label + ": pkgs is the flake's nixpkgs input; the nixpkgs setting is not used"));
      }
      return new Batched(
          index,
          source,
          Map.of("flake", lock.locked().url(), "flakeJob", job.name()),
          label,
          null,
          flake);
    }
    JobSource.JavaJob java = (JobSource.JavaJob) source;
    String expression =
        new NixJobRenderer().render(java.job(), java.baseDirectory().toAbsolutePath());
    Path file =
        Files.createDirectories(renderDir.resolve(Integer.toString(index))).resolve("job.nix");
    Files.writeString(file, expression, StandardCharsets.UTF_8);
    return new Batched(
        index,
        source,
        Map.of("jobFile", file.toString()),
        "Java job " + JobLabel.of(java.job()),
        file.toString(),
        null);
  }

  /**
   * Builds {@code group} in one nix-build; if that fails, each half again, down to single jobs
   * built by {@link #evaluate}. A failure that is not a job's (Nix missing, the store unwritable)
   * is every job's outcome at once.
   */
  private void buildTogether(
      List<Batched> group, EventListener events, Evaluated[] outcomes, Set<String> announced) {
    if (group.isEmpty()) {
      return;
    }
    if (group.size() == 1) {
      Batched only = group.get(0);
      try {
        outcomes[only.index()] =
            new Evaluated.Built(only.source(), evaluate(only.source(), events));
      } catch (NixException | InvalidJobException e) {
        outcomes[only.index()] = new Evaluated.Failed(only.source(), e);
      }
      return;
    }
    events.on(
        LogEvent.debug(
            "building " + group.size() + " jobs together with " + runner.binDirectory()));
    BuildProgress progress = new BuildProgress(events);
    String out;
    JsonNode pointers;
    try {
      out = runBatch(group, progress);
      pointers = readJson(out, "the jobs", null);
      if (!pointers.isArray() || pointers.size() != group.size()) {
        throw new NixException(
            out + " does not hold one model per job (" + group.size() + ")", null, false);
      }
    } catch (NixException e) {
      NixException described = BuildErrors.describe(e, "(" + group.size() + " jobs)", null);
      if (!described.jobAtFault()) {
        for (Batched b : group) {
          outcomes[b.index()] = new Evaluated.Failed(b.source(), described);
        }
        return;
      }
      events.on(
          LogEvent.debug(
              "building "
                  + group.size()
                  + " jobs together failed; building each half to find the failing jobs"));
      int half = group.size() / 2;
      buildTogether(group.subList(0, half), events, outcomes, announced);
      buildTogether(group.subList(half, group.size()), events, outcomes, announced);
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      Batched b = group.get(i);
      try {
        outcomes[b.index()] =
            new Evaluated.Built(
                b.source(),
                interpret(
                    pointers.get(i),
                    out,
                    b.label(),
                    b.renderedFile(),
                    b.flake(),
                    events,
                    progress,
                    announced));
      } catch (NixException | InvalidJobException e) {
        outcomes[b.index()] = new Evaluated.Failed(b.source(), e);
      }
    }
  }

  /** The one nix-build of {@code group}, from a jobs file removed afterwards. */
  private String runBatch(List<Batched> group, BuildProgress progress) throws NixException {
    Path jobsFile = null;
    try {
      jobsFile = Files.createTempFile("nix-aurora-jobs-", ".json");
      mapper.writeValue(jobsFile.toFile(), group.stream().map(Batched::entry).toList());
      boolean flakes = group.stream().anyMatch(b -> b.flake() != null);
      return runBuild(batchArguments(jobsFile, flakes), progress);
    } catch (IOException e) {
      throw new NixException("cannot write the list of jobs to build: " + e.getMessage(), e);
    } finally {
      if (jobsFile != null) {
        deleteQuietly(jobsFile);
      }
    }
  }

  /**
   * The arguments of the one {@code nix-build} of several jobs listed in {@code jobsFile} (a JSON
   * list of {@code {"jobFile": …}} and {@code {"flake": …, "flakeJob": …}}). {@code --keep-going}:
   * when one job's package fails, the others' are still built, so finding the failing job builds
   * nothing twice.
   */
  private List<String> batchArguments(Path jobsFile, boolean flakes) {
    List<String> args = new ArrayList<>();
    if (flakes || nixpkgs instanceof Nixpkgs.Flake) {
      args.addAll(FlakeJobs.EXPERIMENTAL);
    }
    args.addAll(commonArguments());
    args.add("--keep-going");
    args.addAll(List.of("--argstr", "jobsFile", jobsFile.toString()));
    args.addAll(nixpkgsArguments());
    return args;
  }

  /** The Nix expression a Java-built job is rendered to (for display and debugging). */
  public static String render(Job job, Path baseDirectory) throws InvalidJobException {
    return new NixJobRenderer().render(job, baseDirectory.toAbsolutePath());
  }

  /** The arguments of the one {@code nix-build} for {@code jobFile} (for benchmarks and docs). */
  public List<String> nixBuildArguments(Path jobFile) {
    return fileArguments(jobFile);
  }

  private List<String> fileArguments(Path jobFile) {
    List<String> args = new ArrayList<>();
    if (nixpkgs instanceof Nixpkgs.Flake) {
      args.addAll(FlakeJobs.EXPERIMENTAL);
    }
    args.addAll(commonArguments());
    args.addAll(List.of("--argstr", "jobFile", jobFile.toString()));
    args.addAll(nixpkgsArguments());
    return args;
  }

  /** What says which {@code pkgs} file jobs get. */
  private List<String> nixpkgsArguments() {
    if (nixpkgs instanceof Nixpkgs.Imported imported) {
      return List.of("--argstr", "nixpkgsPath", imported.path().toString());
    } else if (nixpkgs instanceof Nixpkgs.Flake flake) {
      return List.of("--argstr", "nixpkgsFlake", flake.ref());
    }
    return List.of();
  }

  private List<String> commonArguments() {
    List<String> args = new ArrayList<>();
    // Not --no-out-link: Nix then roots the result through a link in its own temporary directory,
    // which it deletes, leaving a dangling link in gcroots/auto for every build. One link of our
    // own, removed after the build, leaves at most one (the same one every time).
    if (Files.isWritable(library.directory())) {
      args.addAll(List.of("--out-link", resultLink().toString()));
    } else {
      args.add("--no-out-link"); // a library installed read-only: Nix's own link it is
    }
    args.add("-Q");
    args.add(library.evalNix().toString());
    args.addAll(List.of("--argstr", "libDir", library.directory().toString()));
    if (system != null) {
      args.addAll(List.of("--argstr", "system", system));
    }
    return args;
  }

  /**
   * A flake job: the lock file is checked first (one {@code nix flake metadata}, about 0.1 s), then
   * the one build reads the flake at its locked URL.
   */
  private BuiltJob buildFlake(JobSource.FlakeJob job, EventListener events)
      throws NixException, InvalidJobException {
    FlakeJobs.Resolved flake = FlakeJobs.resolve(job);
    FlakeJobs.Locked locked = FlakeJobs.checkLock(runner, flake);
    List<String> args = new ArrayList<>(FlakeJobs.EXPERIMENTAL);
    args.addAll(commonArguments());
    args.addAll(List.of("--argstr", "flake", locked.url()));
    args.addAll(List.of("--argstr", "flakeJob", job.name()));
    String label = flake.display() + "#" + job.name();
    if (nixpkgs != null) {
      events.on(
          LogEvent.debug(
              label + ": pkgs is the flake's nixpkgs input; the nixpkgs setting is not used"));
    }
    try {
      return build(args, label, null, events, flake);
    } catch (NixException e) {
      throw FlakeJobs.inUserTerms(e, locked, flake);
    }
  }

  /** Where nix-build links the job model while it is read; removed after each build. */
  private Path resultLink() {
    return library.directory().resolve("result");
  }

  private static Path jobFile(Path path) throws NixException {
    Path abs = path.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      Path def = abs.resolve("default.nix");
      if (!Files.isRegularFile(def)) {
        throw new NixException(abs + ": the directory holds no default.nix", abs.toString(), true);
      }
      return def;
    }
    if (!Files.isRegularFile(abs)) {
      throw new NixException(abs + ": no such job file", abs.toString(), true);
    }
    return abs;
  }

  private BuiltJob build(
      List<String> arguments, String label, String renderedFile, EventListener events)
      throws NixException, InvalidJobException {
    return build(arguments, label, renderedFile, events, null);
  }

  private BuiltJob build(
      List<String> arguments,
      String label,
      String renderedFile,
      EventListener events,
      FlakeJobs.Resolved flake)
      throws NixException, InvalidJobException {
    events.on(LogEvent.debug("building " + label + " with " + runner.binDirectory()));
    BuildProgress progress = new BuildProgress(events);
    String out;
    try {
      out = runBuild(arguments, progress);
    } catch (NixException e) {
      throw BuildErrors.describe(e, label, renderedFile);
    }
    JsonNode pointer = readJson(out, label, renderedFile);
    return interpret(pointer, out, label, renderedFile, flake, events, progress, new HashSet<>());
  }

  /** Runs the one nix-build and returns the store path it printed. */
  private String runBuild(List<String> arguments, BuildProgress progress) throws NixException {
    NixRunner.Result result = runner.run("nix-build", arguments, null, progress);
    String out = result.stdoutText().strip();
    removeResultLink(out);
    if (!StorePath.isValid(out)) {
      throw new NixException("nix-build printed '" + out + "', not a store path", null, false);
    }
    return out;
  }

  private JsonNode readJson(String file, String label, String renderedFile) throws NixException {
    try {
      return mapper.readTree(Files.readAllBytes(Path.of(file)));
    } catch (StreamConstraintsException e) {
      // The job, not Nix, is at fault: a value past the reader's limits (20,000,000 characters).
      throw new NixException(
          label
              + ": the job holds a value of more than 20,000,000 characters (a cmdline cannot be"
              + " that long: Linux runs one of at most 128 KiB)",
          renderedFile == null ? label : null,
          true);
    } catch (IOException e) {
      throw new NixException("cannot read the built job model " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * One job's pointer as eval.nix built it ({@code {"model_file": …}} or {@code {"flake_error":
   * …}}) made into the job; {@code out} is the built path (for messages); an info event is given
   * only if {@code announced} does not hold it yet (several jobs built together say it once).
   */
  private BuiltJob interpret(
      JsonNode pointer,
      String out,
      String label,
      String renderedFile,
      FlakeJobs.Resolved flake,
      EventListener events,
      BuildProgress progress,
      Set<String> announced)
      throws NixException, InvalidJobException {
    JsonNode model = pointer;
    if (pointer.hasNonNull("model_file")) {
      // eval.nix writes the model at evaluation time and builds a pointer to it.
      String file = pointer.get("model_file").asText();
      if (!StorePath.isValid(file)) {
        throw new NixException(out + " names '" + file + "', not a store path", null, false);
      }
      model = readJson(file, label, renderedFile);
    }
    if (model.hasNonNull("flake_error")) {
      // eval.nix found no such output (or no nixpkgs input): one line naming the flake.
      String where = flake == null ? label : flake.display() + "/flake.nix";
      throw new NixException(
          where + ": " + model.get("flake_error").asText() + " (job " + label + ")", where, true);
    }
    if (model.hasNonNull("pkgs_source")) {
      events.on(LogEvent.debug(label + ": pkgs is " + model.get("pkgs_source").asText()));
    }
    if (model.path("offline_packages").asBoolean(false)) {
      String offline =
          "<nixpkgs> is not on NIX_PATH: pkgs is nix-aurora's offline stand-in package set"
              + " (pin a nixpkgs with --nixpkgs, or use a flake)";
      if (announced.add(offline)) {
        events.on(LogEvent.info(offline));
      }
    }
    BuiltJob built = read(model, label);
    events.on(
        LogEvent.debug(
            "built "
                + JobLabel.of(built.job())
                + " for "
                + built.system()
                + " ("
                + progress.built()
                + " built)"));
    return built;
  }

  /**
   * The model written by eval.nix: {@code {job, scripts, system, key_positions}}; {@code label}
   * names the job file in messages.
   */
  BuiltJob read(JsonNode model, String label) throws InvalidJobException {
    String builtFor = model.path("system").asText();
    ModelViolations violations = new ModelViolations();
    Job job;
    try {
      job = mapper.readerFor(Job.class).withHandler(violations).readValue(model.get("job"));
    } catch (JsonMappingException e) {
      violations.add(path(e), describe(e), e.getCause() instanceof IllegalArgumentException);
      throw new InvalidJobException(violations.list());
    } catch (IOException e) {
      throw new InvalidJobException("(job)", e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("(job)", e.getMessage());
    }
    if (!violations.list().isEmpty()) {
      throw new InvalidJobException(violations.list());
    }
    if (job == null) {
      throw new InvalidJobException("(job)", "is missing");
    }
    // The key is checked here, not only by the compiler: everything after this names the job by
    // its key, so a bad part must stop here as an invalid field, with the line it was written on.
    List<InvalidJobException.Violation> keyProblems =
        JobKey.violations(job.cluster(), job.role(), job.environment(), job.name());
    if (!keyProblems.isEmpty()) {
      List<InvalidJobException.Violation> located = new ArrayList<>();
      for (InvalidJobException.Violation v : keyProblems) {
        JsonNode pos = model.path("key_positions").path(v.path());
        String where = pos.isTextual() ? pos.asText() : label;
        located.add(
            new InvalidJobException.Violation(v.path(), v.message() + " (at " + where + ")"));
      }
      throw new InvalidJobException(located);
    }
    Map<String, ProcessScript> scripts = new LinkedHashMap<>();
    Map<String, String> byName = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = model.path("scripts").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byName.put(e.getKey(), e.getValue().asText());
    }
    for (io.nixaurora.api.model.Process p : job.task().processes()) {
      scripts.put(
          p.name(), new ProcessScript(p.name(), StorePath.of(byName.get(p.name())), builtFor));
    }
    try {
      return new BuiltJob(job, scripts, builtFor);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("(job)", e.getMessage());
    }
  }

  /**
   * Collects every value the model's constructors refuse instead of stopping at the first: the
   * refused struct becomes null and reading goes on, so the job's other structs are checked too. A
   * struct that is then refused only because a part of it was refused ("is required") is not
   * reported again.
   */
  private static final class ModelViolations extends DeserializationProblemHandler {

    /** Model constructors say "<struct>.<field>: <problem>". */
    private static final Pattern FIELD_MESSAGE =
        Pattern.compile("^[A-Za-z_]+((?:\\.[A-Za-z_]+|\\[\\d+\\])+): (.*)$", Pattern.DOTALL);

    private final List<InvalidJobException.Violation> violations = new ArrayList<>();

    @Override
    public Object handleInstantiationProblem(
        DeserializationContext ctxt, Class<?> instClass, Object argument, Throwable t) {
      Throwable cause = t.getCause() == null ? t : t.getCause();
      if (!(cause instanceof IllegalArgumentException || cause instanceof NullPointerException)) {
        return NOT_HANDLED;
      }
      add(path(ctxt.getParser().getParsingContext()), String.valueOf(cause.getMessage()), true);
      return null;
    }

    /** Adds a violation at {@code path} (the refused struct's) unless one inside it is known. */
    void add(String structPath, String problem, boolean fromModel) {
      String path = structPath;
      String message = problem;
      Matcher m = FIELD_MESSAGE.matcher(problem);
      if (fromModel && m.matches()) {
        // Jackson's path ends at the struct: the field goes on the path.
        path = structPath.equals("(job)") ? m.group(1).substring(1) : structPath + m.group(1);
        message = m.group(2);
      }
      String at = path;
      boolean inside =
          violations.stream()
              .map(InvalidJobException.Violation::path)
              .anyMatch(
                  p ->
                      at.equals("(job)")
                          || p.equals(at)
                          || p.startsWith(at + ".")
                          || p.startsWith(at + "["));
      if (!inside) {
        violations.add(new InvalidJobException.Violation(path, message));
      }
    }

    List<InvalidJobException.Violation> list() {
      return violations;
    }

    /** {@code task.processes[1]} from the parser's context at the end of the refused struct. */
    private static String path(JsonStreamContext context) {
      StringBuilder path = new StringBuilder();
      for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          path.insert(0, "[" + c.getCurrentIndex() + "]");
        } else if (c.getCurrentName() != null) {
          path.insert(
              0,
              (c.getParent() != null && !c.getParent().inRoot() ? "." : "") + c.getCurrentName());
        }
      }
      return path.length() == 0 ? "(job)" : path.toString();
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder p = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (p.length() > 0) {
          p.append('.');
        }
        p.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        p.append('[').append(r.getIndex()).append(']');
      }
    }
    return p.length() == 0 ? "(job)" : p.toString();
  }

  private static String describe(JsonMappingException e) {
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
      return cause.getMessage();
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return "'"
          + u.getPropertyName()
          + "' is not supported by this version of nix-aurora's job model";
    }
    return e.getOriginalMessage();
  }

  /** Removes the result link unless a build running beside this one has replaced it. */
  private void removeResultLink(String out) {
    try {
      if (Files.readSymbolicLink(resultLink()).toString().equals(out)) {
        Files.deleteIfExists(resultLink());
      }
    } catch (IOException e) {
      // Gone already, or replaced: the link only kept the model alive while it was read.
    }
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(NixJobEvaluator::deleteQuietly);
    } catch (IOException e) {
      // A leftover file in the temp directory is harmless; the build result is what matters.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover file in the temp directory is harmless; the build result is what matters.
    }
  }
}
