package io.nixaurora.submit.cli;

import io.nixaurora.tck.FactoryContract;
import java.nio.file.Path;
import java.util.Map;

/** The cli submitter's factory keeps the tck's factory contract. */
class AuroraCliSubmitterFactoryContractTest extends FactoryContract {

  @Override
  protected Factory factory() {
    return Factory.of(new AuroraCliSubmitterFactory());
  }

  @Override
  protected Map<String, String> workingSettings(Path dir) {
    return Map.of("aurora_config_root", dir.resolve("aurora").toString());
  }
}
