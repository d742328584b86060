package io.nixaurora.cli;

import dagger.BindsInstance;
import dagger.Subcomponent;
import io.nixaurora.api.event.EventListener;

/**
 * One cluster's pipeline: made once the cluster's effective configuration is known (after the
 * command line is parsed and the configuration file read), which is bound in as an instance.
 */
@Subcomponent
public interface ClusterComponent {

  Pipeline pipeline();

  /** Makes the subcomponent. */
  @Subcomponent.Factory
  interface Factory {
    ClusterComponent create(
        @BindsInstance ClusterConfig config, @BindsInstance EventListener events);
  }
}
