package io.nixaurora.cli;

import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  @Inject
  public Backends(
      Map<String, StoreProviderFactory> builtInStores,
      Map<String, SubmitterFactory> builtInSubmitters,
      @Named(SERVICE_LOADED) Set<StoreProviderFactory> loadedStores,
      @Named(SERVICE_LOADED) Set<SubmitterFactory> loadedSubmitters) {
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
    checkNoDuplicates();
    String name = config.store();
    StoreProviderFactory factory = stores.get(name);
    if (factory == null) {
      throw unknown("store provider", name, stores.keySet(), "--store", config);
    }
    StoreProvider provider;
    try {
      provider = factory.create(config.settings());
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
   * Makes the configured submitter.
   *
   * @throws CliException (exit 3) for an unknown or duplicate name, or a setting it refuses
   */
  public Submitter submitter(ClusterConfig config, EventListener events) throws CliException {
    checkNoDuplicates();
    String name = config.submitter();
    SubmitterFactory factory = submitters.get(name);
    if (factory == null) {
      throw unknown("submitter", name, submitters.keySet(), "--submitter", config);
    }
    Submitter submitter;
    try {
      submitter = factory.create(config.settings(), events);
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
