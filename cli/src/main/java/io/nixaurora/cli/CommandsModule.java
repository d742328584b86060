package io.nixaurora.cli;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;

/** Every command and mixin picocli creates, so that they are made by the component. */
@Module(subcomponents = ClusterComponent.class)
abstract class CommandsModule {
  @Binds
  @IntoMap
  @ClassKey(NixAuroraCommand.class)
  abstract Object root(NixAuroraCommand c);

  @Binds
  @IntoMap
  @ClassKey(GlobalOptionsMixin.class)
  abstract Object globalOptions(GlobalOptionsMixin c);

  @Binds
  @IntoMap
  @ClassKey(BuildCommand.class)
  abstract Object build(BuildCommand c);

  @Binds
  @IntoMap
  @ClassKey(CreateCommand.class)
  abstract Object create(CreateCommand c);

  @Binds
  @IntoMap
  @ClassKey(UpdateCommand.class)
  abstract Object update(UpdateCommand c);

  @Binds
  @IntoMap
  @ClassKey(KillCommand.class)
  abstract Object kill(KillCommand c);

  @Binds
  @IntoMap
  @ClassKey(StatusCommand.class)
  abstract Object status(StatusCommand c);

  @Binds
  @IntoMap
  @ClassKey(DiffCommand.class)
  abstract Object diff(DiffCommand c);

  @Binds
  @IntoMap
  @ClassKey(RunCommand.class)
  abstract Object run(RunCommand c);

  @Binds
  @IntoMap
  @ClassKey(CacheCommand.class)
  abstract Object cache(CacheCommand c);

  @Binds
  @IntoMap
  @ClassKey(GcRootsCommand.class)
  abstract Object gcRoots(GcRootsCommand c);

  @Binds
  @IntoMap
  @ClassKey(AgentConfigCommand.class)
  abstract Object agentConfig(AgentConfigCommand c);

  @Binds
  @IntoMap
  @ClassKey(DoctorCommand.class)
  abstract Object doctor(DoctorCommand c);

  @Binds
  @IntoMap
  @ClassKey(ConfigCommand.class)
  abstract Object config(ConfigCommand c);

  @Binds
  @IntoMap
  @ClassKey(CompletionCommand.class)
  abstract Object completion(CompletionCommand c);

  @Binds
  @IntoMap
  @ClassKey(CacheCommand.Keygen.class)
  abstract Object cacheKeygen(CacheCommand.Keygen c);

  @Binds
  @IntoMap
  @ClassKey(CacheCommand.Push.class)
  abstract Object cachePush(CacheCommand.Push c);

  @Binds
  @IntoMap
  @ClassKey(CacheCommand.Verify.class)
  abstract Object cacheVerify(CacheCommand.Verify c);

  @Binds
  @IntoMap
  @ClassKey(CacheCommand.Gc.class)
  abstract Object cacheGc(CacheCommand.Gc c);
}
