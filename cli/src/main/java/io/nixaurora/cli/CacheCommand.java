package io.nixaurora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.CacheException;
import io.nixaurora.api.StorePath;
import io.nixaurora.api.SubmitException;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.nix.cache.BinaryCacheTarget;
import io.nixaurora.nix.cache.CacheGc;
import io.nixaurora.nix.cache.CachePusher;
import io.nixaurora.nix.cache.CacheUrl;
import io.nixaurora.nix.cache.CacheVerifier;
import io.nixaurora.nix.cache.Compression;
import io.nixaurora.nix.cache.Credentials;
import io.nixaurora.nix.cache.PublicKey;
import io.nixaurora.nix.cache.PushSummary;
import io.nixaurora.nix.cache.SigningKey;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import io.nixaurora.support.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import javax.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nix-aurora cache keygen|push|verify}: the binary cache by hand. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    header = "Make signing keys, push closures to and verify a Nix binary cache.",
    description =
        "Works on a Nix binary cache (file:///dir, http(s)://host/prefix or"
            + " s3://bucket/prefix?region=…&endpoint=…&profile=…, with Nix's ?compression= and"
            + " ?secret-key= parameters) without a job.",
    subcommands = {
      CacheCommand.Keygen.class,
      CacheCommand.Push.class,
      CacheCommand.Verify.class,
      CacheCommand.Gc.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  nix-aurora cache keygen cache.example.org-1 --out-dir /etc/nix-aurora",
      "  nix-aurora cache push --to file:///srv/cache --secret-key-file key.sec $(nix-build)",
      "  nix-aurora cache verify file:///srv/cache --public-key cache.example.org-1:…",
      "  nix-aurora cache verify https://cache.example.org --public-key cache.example.org-1:…"
          + " /nix/store/…",
      "  nix-aurora cache gc --cluster prod            # dry run: what would go",
      "  nix-aurora cache gc --cluster prod --delete"
    })
public final class CacheCommand implements Callable<Integer> {

  @Mixin GlobalOptionsMixin global;
  @Spec CommandSpec spec;

