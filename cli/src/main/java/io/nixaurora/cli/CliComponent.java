package io.nixaurora.cli;

import dagger.BindsInstance;
import dagger.Component;
import io.nixaurora.nix.cache.BinaryCacheModule;
import io.nixaurora.nix.local.LocalStoreModule;
import io.nixaurora.submit.cli.AuroraCliSubmitterModule;
import io.nixaurora.submit.http.HttpSubmitterModule;
import javax.inject.Singleton;

/**
 * Wires the command: the backend modules bind their factories into maps by name, {@link
 * BackendsModule} adds ServiceLoader plugins, and picocli creates every command and mixin through
 * {@link #commandFactory()}.
 */
@Singleton
@Component(
    modules = {
      BackendsModule.class,
      CommandsModule.class,
      LocalStoreModule.class,
      BinaryCacheModule.class,
      AuroraCliSubmitterModule.class,
      HttpSubmitterModule.class
    })
public interface CliComponent {

  /** picocli's factory: commands and mixins come from this component. */
  CommandFactory commandFactory();

  /** Every known backend, built-in and from ServiceLoader. */
  Backends backends();

  /** The options shared by every command (verbosity, configuration file, stack traces). */
  GlobalOptions globalOptions();

  /** What the running command is doing, for the line a SIGINT/SIGTERM ends with. */
  Interruption interruption();

  /** Makes the component. */
  @Component.Factory
  interface Factory {
    /**
     * @param environment working directory, home, variables, terminal
     * @param pluginLoader where ServiceLoader looks for backends from other jars
     */
    CliComponent create(
        @BindsInstance Environment environment, @BindsInstance ClassLoader pluginLoader);
  }
}
