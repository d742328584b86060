package io.nixaurora.nix.cache;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.nix.local.NixDiagnosis;
import io.nixaurora.nix.local.NixStore;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;

/** Makes {@link BinaryCacheStoreProvider}s from a cluster's store settings. */
public final class BinaryCacheStoreProviderFactory implements StoreProviderFactory {

  @Inject
  public BinaryCacheStoreProviderFactory() {}

  @Override
  public String name() {
    return BinaryCacheStoreProvider.NAME;
  }

  @Override
  public List<SettingDeclaration> settings() {
    return BinaryCacheConfig.DECLARATIONS;
  }

  /**
   * @throws IllegalArgumentException naming the setting when a value is missing or bad
   */
  @Override
  public StoreProvider create(BackendContext context) {
    BinaryCacheConfig config = BinaryCacheConfig.from(context);
    return new BinaryCacheStoreProvider(config, new NixStore(config.store().localRunner()));
  }

  /**
   * This machine's Nix (it builds and reads closures), the signing key, the cache (reachable, a
   * cache, narinfos signed by the key) and what the agents need.
   */
  @Override
  public List<Diagnosis> diagnose(BackendContext context) {
    List<Diagnosis> out = new ArrayList<>();
    BinaryCacheConfig config;
    try {
      config = BinaryCacheConfig.from(context);
    } catch (IllegalArgumentException e) {
      out.add(
          Diagnosis.fail(
              "store provider " + name() + ": " + e.getMessage(),
              "fix that setting (`nix-aurora config CLUSTER` shows where it is set)"));
      return out;
    }
    out.addAll(NixDiagnosis.localNix(config.store(), context));
    out.add(Diagnosis.ok("store provider: " + name()));
    out.addAll(
        new BinaryCacheDiagnosis(config, context.settings().isSet(BinaryCacheConfig.NETRC_FILE))
            .run());
    out.addAll(NixDiagnosis.agents(config.store(), context));
    return out;
  }
}
