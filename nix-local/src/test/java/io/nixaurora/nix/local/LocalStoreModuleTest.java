package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dagger.Component;
import io.nixaurora.api.StoreProviderFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Dagger module binds the factory under "local", as the CLI's component will see it. */
class LocalStoreModuleTest {

  @Component(modules = LocalStoreModule.class)
  interface Stores {
    Map<String, StoreProviderFactory> factories();
  }

  @Test
  void bindsTheLocalFactoryUnderItsName() {
    Map<String, StoreProviderFactory> factories =
        DaggerLocalStoreModuleTest_Stores.create().factories();
    assertEquals(java.util.Set.of("local"), factories.keySet());
    StoreProviderFactory local = factories.get("local");
    assertInstanceOf(LocalStoreProviderFactory.class, local);
    assertEquals("local", local.name());
    assertEquals("local", local.create(Map.of()).name());
  }
}
