package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.event.LogEvent;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backends by name: Dagger's maps, ServiceLoader plugins, unknown and duplicate names. */
class BackendsTest {

  @TempDir Path tmp;

  private static ClusterConfig config(String store, String submitter) throws CliException {
    return Configuration.empty().forCluster("c", Map.of("store", store, "submitter", submitter));
  }

  @Test
  void theComponentKnowsEveryBuiltInBackendAndThePlugin() throws Exception {
    // The test classpath registers EchoStoreProviderFactory for ServiceLoader.
    Backends backends =
        DaggerCliComponent.factory()
            .create(new Cli(tmp).environment(), getClass().getClassLoader())
            .backends();
    assertEquals(Set.of("binary-cache", "echo", "local"), backends.storeNames());
    assertEquals(Set.of("cli", "http"), backends.submitterNames());
  }

  @Test
  void theChoiceIsLogged() throws Exception {
    Backends backends =
        new Backends(
            Map.of("local", new LocalStoreProviderFactory()), Map.of(), Set.of(), Set.of());
    List<String> log = new ArrayList<>();
    EventListener events = e -> log.add(((LogEvent) e).message());
    assertEquals("local", backends.storeProvider(config("local", "cli"), events).name());
    assertTrue(
        log.get(0)
            .startsWith("store provider: local (" + LocalStoreProviderFactory.class.getName()),
        log.toString());
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    Backends backends =
        new Backends(
            Map.of("local", new LocalStoreProviderFactory()),
            Map.<String, SubmitterFactory>of(),
            Set.of(new EchoStoreProviderFactory()),
            Set.of());
    CliException e =
        assertThrows(
            CliException.class,
            () -> backends.storeProvider(config("nfs", "cli"), EventListener.NONE));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains("unknown store provider 'nfs'"), e.getMessage());
    assertTrue(e.getMessage().contains("(known: echo, local)"), e.getMessage());
    CliException s =
        assertThrows(
            CliException.class,
            () -> backends.submitter(config("local", "ssh"), EventListener.NONE));
    assertTrue(s.getMessage().contains("(known: none)"), s.getMessage());
  }

  @Test
  void twoBackendsWithOneNameAreRefused() {
    StoreProviderFactory impostor =
        new StoreProviderFactory() {
          @Override
          public String name() {
            return "local";
          }

          @Override
          public io.nixaurora.api.StoreProvider create(Map<String, String> settings) {
            throw new AssertionError("must not be used");
          }
        };
    Backends backends =
        new Backends(
            Map.of("local", new LocalStoreProviderFactory()), Map.of(), Set.of(impostor), Set.of());
    CliException e =
        assertThrows(
            CliException.class,
            () -> backends.storeProvider(config("local", "cli"), EventListener.NONE));
    assertTrue(e.getMessage().contains("two store providers are named 'local'"), e.getMessage());
  }

  @Test
  void theSameClassFoundTwiceIsNotADuplicate() throws Exception {
    Backends backends =
        new Backends(
            Map.of("local", new LocalStoreProviderFactory()),
            Map.of(),
            Set.of(new LocalStoreProviderFactory()),
            Set.of());
    assertEquals(
        "local", backends.storeProvider(config("local", "cli"), EventListener.NONE).name());
  }

  @Test
  void aSettingTheBackendRefusesIsAConfigurationError() {
    Backends backends =
        new Backends(
            Map.of("binary-cache", new io.nixaurora.nix.cache.BinaryCacheStoreProviderFactory()),
            Map.of(),
            Set.of(),
            Set.of());
    CliException e =
        assertThrows(
            CliException.class,
            () -> backends.storeProvider(config("binary-cache", "cli"), EventListener.NONE));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains("cache_url"), e.getMessage());
  }
}
