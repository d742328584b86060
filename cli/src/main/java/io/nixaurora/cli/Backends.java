package io.nixaurora.cli;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingProblem;
import io.nixaurora.api.settings.Settings;
import io.nixaurora.api.settings.SettingsException;
import io.nixaurora.api.settings.SettingsValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * Every store provider and submitter the CLI knows, by name: the built-in ones bound into maps by
 * the backend modules' Dagger modules, and those from other jars found by {@link
 * java.util.ServiceLoader}. Picks one by the configured name and logs the choice.
 */
@Singleton
public final class Backends {

  /** Qualifier of the factories found by ServiceLoader. */
  public static final String SERVICE_LOADED = "service-loaded";

  private final Map<String, StoreProviderFactory> stores;
  private final Map<String, SubmitterFactory> submitters;
  private final List<String> problems;
  private final Environment environment;

  /** Made on first use: the declarations of every backend, which not every command needs. */
  private SettingsValidator validator;

  /** The backends, made in this process's environment. */
  public Backends(
      Map<String, StoreProviderFactory> builtInStores,
      Map<String, SubmitterFactory> builtInSubmitters,
      Set<StoreProviderFactory> loadedStores,
      Set<SubmitterFactory> loadedSubmitters) {
    this(builtInStores, builtInSubmitters, loadedStores, loadedSubmitters, Environment.system());
  }

  /**
   * @param environment what backends are given as their environment (variables, working directory,
   *     home)
   */
  @Inject
  public Backends(
      Map<String, StoreProviderFactory> builtInStores,
      Map<String, SubmitterFactory> builtInSubmitters,
      @Named(SERVICE_LOADED) Set<StoreProviderFactory> loadedStores,
      @Named(SERVICE_LOADED) Set<SubmitterFactory> loadedSubmitters,
      Environment environment) {
    this.environment = environment;
    this.problems = new ArrayList<>();
    this.stores =
        merge("store provider", builtInStores, loadedStores, StoreProviderFactory::name, problems);
    this.submitters =
        merge("submitter", builtInSubmitters, loadedSubmitters, SubmitterFactory::name, problems);
  }

