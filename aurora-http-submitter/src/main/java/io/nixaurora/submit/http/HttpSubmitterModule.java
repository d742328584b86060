package io.nixaurora.submit.http;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import io.nixaurora.api.SubmitterFactory;

/** Binds the {@code http} submitter into the map of submitter factories. */
@Module
public abstract class HttpSubmitterModule {
  private HttpSubmitterModule() {}

  @Binds
  @IntoMap
  @StringKey("http")
  abstract SubmitterFactory httpSubmitter(HttpSubmitterFactory factory);
}
