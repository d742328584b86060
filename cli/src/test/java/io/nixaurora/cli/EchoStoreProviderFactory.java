package io.nixaurora.cli;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.event.EventListener;
import java.util.List;
import java.util.Map;

/**
 * A store provider from "another jar": registered for ServiceLoader in the test resources only, so
 * the tests can show a plugin joining the built-in providers by name.
 */
public final class EchoStoreProviderFactory implements StoreProviderFactory {

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public StoreProvider create(Map<String, String> settings) {
    String word = settings.getOrDefault("echo_word", "realise");
    InitCommand init = script -> "echo " + word + " " + script.path();
    return new StoreProvider() {
      @Override
      public String name() {
        return "echo";
      }

      @Override
      public InitCommand initCommand() {
        return init;
      }

      @Override
      public Publication publish(BuiltJob job, EventListener events) {
        return new Publication(init, List.of(), "echo: nothing to publish");
      }
    };
  }
}