  private static <F> Map<String, F> merge(
      String kind,
      Map<String, F> builtIn,
      Set<F> loaded,
      Function<F, String> name,
      List<String> problems) {
    Map<String, F> out = new TreeMap<>(builtIn);
    for (F factory : loaded) {
      String n = name.apply(factory);
      F existing = out.get(n);
      if (existing == null) {
        out.put(n, factory);
      } else if (!existing.getClass().equals(factory.getClass())) {
        // The same class found twice (a built-in that also lists itself for ServiceLoader) is
        // harmless; two different backends claiming one name would make the choice silent.
        problems.add(
            "two "
                + kind
                + "s are named '"
                + n
                + "': "
                + existing.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
    return out;
  }

  /** The names of the known store providers. */
  public Set<String> storeNames() {
    return stores.keySet();
  }

  /** The names of the known submitters. */
  public Set<String> submitterNames() {
    return submitters.keySet();
  }

  /** A declared key and who declares it ({@code cli} for the CLI's own). */
  public record Declared(SettingDeclaration declaration, List<String> owners) {}

  /**
   * Every declared key, the CLI's own first, then the store providers' and the submitters' (a key
   * several backends read, such as {@code netrc_file}, once, with every owner).
   */
  public List<Declared> declarations() {
    Map<String, SettingDeclaration> first = new LinkedHashMap<>();
    Map<String, List<String>> owners = new LinkedHashMap<>();
    BiConsumer<String, List<SettingDeclaration>> add =
        (owner, list) -> {
          for (SettingDeclaration d : list) {
            first.putIfAbsent(d.key(), d);
            owners.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(owner);
          }
        };
    add.accept("cli", Setting.DECLARATIONS);
    stores.forEach((name, f) -> add.accept(name, f.settings()));
    submitters.forEach((name, f) -> add.accept(name, f.settings()));
    List<Declared> out = new ArrayList<>();
    first.forEach((k, d) -> out.add(new Declared(d, List.copyOf(owners.get(k)))));
    return out;
  }

  /** Checks keys and values against every declaration (the CLI's own and every backend's). */
  public synchronized SettingsValidator validator() {
    if (validator == null) {
      List<SettingDeclaration> all = new ArrayList<>(Setting.DECLARATIONS);
      stores.values().forEach(f -> all.addAll(f.settings()));
      submitters.values().forEach(f -> all.addAll(f.settings()));
      validator = SettingsValidator.of(all);
    }
    return validator;
  }

  /** Whether a set setting's value is never to be shown. */
  public boolean secret(String key) {
    return validator().declarations(key).stream().anyMatch(SettingDeclaration::secret);
  }

  /** The declarations of the store provider {@code name} (empty if unknown). */
  public List<SettingDeclaration> storeSettings(String name) {
    StoreProviderFactory f = stores.get(name);
    return f == null ? List.of() : f.settings();
  }

  /** The declarations of the submitter {@code name} (empty if unknown). */
  public List<SettingDeclaration> submitterSettings(String name) {
    SubmitterFactory f = submitters.get(name);
    return f == null ? List.of() : f.settings();
  }

  /**
   * What a backend is given: its settings checked against its declarations, events and this
   * command's environment.
   *
   * @throws CliException (exit 3) with every value it refuses (a required key unset, a value that
   *     does not fit its type), each naming where it was set
   */
  private BackendContext context(
      ClusterConfig config, List<SettingDeclaration> declared, EventListener events, String kind)
      throws CliException {
    Settings settings;
    try {
      settings = Settings.of(declared, config.settings(), config.sources());
    } catch (SettingsException e) {
      List<String> lines = e.problems().stream().map(SettingProblem::line).toList();
      throw CliException.configuration(
          "the "
              + kind
              + " of cluster "
              + config.cluster()
              + " refused "
              + (lines.size() == 1
                  ? "a setting: " + lines.get(0)
                  : lines.size() + " settings:\n  " + String.join("\n  ", lines)),
          "fix the settings named (`nix-aurora config "
              + config.cluster()
              + "` shows where each comes from)");
    }
    return BackendContext.builder()
        .cluster(config.cluster())
        .settings(settings)
        .events(events)
        .variables(environment.variables())
        .workingDirectory(environment.workingDirectory())
        .home(environment.home())
        .build();
  }

  /**
   * The store provider's checks of itself, for {@code doctor}; a failure to find it or to accept
   * the settings is one failed check.
   */
  public List<Diagnosis> diagnoseStore(ClusterConfig config, EventListener events) {
    try {
      StoreProviderFactory factory = storeFactory(config);
      return factory.diagnose(context(config, factory.settings(), events, "store provider"));
    } catch (CliException e) {
      return List.of(Diagnosis.fail("store provider: " + oneLine(e), e.suggestion()));
    }
  }

  /** The submitter's checks of itself, for {@code doctor}. */
  public List<Diagnosis> diagnoseSubmitter(ClusterConfig config, EventListener events) {
    try {
      SubmitterFactory factory = submitterFactory(config);
      return factory.diagnose(context(config, factory.settings(), events, "submitter"));
    } catch (CliException e) {
      return List.of(Diagnosis.fail("submitter: " + oneLine(e), e.suggestion()));
    }
  }

  /** A doctor line is one line: several refused settings are joined. */
  private static String oneLine(CliException e) {
    return String.join("; ", e.getMessage().lines().map(String::strip).toList());
  }

  private StoreProviderFactory storeFactory(ClusterConfig config) throws CliException {
    checkNoDuplicates();
    StoreProviderFactory factory = stores.get(config.store());
    if (factory == null) {
      throw unknown("store provider", config.store(), stores.keySet(), "--store", config);
    }
    return factory;
  }

  private SubmitterFactory submitterFactory(ClusterConfig config) throws CliException {
    checkNoDuplicates();
    SubmitterFactory factory = submitters.get(config.submitter());
    if (factory == null) {
      throw unknown("submitter", config.submitter(), submitters.keySet(), "--submitter", config);
    }
    return factory;
  }

  /** The factory class of a store provider, for {@code doctor} and {@code --verbose}. */
  public String storeOrigin(String name) {
    StoreProviderFactory f = stores.get(name);
    return f == null ? "?" : f.getClass().getName();
  }

  /**
   * Makes the configured store provider.
   *
   * @throws CliException (exit 3) for an unknown or duplicate name, or a setting it refuses
   */
  public StoreProvider storeProvider(ClusterConfig config, EventListener events)
      throws CliException {
    StoreProviderFactory factory = storeFactory(config);
    String name = config.store();
    BackendContext context = context(config, factory.settings(), events, "store provider");
    StoreProvider provider;
    try {
      provider = factory.create(context);
    } catch (IllegalArgumentException e) {
      throw refused("store provider '" + name + "'", e, config);
    }
    events.on(
        LogEvent.debug(
            "store provider: "
                + name
                + " ("
                + factory.getClass().getName()
                + ") for cluster "
                + config.cluster()));
    return provider;
  }

  /**
   * Makes the configured submitter; its warnings (retries, redirects, auth) reach {@code events}.
   *
   * @throws CliException (exit 3) for an unknown or duplicate name, or a setting it refuses
   */
  public Submitter submitter(ClusterConfig config, EventListener events) throws CliException {
    SubmitterFactory factory = submitterFactory(config);
    String name = config.submitter();
    BackendContext context = context(config, factory.settings(), events, "submitter");
    Submitter submitter;
    try {
      submitter = factory.create(context);
    } catch (IllegalArgumentException e) {
      throw refused("submitter '" + name + "'", e, config);
    }
    events.on(
        LogEvent.debug(
            "submitter: "
                + name
                + " ("
                + factory.getClass().getName()
                + ") for cluster "
                + config.cluster()));
    return submitter;
  }

  private void checkNoDuplicates() throws CliException {
    if (!problems.isEmpty()) {
      throw CliException.configuration(
          problems.get(0), "remove one of the two jars from the classpath");
    }
  }

  private static CliException unknown(
      String kind, String name, Set<String> known, String flag, ClusterConfig config) {
    return CliException.configuration(
        "unknown "
            + kind
            + " '"
            + name
            + "' for cluster "
            + config.cluster()
            + " (known: "
            + (known.isEmpty() ? "none" : String.join(", ", known))
            + ")",
        "use " + flag + " with one of the known names, or fix " + sourceOf(config, kind));
  }

  private static String sourceOf(ClusterConfig config, String kind) {
    String key = kind.equals("submitter") ? "submitter" : "store";
    return "'" + key + "' (set by " + config.sources().getOrDefault(key, "?") + ")";
  }

  private static CliException refused(String what, IllegalArgumentException e, ClusterConfig c) {
    return CliException.configuration(
        what + " refused the settings of cluster " + c.cluster() + ": " + e.getMessage(),
        "fix that setting (`nix-aurora config " + c.cluster() + "` shows where each comes from)");
  }
}