  @Inject
  CacheCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CliException.USAGE;
  }

  /** {@code cache keygen NAME}. */
  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      header = "Make a signing key pair, as nix-store --generate-binary-cache-key does.",
      description = {
        "Writes NAME.sec (the secret key, mode 0600) and NAME.pub (the public key) into the"
            + " output directory and prints the public key. Existing files are never overwritten.",
        "Put secret_key_file and public_key in the cluster's configuration, and the public key in"
            + " the agents' trusted-public-keys (`nix-aurora agent-config CLUSTER`)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  nix-aurora cache keygen cache.example.org-1",
        "  nix-aurora cache keygen cache.example.org-1 --out-dir /etc/nix-aurora"
      })
  public static final class Keygen implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Key name, e.g. host-1.")
    String name;

    @Option(
        names = "--out-dir",
        paramLabel = "DIR",
        description = "Directory for NAME.sec and NAME.pub (default: the current directory).")
    String outDir;

    @Mixin GlobalOptionsMixin global;
    @Spec CommandSpec spec;
    private final Session session;

    @Inject
    Keygen(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() throws CliException {
      Environment env = session.environment();
      Path dir = outDir == null ? env.workingDirectory() : env.resolve(outDir);
      SigningKey key;
      try {
        key = SigningKey.generate(name);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            CliException.USAGE, e.getMessage(), "a key name such as cache.example.org-1");
      }
      if (name.contains("/")) {
        throw new CliException(CliException.USAGE, "key name: must not contain '/'", null);
      }
      Path secret = dir.resolve(name + ".sec");
      Path pub = dir.resolve(name + ".pub");
      try {
        Files.createDirectories(dir);
        key.writeFiles(secret, pub);
      } catch (FileAlreadyExistsException e) {
        throw CliException.failure(
            e.getFile() + " already exists; it was left as it is",
            "choose another NAME or --out-dir, or remove the old key files first");
      } catch (IOException e) {
        throw CliException.failure("cannot write the key files: " + e, null);
      }
      spec.commandLine().getOut().println(key.publicKey());
      spec.commandLine().getOut().flush();
      session
          .console(spec.commandLine().getErr())
          .summary("wrote " + secret + " (secret, keep it private) and " + pub);
      return 0;
    }
  }

  /** {@code cache push --to URL STOREPATH…}. */
  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      header = "Push the closures of store paths to a cache, signed (like nix copy --to).",
      description =
          "Pushes every path of the closures of STOREPATH… that the cache lacks, signed with the"
              + " secret key; asks the cache (not a local record) what it holds.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  nix-aurora cache push --to file:///srv/cache --secret-key-file key.sec ./result",
        "  nix-aurora cache push --to 'https://cache.example.org?compression=xz'"
            + " --secret-key-file key.sec /nix/store/…-hello-2.12"
      })
  public static final class Push implements Callable<Integer> {
    @Option(
        names = "--to",
        required = true,
        paramLabel = "URL",
        description = "The cache: file:///dir or http(s)://host/prefix.")
    String to;

    @Option(
        names = "--secret-key-file",
        paramLabel = "FILE",
        description = "The signing key (or ?secret-key= in the URL).")
    String secretKeyFile;

    @Option(
        names = "--compression",
        paramLabel = "METHOD",
        description = "zstd (default), xz or none (or ?compression= in the URL).")
    String compression;

    @Option(names = "--jobs", paramLabel = "N", description = "NARs compressed at once.")
    Integer jobs;

    @Option(
        names = "--netrc-file",
        paramLabel = "FILE",
        description = "Credentials for an HTTP cache (default: ~/.netrc).")
    String netrcFile;

    @Parameters(
        index = "0",
        arity = "1..*",
        paramLabel = "STOREPATH",
        description = "Store paths (or links to them, such as ./result).")
    List<String> paths;

    @Mixin GlobalOptionsMixin global;
    @Spec CommandSpec spec;
    private final Session session;

    @Inject
    Push(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() throws Exception {
      Environment env = session.environment();
      PrintWriter err = spec.commandLine().getErr();
      CacheUrl url = cacheUrl(to);
      Path keyFile =
          Optional.ofNullable(secretKeyFile)
              .map(env::resolve)
              .or(url::secretKeyFile)
              .orElseThrow(
                  () ->
                      new CliException(
                          CliException.USAGE,
                          "a secret key is needed to sign what is pushed",
                          "pass --secret-key-file FILE (make one with `nix-aurora cache keygen"
                              + " NAME`)"));
      SigningKey key = readKey(keyFile);
      List<StorePath> roots = storePaths(env, paths);
      Compression method;
      try {
        method =
            Optional.ofNullable(compression)
                .map(Compression::named)
                .or(url::compression)
                .orElse(Compression.ZSTD);
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, "--compression: " + e.getMessage(), null);
      }
      Pipeline local = session.pipeline(session.configuration().defaults(Map.of()), err);
      NixStore store = new NixStore(new NixRunner(local.localNixBinDirectory(), Map.of()));
      ConsoleListener console = session.console(err);
      PushSummary summary;
      try (BinaryCacheTarget target =
          BinaryCacheTarget.open(url, credentials(env, url, netrcFile))) {
        CachePusher.Builder pusher =
            CachePusher.builder()
                .store(store)
                .target(target)
                .signingKey(key)
                .compression(method)
                .events(console);
        if (jobs != null) {
          pusher.jobs(jobs);
        }
        summary = pusher.build().push(roots);
      }
      // the pusher reports its own one-line summary as an info event
      console.on(LogEvent.debug("pushed to " + url.substituterUrl() + ": " + summary));
      return 0;
    }
  }

  /** {@code cache verify URL --public-key KEY}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      header = "Check a cache: signatures, file hashes and sizes, NAR hashes, closures.",
      description =
          "Checks every narinfo (file:// caches) or the closures of STOREPATH…: signed by one of"
              + " the public keys, FileHash/FileSize against the file, NarHash against the"
              + " decompressed NAR, references present. Prints one line per problem; exits 4 if"
              + " there is any.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  nix-aurora cache verify file:///srv/cache --public-key cache-1:…",
        "  nix-aurora cache verify https://cache.example.org --public-key key.pub"
            + " /nix/store/…-aurora-process-…"
      })
  public static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URL", description = "The cache.")
    String url;

    @Parameters(
        index = "1",
        arity = "0..*",
        paramLabel = "STOREPATH",
        description =
            "Check only these closures (needed for HTTP caches, which cannot be listed; file:// and s3:// caches are listed).")
    List<String> paths = new ArrayList<>();

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "KEY",
        description = "A trusted key, NAME:BASE64 or a file holding one (repeatable).")
    List<String> publicKeys;

    @Option(names = "--jobs", paramLabel = "N", description = "NARs checked at once.")
    Integer jobs;

    @Option(
        names = "--netrc-file",
        paramLabel = "FILE",
        description = "Credentials for an HTTP cache (default: ~/.netrc).")
    String netrcFile;

    @Mixin GlobalOptionsMixin global;
    @Spec CommandSpec spec;
    private final Session session;

    @Inject
    Verify(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() throws Exception {
      Environment env = session.environment();
      CacheUrl cache = cacheUrl(url);
      List<PublicKey> trusted = new ArrayList<>();
      for (String k : publicKeys) {
        trusted.add(publicKey(env, k));
      }
      List<StorePath> roots = storePaths(env, paths);
      if (roots.isEmpty() && !cache.isFile() && !cache.isS3()) {
        throw new CliException(
            CliException.USAGE,
            "an HTTP cache cannot be listed: name the store paths whose closures to verify",
            "nix-aurora cache verify "
                + cache.substituterUrl()
                + " --public-key KEY /nix/store/…-aurora-process-…");
      }
      List<String> problems;
      // Opened to read: a mistyped file:// path is an error here, never a new empty cache.
      try (BinaryCacheTarget target =
          BinaryCacheTarget.openExisting(cache, credentials(env, cache, netrcFile))) {
        CacheVerifier verifier =
            new CacheVerifier(
                target, trusted, jobs == null ? Runtime.getRuntime().availableProcessors() : jobs);
        problems = roots.isEmpty() ? verifier.verifyAll() : verifier.verify(roots);
      }
      PrintWriter out = spec.commandLine().getOut();
      problems.stream().map(SafeText::escape).forEach(out::println);
      out.flush();
      ConsoleListener console = session.console(spec.commandLine().getErr());
      if (problems.isEmpty()) {
        console.summary("cache " + cache + " is sound");
        return 0;
      }
      console.summary(problems.size() + " problem(s) in " + cache);
      return CliException.COMMAND_FAILURE;
    }
  }

  /** {@code cache gc [URL] --cluster CLUSTER [--delete]}. */
  @Command(
      name = "gc",
      mixinStandardHelpOptions = true,
      header =
          "Delete what no job the scheduler may launch needs from a cache (dry run by default).",
      description = {
        "Roots: every store path named by a configuration the cluster's scheduler may still launch"
            + " (active and pending tasks of every job, updates in progress, cron templates; read"
            + " through the http submitter), everything pushed within the grace period, and"
            + " --root/--roots-file. The live set is their closure through the cache's own"
            + " narinfos; no local Nix store is needed.",
        "Deletes unreachable narinfos (referrers first), then their NARs, then NAR files no"
            + " narinfo names that are older than the grace period. A push running at the same"
            + " time loses nothing. Refuses to run when the scheduler cannot be read.",
        "The cache must be listable: file://, s3://, or an HTTP server with a JSON index"
            + " (nginx: autoindex on; autoindex_format json; dav_methods PUT DELETE)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  nix-aurora cache gc --cluster prod",
        "  nix-aurora cache gc --cluster prod --delete --grace 7d",
        "  nix-aurora cache gc file:///srv/cache --no-scheduler --roots-file roots.txt --delete"
      })
  public static final class Gc implements Callable<Integer> {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "URL",
        description = "The cache (default: the cluster's cache_url).")
    String url;

    @Option(
        names = "--cluster",
        paramLabel = "CLUSTER",
        description = "The cluster whose scheduler says which configurations are live.")
    String cluster;

    @Option(
        names = "--no-scheduler",
        description =
            "Do not ask a scheduler (the cli submitter cannot list configurations): only"
                + " --root/--roots-file and the grace period are roots.")
    boolean noScheduler;

    @Option(names = "--delete", description = "Delete (default: a dry run that only reports).")
    boolean delete;

    @Option(names = "--dry-run", description = "Only report what would go (the default).")
    boolean dryRun;

    @Option(
        names = "--grace",
        paramLabel = "AGE",
        description = "Keep everything pushed within AGE (s, m, h or d; default 3d).")
    String grace = "3d";

    @Option(
        names = "--root",
        paramLabel = "STOREPATH",
        description = "A live store path (repeatable).")
    List<String> roots = new ArrayList<>();

    @Option(
        names = "--roots-file",
        paramLabel = "FILE",
        description = "A file of live store paths, one a line (# comments).")
    String rootsFile;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(
        names = "--settle",
        paramLabel = "AGE",
        description =
            "With --cluster and --delete: read the scheduler's roots again AGE after deleting"
                + " narinfos (a job submitted meanwhile keeps its paths; default 30s).")
    String settle = "30s";

    @Option(
        names = "--netrc-file",
        paramLabel = "FILE",
        description = "Credentials for an HTTP cache (default: ~/.netrc).")
    String netrcFile;

    @Mixin ClusterOptions clusterOptions;
    @Mixin GlobalOptionsMixin global;
    @Spec CommandSpec spec;
    private final Session session;

    @Inject
    Gc(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() throws Exception {
      Environment env = session.environment();
      PrintWriter err = spec.commandLine().getErr();
      if (delete && dryRun) {
        throw new CliException(CliException.USAGE, "--delete and --dry-run contradict", null);
      }
      if (cluster == null && !noScheduler) {
        throw new CliException(
            CliException.USAGE,
            "cache gc needs the cluster whose scheduler says which configurations are live",
            "pass --cluster CLUSTER, or --no-scheduler with --root/--roots-file");
      }
      if (cluster != null && noScheduler) {
        throw new CliException(CliException.USAGE, "--cluster and --no-scheduler contradict", null);
      }
      Duration graceAge = parseAge(grace);
      Set<StorePath> live = new TreeSet<>(storePaths(env, roots));
      if (rootsFile != null) {
        live.addAll(readRootsFile(env.resolve(rootsFile)));
      }
      Duration settleAge = parseAge(settle);
      ConsoleListener console = session.console(err);
      String cacheText = url;
      CacheGc.RootsSource again = null;
      if (cluster != null) {
        Pipeline pipeline = session.pipeline(session.cluster(cluster, clusterOptions), err);
        Set<StorePath> given = Set.copyOf(live);
        again =
            () -> {
              try {
                Set<StorePath> now = new TreeSet<>(given);
                now.addAll(pipeline.submitter().liveStorePaths(cluster));
                return now;
              } catch (SubmitException e) {
                throw new CacheException(
                    CacheException.Kind.FAILURE,
                    "cannot read the scheduler's roots again after deleting narinfos: "
                        + e.getMessage()
                        + "; NAR files were kept (run cache gc again)",
                    e);
              } catch (CliException e) {
                throw new CacheException(CacheException.Kind.FAILURE, e.getMessage(), e);
              }
            };
        if (cacheText == null) {
          cacheText = pipeline.settings().get("cache_url");
          if (cacheText == null) {
            throw CliException.configuration(
                "cluster " + cluster + " has no cache_url", "pass the cache URL");
          }
        }
        Set<StorePath> fromScheduler;
        try {
          fromScheduler = pipeline.submitter().liveStorePaths(cluster);
        } catch (SubmitException e) {
          throw CliException.failure(
              "cannot read which configurations the scheduler of "
                  + cluster
                  + " may launch: "
                  + e.getMessage()
                  + "; nothing was deleted",
              "fix the scheduler connection (the http submitter lists them), or pass"
                  + " --no-scheduler with every live path in --root/--roots-file");
        }
        console.on(
            LogEvent.info(
                fromScheduler.size()
                    + " store path(s) named by live configurations of "
                    + cluster));
        live.addAll(fromScheduler);
      }
      if (cacheText == null) {
        throw new CliException(CliException.USAGE, "which cache? pass its URL", null);
      }
      CacheUrl cache = cacheUrl(cacheText);
      CacheGc.Report report;
      try (BinaryCacheTarget target =
          BinaryCacheTarget.openExisting(cache, credentials(env, cache, netrcFile))) {
        CacheGc.Builder gc =
            CacheGc.builder()
                .target(target)
                .roots(live)
                .grace(graceAge)
                .delete(delete)
                .events(console);
        if (again != null) {
          gc.rootsSource(again, settleAge);
        }
        report = gc.build().run();
      }
      console.finish();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("cache", cache.toString());
        root.put("dry_run", report.dryRun());
        root.put("paths", report.paths());
        root.put("live_paths", report.livePaths());
        root.put("dead_narinfos", report.deadNarInfos());
        root.put("bytes", report.bytes());
        root.put("restored", report.restored());
        ArrayNode dead = root.putArray("dead_paths");
        report.deadPaths().forEach(p -> dead.add(p.toString()));
        ArrayNode nars = root.putArray("nars");
        report.nars().forEach(nars::add);
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      } else {
        report.deadPaths().forEach(out::println);
      }
      out.flush();
      console.summary(report.summary() + " in " + cache);
      return 0;
    }

    static Duration parseAge(String text) throws CliException {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text.strip());
      if (!m.matches()) {
        throw new CliException(
            CliException.USAGE, "--grace: '" + text + "' is not an age", "such as 36h or 3d");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    static List<StorePath> readRootsFile(Path file) throws CliException {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(CliException.USAGE, "--roots-file: cannot read " + file, null);
      }
      List<StorePath> out = new ArrayList<>();
      int n = 0;
      for (String line : lines) {
        n++;
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        try {
          out.add(StorePath.of(l));
        } catch (IllegalArgumentException e) {
          throw new CliException(
              CliException.USAGE, file + ":" + n + ": not a store path: " + e.getMessage(), null);
        }
      }
      return out;
    }
  }

  static CacheUrl cacheUrl(String text) throws CliException {
    try {
      return CacheUrl.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          CliException.USAGE,
          e.getMessage(),
          "a cache URL is file:///absolute/dir, http(s)://host/prefix or s3://bucket/prefix");
    }
  }

  static SigningKey readKey(Path file) throws CliException {
    try {
      return SigningKey.read(file);
    } catch (NoSuchFileException e) {
      throw CliException.configuration(
          "secret key file " + file + " does not exist",
          "check the path, or make a key with `nix-aurora cache keygen NAME`");
    } catch (AccessDeniedException e) {
      throw CliException.configuration(
          "cannot read secret key file " + file + ": permission denied",
          "run as the key's owner, or make it readable to this user (keep it private)");
    } catch (IOException e) {
      throw CliException.configuration("cannot read secret key file " + file + ": " + e, null);
    } catch (IllegalArgumentException e) {
      throw CliException.configuration(
          file + " is not a Nix secret key: " + e.getMessage(),
          "pass the .sec file written by `nix-aurora cache keygen` or nix-store"
              + " --generate-binary-cache-key");
    }
  }

  static PublicKey publicKey(Environment env, String text) throws CliException {
    String value = text;
    if (!text.contains(":")) {
      Path file = env.resolve(text);
      try {
        value = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new CliException(
            CliException.USAGE,
            "--public-key " + text + ": neither NAME:BASE64 nor a readable file",
            "pass the key itself (as in trusted-public-keys) or the .pub file");
      }
    }
    try {
      return PublicKey.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          CliException.USAGE,
          "--public-key: " + e.getMessage(),
          "a public key is NAME:BASE64, as in trusted-public-keys");
    }
  }

  static List<StorePath> storePaths(Environment env, List<String> arguments) throws CliException {
    List<StorePath> out = new ArrayList<>();
    for (String a : arguments) {
      String path = a;
      if (!a.startsWith(StorePath.STORE_DIR + "/")) {
        // ./result and other links into the store, as nix copy takes them
        try {
          path = env.resolve(a).toRealPath().toString();
        } catch (IOException e) {
          throw new CliException(
              CliException.USAGE, "'" + a + "' is not a store path and does not exist", null);
        }
      }
      try {
        StorePath p = StorePath.of(path);
        out.add(p);
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, "'" + a + "': " + e.getMessage(), null);
      }
    }
    return out;
  }

  static Optional<Credentials> credentials(Environment env, CacheUrl url, String netrcFile)
      throws CacheException {
    if (url.isFile() || url.isS3()) {
      return Optional.empty();
    }
    Path netrc = netrcFile == null ? env.home().resolve(".netrc") : env.resolve(netrcFile);
    try {
      return Credentials.fromNetrc(netrc, url.base().getHost());
    } catch (IOException e) {
      throw new CacheException(
          CacheException.Kind.FAILURE, "cannot read netrc file " + netrc + ": " + e, e);
    }
  }
}
