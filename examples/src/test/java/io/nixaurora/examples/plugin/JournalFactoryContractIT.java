package io.nixaurora.examples.plugin;

import io.nixaurora.tck.FactoryContract;
import java.nio.file.Path;
import java.util.Map;

/** The journal plugin's factory keeps the tck's factory contract, as a plugin author checks it. */
class JournalFactoryContractIT extends FactoryContract {

  @Override
  protected Factory factory() {
    return Factory.of(new JournalStoreProviderFactory());
  }

  @Override
  protected Map<String, String> workingSettings(Path dir) {
    return Map.of(
        "journal_file", dir.resolve("journal.log").toString(),
        "gc_roots_dir", dir.resolve("roots").toString());
  }
}
