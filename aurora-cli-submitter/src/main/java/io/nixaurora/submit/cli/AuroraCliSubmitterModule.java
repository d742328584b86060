package io.nixaurora.submit.cli;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import io.nixaurora.api.SubmitterFactory;

/** Binds the {@code cli} submitter's factory into the map of submitter factories. */
@Module
public abstract class AuroraCliSubmitterModule {

  private AuroraCliSubmitterModule() {}

  @Binds
  @IntoMap
  @StringKey(AuroraCliSubmitter.NAME)
  abstract SubmitterFactory cliSubmitterFactory(AuroraCliSubmitterFactory factory);
}
