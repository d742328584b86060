package io.nixaurora.core;

import io.nixaurora.api.AuroraJobConfig;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Evaluated;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.JobDiff;
import io.nixaurora.api.JobEvaluator;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.JobStatus;
import io.nixaurora.api.NixAuroraException;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.SubmitResult;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.compiler.JobCompiler;
import io.nixaurora.support.Systems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The pipeline of docs/ARCHITECTURE.md as one facade, for one cluster: evaluate → key and system
 * checks → validate → the submitter's check → publish → compile → submit. A bad job stops before
 * anything is published for it.
 *
 * <pre>{@code
 * NixAurora aurora =
 *     NixAurora.builder(new NixJobEvaluator(NixRunner.onPath(), NixLibrary.inUserCache()), store)
 *         .submitter(submitter)
 *         .events(listener)
 *         .cluster("devcluster", "x86_64-linux")
 *         .build();
 * Submitted created = aurora.create(JobKey.parse("devcluster/www/prod/web"), JobSource.file(dir));
 * }</pre>
 *
 * <p>Every method for one job has a form for many ({@code …All}) that returns one {@link JobResult}
 * per job, in the order given: one evaluation and one build for all of them ({@link
 * JobEvaluator#evaluateAll}), one publication of the union of their closures ({@link
 * StoreProvider#publishAll}), submissions in parallel with a bound. One job's refusal does not stop
 * the others unless {@link Options#failFast}; two jobs with the same key are both refused.
 *
 * <p>The facade names no backend: whatever a submitter cannot take it refuses in {@link
 * Submitter#checkReady}, {@link Submitter#checkSubmittable} and {@link
 * Submitter#checkBeforePublish}. Instances are immutable; the backends given decide whether calls
 * may overlap.
 */
public final class NixAurora {

  private final JobEvaluator evaluator;
  private final StoreProvider store;
  private final Submitter submitter;
  private final EventListener events;
  private final String cluster;
  private final String system;
  private final StepListener steps;
  private final JobCompiler compiler;

  private NixAurora(Builder b) {
    this.evaluator = b.evaluator;
    this.store = b.store;
    this.submitter = b.submitter;
    this.events = b.events;
    this.cluster = b.cluster;
    this.system = b.system;
    this.steps = b.steps;
    this.compiler = b.compiler;
  }

  /** Starts a facade that builds with {@code evaluator} and publishes with {@code store}. */
  public static Builder builder(JobEvaluator evaluator, StoreProvider store) {
    return new Builder(evaluator, store);
  }

  /** Builds a {@link NixAurora}. */
  public static final class Builder {
    private final JobEvaluator evaluator;
    private final StoreProvider store;
    private Submitter submitter;
    private EventListener events = EventListener.NONE;
    private String cluster;
    private String system = Systems.DEFAULT;
    private StepListener steps = StepListener.NONE;
    private JobCompiler compiler = new JobCompiler();

    private Builder(JobEvaluator evaluator, StoreProvider store) {
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The submitter; needed by create, update, diff, kill and status only. */
    public Builder submitter(Submitter submitter) {
      this.submitter = Objects.requireNonNull(submitter, "submitter");
      return this;
    }

    /** Where progress and warnings go (nothing is printed). */
    public Builder events(EventListener events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * The cluster the backends are for and the system its agents run: a job of another cluster is
     * refused, as is one built for another system. Without it any cluster is taken, and jobs must
     * be built for {@code x86_64-linux}.
     */
    public Builder cluster(String cluster, String system) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      return system(system);
    }

    /** The system the cluster's agents run, for any cluster. */
    public Builder system(String system) {
      this.system = Systems.requireWellFormed(system);
      return this;
    }

    /** Hears about each step before it starts (and may stop the pipeline). */
    public Builder steps(StepListener steps) {
      this.steps = Objects.requireNonNull(steps, "steps");
      return this;
    }

    /** The compiler (a {@link JobCompiler} with its own JSON settings). */
    public Builder compiler(JobCompiler compiler) {
      this.compiler = Objects.requireNonNull(compiler, "compiler");
      return this;
    }

    public NixAurora build() {
      return new NixAurora(this);
    }
  }

  /** The store provider jobs are published with. */
  public StoreProvider storeProvider() {
    return store;
  }

  /** The submitter, if one was given. */
  public Optional<Submitter> submitter() {
    return Optional.ofNullable(submitter);
  }

  // ---------------------------------------------------------------------------------------------
  // One job

  /**
   * Builds {@code source} and compiles it with the store provider's init command, after the system
   * check; nothing is published.
   */
  public Built build(JobSource source) throws NixAuroraException {
    return only(buildAll(List.of(source)));
  }

  /**
   * Compiles a job built elsewhere (such as by another cluster's facade), after the system check.
   */
  public Built compile(BuiltJob built) throws NixAuroraException {
    Systems.requireCompatible(built, system);
    return new Built(built, compiler.compile(built, store.initCommand()));
  }

  /**
   * Everything {@code action} would check, without publishing or submitting: the configuration is
   * compiled with the store provider's init command (a dry run). The submitter is not asked.
   */
  public Built check(Action action, Target target) throws NixAuroraException {
    return only(checkAll(action, List.of(target)));
  }

  /** Builds, checks, validates and publishes {@code source}; submits nothing. */
  public Published publish(JobSource source) throws NixAuroraException {
    return only(publishAll(List.of(Target.of(source))));
  }

  /** Creates the job {@code key} from {@code source} (a cron job is scheduled). */
  public Submitted create(JobKey key, JobSource source) throws NixAuroraException {
    return only(deployAll(Action.CREATE, List.of(Target.of(key, source)), Options.DEFAULT));
  }

  /** Starts a rolling update of the service {@code key} to {@code source}. */
  public Submitted update(JobKey key, JobSource source) throws NixAuroraException {
    return only(deployAll(Action.UPDATE, List.of(Target.of(key, source)), Options.DEFAULT));
  }

  /** What an update of {@code key} to {@code source} would change; nothing is published. */
  public Diffed diff(JobKey key, JobSource source) throws NixAuroraException {
    return only(diffAll(List.of(Target.of(key, source)), Options.DEFAULT));
  }

  /** Kills every instance of the job. */
  public SubmitResult kill(JobKey key) throws SubmitException {
    return requireSubmitter().kill(key);
  }

  /** The job's tasks as the scheduler reports them. */
  public JobStatus status(JobKey key) throws SubmitException {
    return requireSubmitter().status(key);
  }

  // ---------------------------------------------------------------------------------------------
  // Many jobs

  /** Builds every job in one evaluation, then compiles each as {@link #compile} does. */
  public List<JobResult<Built>> buildAll(List<JobSource> sources) throws NixAuroraException {
    List<Target> targets = sources.stream().map(Target::of).toList();
    Run run = evaluate(targets);
    for (int i = 0; i < run.size(); i++) {
      if (run.open(i)) {
        try {
          run.done(i, compile(run.built[i]));
        } catch (NixAuroraException e) {
          run.fail(i, e);
        }
      }
    }
    return run.results();
  }

  /** Builds every job in one evaluation (no checks); one outcome per source. */
  public List<Evaluated> evaluateAll(List<JobSource> sources) {
    return evaluator.evaluateAll(sources, events);
  }

  /** {@link #check} for many jobs (a dry run of a deploy). */
  public List<JobResult<Built>> checkAll(Action action, List<Target> targets)
      throws NixAuroraException {
    Run run = evaluate(targets);
    checkJobs(run, action, false, false);
    for (int i = 0; i < run.size(); i++) {
      if (run.open(i)) {
        try {
          run.done(i, new Built(run.built[i], compiler.compile(run.built[i], store.initCommand())));
        } catch (InvalidJobException e) {
          run.fail(i, e);
        }
      }
    }
    return run.results();
  }

  /** {@link #publish} for many jobs: the union of their closures published once. */
  public List<JobResult<Published>> publishAll(List<Target> targets) throws NixAuroraException {
    Run run = evaluate(targets);
    checkJobs(run, null, false, false);
    publishAndCompile(run);
    for (int i = 0; i < run.size(); i++) {
      if (run.open(i)) {
        run.done(i, new Published(run.built[i], run.publication[i], run.config[i]));
      }
    }
    return run.results();
  }

  /**
   * Creates or updates every job: the submitter is checked first ({@link Submitter#checkReady}, a
   * failure fails the call), then each job is built, checked and validated, the jobs that passed
   * are published together and submitted, {@link Options#parallel} at a time.
   *
   * @throws NixAuroraException when the submitter is not ready, or a {@link StepListener} stopped
   *     the pipeline; each job's own failure is its result
   */
  public List<JobResult<Submitted>> deployAll(Action action, List<Target> targets, Options options)
      throws NixAuroraException {
    Objects.requireNonNull(action, "action");
    Submitter submitter = requireSubmitter();
    // What can be checked before anything is built (the submitter's client exists), so a push is
    // never wasted on a submission that cannot start.
    submitter.checkReady();
    Run run = evaluate(targets);
    checkJobs(run, action, true, options.failFast());
    // A failed create removes the GC roots it registered, unless the key had roots before (a job
    // of that key may be running from an earlier create).
    Set<JobKey> retainedBefore = Set.of();
    if (action == Action.CREATE && run.anyOpen()) {
      try {
        retainedBefore = store.retainedJobs();
      } catch (StoreException e) {
        run.failOpen(e, false);
      }
    }
    publishAndCompile(run);
    stopIfFailFast(run, options.failFast(), "nothing of it was submitted");
    Set<JobKey> hadRoots = retainedBefore;
    if (action == Action.CREATE) {
      // Published but not to be submitted (its compilation failed, or fail-fast skips it): the
      // roots registered for it would pin its closure for a job that does not exist.
      for (int i = 0; i < run.size(); i++) {
        if (run.publication[i] != null && !run.open(i)) {
          releaseUnsubmitted(run.key[i], hadRoots);
        }
      }
    }
    List<Integer> open = run.openIndices();
    if (open.isEmpty()) {
      return run.results();
    }
    steps.before(Step.SUBMIT, run.keys(open));
    AtomicBoolean stop = new AtomicBoolean(false);
    forEachBounded(
        open,
        options.parallel(),
        i -> {
          if (options.failFast() && stop.get()) {
            run.skip(i, "not submitted: another job failed and fail-fast is on");
            if (action == Action.CREATE) {
              releaseUnsubmitted(run.key[i], hadRoots);
            }
            return;
          }
          AuroraJobConfig config = run.config[i];
          try {
            SubmitResult result =
                action == Action.UPDATE ? submitter.update(config) : submitter.create(config);
            run.done(i, new Submitted(run.built[i], run.publication[i], config, result));
          } catch (SubmitException e) {
            stop.set(true);
            if (action == Action.CREATE && !hadRoots.contains(config.key())) {
              releaseAfterFailedCreate(config.key(), e);
            }
            run.fail(i, e);
          }
        });
    return run.results();
  }

  /**
   * What an update of each job would change: built, key and system checked, compiled with the store
   * provider's init command and, when the submitter can ask the scheduler, diffed there ({@link
   * Options#parallel} at a time). Nothing is published.
   */
  public List<JobResult<Diffed>> diffAll(List<Target> targets, Options options)
      throws NixAuroraException {
    Submitter submitter = requireSubmitter();
    Run run = evaluate(targets);
    // The job's own rules are not checked: the diff shows what would change, an update refuses.
    checkJobs(run, null, false, options.failFast(), false);
    List<Integer> open = run.openIndices();
    AtomicBoolean stop = new AtomicBoolean(false);
    forEachBounded(
        open,
        options.parallel(),
        i -> {
          if (options.failFast() && stop.get()) {
            run.skip(i, "not diffed: another job failed and fail-fast is on");
            return;
          }
          try {
            AuroraJobConfig config = compiler.compile(run.built[i], store.initCommand());
            Optional<JobDiff> diff = submitter.diff(config);
            run.done(i, new Diffed(run.built[i], config, diff));
          } catch (InvalidJobException | SubmitException e) {
            stop.set(true);
            run.fail(i, e);
          }
        });
    return run.results();
  }

  // ---------------------------------------------------------------------------------------------
  // The steps

  private Run evaluate(List<Target> targets) throws NixAuroraException {
    List<Target> copy = List.copyOf(targets);
    steps.before(
        Step.EVALUATE, copy.stream().flatMap(t -> t.key().stream()).collect(Collectors.toList()));
    List<Evaluated> evaluated =
        evaluator.evaluateAll(copy.stream().map(Target::source).toList(), events);
    if (evaluated.size() != copy.size()) {
      throw new IllegalStateException(
          "the evaluator returned " + evaluated.size() + " outcomes for " + copy.size() + " jobs");
    }
    Run run = new Run(copy);
    for (int i = 0; i < copy.size(); i++) {
      Evaluated e = evaluated.get(i);
      if (e instanceof Evaluated.Built b) {
        run.built[i] = b.job();
        try {
          run.key[i] = b.job().key();
        } catch (IllegalArgumentException bad) {
          run.fail(i, new InvalidJobException("key", bad.getMessage()));
        }
      } else if (e instanceof Evaluated.Failed f) {
        run.fail(i, f.error());
      }
    }
    return run;
  }

  private void checkJobs(Run run, Action action, boolean askSubmitter, boolean failFast)
      throws NixAuroraException {
    checkJobs(run, action, askSubmitter, failFast, true);
  }

  /**
   * Key collisions, the expected key or cluster, the system, Aurora's rules, the action, and what
   * only the cluster knows; each refusal is that job's. With fail-fast, one refusal skips the rest.
   */
  private void checkJobs(
      Run run, Action action, boolean askSubmitter, boolean failFast, boolean validate)
      throws NixAuroraException {
    Map<JobKey, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < run.size(); i++) {
      if (run.key[i] != null) {
        byKey.computeIfAbsent(run.key[i], k -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<JobKey, List<Integer>> e : byKey.entrySet()) {
      if (e.getValue().size() > 1) {
        String sources =
            e.getValue().stream()
                .map(i -> describe(run.targets.get(i).source()))
                .collect(Collectors.joining(", "));
        for (int i : e.getValue()) {
          run.fail(
              i,
              new JobRefusedException(
                  e.getValue().size()
                      + " jobs define "
                      + e.getKey()
                      + " ("
                      + sources
                      + "); none of them is deployed",
                  "give each job its own cluster/role/environment/name"));
        }
      }
    }
    for (int i = 0; i < run.size(); i++) {
      if (!run.open(i)) {
        continue;
      }
      BuiltJob built = run.built[i];
      try {
        checkKey(built, run.targets.get(i).key());
        Systems.requireCompatible(built, system);
        if (validate) {
          List<InvalidJobException.Violation> violations = compiler.validate(built.job());
          if (!violations.isEmpty()) {
            throw new InvalidJobException(violations);
          }
        }
        if (action == Action.UPDATE && !built.job().isService()) {
          throw new JobRefusedException(
              built.key() + " is not a service; update rolls out services only",
              "kill the job and create it again, or set service = true (Service { … })");
        }
        if (submitter != null && action != null) {
          // What the submitter can never carry (what its client cannot load), dry run or not.
          submitter.checkSubmittable(built.job());
        }
        if (askSubmitter) {
          // What only the cluster knows (its tiers), before anything is published.
          submitter.checkBeforePublish(built.job(), events);
        }
      } catch (NixAuroraException e) {
        run.fail(i, e);
      }
    }
    stopIfFailFast(run, failFast, "nothing was published");
  }

  private void checkKey(BuiltJob built, Optional<JobKey> expected) throws JobRefusedException {
    if (expected.isPresent()) {
      if (!built.key().equals(expected.get())) {
        throw new JobRefusedException(
            "the job file defines " + built.key() + " but the command line says " + expected.get(),
            "use "
                + built.key()
                + " on the command line, or change the job's cluster, role,"
                + " environment or name");
      }
    } else if (cluster != null && !built.key().cluster().equals(cluster)) {
      throw new JobRefusedException(
          "the job defines "
              + built.key()
              + ", of cluster "
              + built.key().cluster()
              + ", not of cluster "
              + cluster,
          "deploy it with the jobs of cluster " + built.key().cluster());
    }
  }

  /** Publishes the open jobs together, then compiles each with its publication's init command. */
  private void publishAndCompile(Run run) throws NixAuroraException {
    List<Integer> open = run.openIndices();
    if (open.isEmpty()) {
      return;
    }
    steps.before(Step.PUBLISH, run.keys(open));
    List<Publication> publications;
    try {
      publications = store.publishAll(open.stream().map(i -> run.built[i]).toList(), events);
    } catch (StoreException e) {
      // publishAll's contract: no job is published unless all are.
      run.failOpen(e, false);
      return;
    }
    if (publications.size() != open.size()) {
      throw new IllegalStateException(
          "the store provider returned "
              + publications.size()
              + " publications for "
              + open.size()
              + " jobs");
    }
    for (int n = 0; n < open.size(); n++) {
      int i = open.get(n);
      Publication p = publications.get(n);
      run.publication[i] = p;
      // providers report their own summary as an info event
      events.on(LogEvent.debug("published " + run.key[i] + ": " + p.summary()));
      try {
        run.config[i] = compiler.compile(run.built[i], p.initCommand());
      } catch (InvalidJobException e) {
        run.failPublished(i, e);
      }
    }
  }

  private static void stopIfFailFast(Run run, boolean failFast, String state) {
    if (failFast && run.anyFailed()) {
      for (int i : run.openIndices()) {
        run.skip(i, "not deployed: another job failed and fail-fast is on; " + state);
      }
    }
  }

  /**
   * The GC roots of a create the scheduler refused go; after a timeout, a network error or an
   * interruption the job may have been created, and they stay.
   */
  private void releaseAfterFailedCreate(JobKey key, SubmitException e) {
    boolean refused =
        switch (e.exitCode()) {
          case 3, 4, 5, 6, 8, 10, 30, 127 -> true;
          default -> false;
        };
    if (!refused) {
      events.on(
          LogEvent.info(
              "kept the GC roots of " + key + ": the create may have reached the scheduler"));
      return;
    }
    release(key);
  }

  /** The GC roots of a create that was never submitted go, unless the key had roots before. */
  private void releaseUnsubmitted(JobKey key, Set<JobKey> hadRoots) {
    if (!hadRoots.contains(key)) {
      release(key);
    }
  }

  private void release(JobKey key) {
    try {
      store.release(key, events);
    } catch (StoreException failure) {
      events.on(
          LogEvent.warn("could not remove the GC roots of " + key + ": " + failure.getMessage()));
    }
  }

  private Submitter requireSubmitter() {
    if (submitter == null) {
      throw new IllegalStateException("this NixAurora was built without a submitter");
    }
    return submitter;
  }

  /** How a source is named in a message. */
  static String describe(JobSource source) {
    if (source instanceof JobSource.NixFile f) {
      return f.path().toString();
    }
    if (source instanceof JobSource.FlakeJob f) {
      return f.toString();
    }
    return "a Java job";
  }

  private static <T> T only(List<JobResult<T>> results) throws NixAuroraException {
    JobResult<T> r = results.get(0);
    if (r instanceof JobResult.Done<T> d) {
      return d.value();
    }
    if (r instanceof JobResult.Failed<T> f) {
      throw f.error();
    }
    throw new IllegalStateException("a single job was skipped: " + r);
  }

  /** Work on one job that reports its own outcome in the {@link Run}. */
  @FunctionalInterface
  private interface JobTask {
    void run(int index);
  }

  /**
   * Runs {@code task} for every index, {@code parallel} at a time; one job runs on the calling
   * thread, so a single job's submission behaves as before (and stays interruptible there).
   */
  private static void forEachBounded(List<Integer> indices, int parallel, JobTask task) {
    if (indices.size() <= 1 || parallel == 1) {
      indices.forEach(task::run);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, indices.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i : indices) {
        futures.add(pool.submit(() -> task.run(i)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // A bug in a backend (an unchecked exception): not one job's outcome.
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(cause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The state of each job of one call; slots are written by one thread each. */
  private static final class Run {
    final List<Target> targets;
    final BuiltJob[] built;
    final JobKey[] key;
    final Publication[] publication;
    final AuroraJobConfig[] config;
    final JobResult<?>[] result;

    Run(List<Target> targets) {
      this.targets = targets;
      int n = targets.size();
      built = new BuiltJob[n];
      key = new JobKey[n];
      publication = new Publication[n];
      config = new AuroraJobConfig[n];
      result = new JobResult<?>[n];
    }

    int size() {
      return targets.size();
    }

    synchronized boolean open(int i) {
      return result[i] == null;
    }

    synchronized boolean anyOpen() {
      return !openIndices().isEmpty();
    }

    synchronized boolean anyFailed() {
      for (JobResult<?> r : result) {
        if (r instanceof JobResult.Failed<?>) {
          return true;
        }
      }
      return false;
    }

    synchronized List<Integer> openIndices() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < size(); i++) {
        if (result[i] == null) {
          out.add(i);
        }
      }
      return out;
    }

    List<JobKey> keys(List<Integer> indices) {
      return indices.stream().map(i -> key[i]).toList();
    }

    synchronized void done(int i, Object value) {
      result[i] = new JobResult.Done<>(targets.get(i).source(), value, key[i]);
    }

    synchronized void fail(int i, NixAuroraException e) {
      result[i] =
          new JobResult.Failed<>(
              targets.get(i).source(), Optional.ofNullable(key[i]), e, publication[i] != null);
    }

    synchronized void failPublished(int i, NixAuroraException e) {
      result[i] =
          new JobResult.Failed<>(targets.get(i).source(), Optional.ofNullable(key[i]), e, true);
    }

    synchronized void failOpen(NixAuroraException e, boolean published) {
      for (int i : openIndices()) {
        result[i] =
            new JobResult.Failed<>(
                targets.get(i).source(), Optional.ofNullable(key[i]), e, published);
      }
    }

    synchronized void skip(int i, String reason) {
      result[i] =
          new JobResult.Skipped<>(targets.get(i).source(), Optional.ofNullable(key[i]), reason);
    }

    @SuppressWarnings("unchecked")
    synchronized <T> List<JobResult<T>> results() {
      List<JobResult<T>> out = new ArrayList<>(size());
      for (JobResult<?> r : result) {
        if (r == null) {
          throw new IllegalStateException("a job has no outcome");
        }
        out.add((JobResult<T>) r);
      }
      return List.copyOf(out);
    }
  }
}
