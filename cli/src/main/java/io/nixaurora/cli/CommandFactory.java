package io.nixaurora.cli;

import java.util.Map;
import javax.inject.Inject;
import javax.inject.Provider;
import picocli.CommandLine;

/** Creates picocli's commands and mixins through the Dagger component. */
public final class CommandFactory implements CommandLine.IFactory {
  private final Map<Class<?>, Provider<Object>> commands;

  @Inject
  CommandFactory(Map<Class<?>, Provider<Object>> commands) {
    this.commands = commands;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    Provider<Object> provider = commands.get(type);
    if (provider != null) {
      return type.cast(provider.get());
    }
    // picocli's own types (converters, help command, version provider without dependencies)
    return CommandLine.defaultFactory().create(type);
  }
}
