package io.nixaurora.examples.plugin;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A store provider from another jar, as a plugin author writes one: {@code journal} publishes
 * through the local store (GC roots on this machine) and appends one line per publication to a
 * journal file, an audit trail of what was published when. It is registered for {@link
 * java.util.ServiceLoader} in {@code META-INF/services/io.nixaurora.api.StoreProviderFactory}, so a
 * CLI with this jar on its classpath offers {@code --store journal}; its test extends the tck's
 * {@code StoreProviderContract}.
 *
 * <p>Settings: {@code journal_file} (required, absolute) and every setting of the local provider.
 */
public final class JournalStoreProviderFactory implements StoreProviderFactory {

  /** The setting that names the journal. */
  public static final String JOURNAL_FILE = "journal_file";

  @Override
  public String name() {
    return "journal";
  }

  @Override
  public StoreProvider create(Map<String, String> settings) {
    String journal = settings.get(JOURNAL_FILE);
    if (journal == null || journal.isBlank()) {
      throw new IllegalArgumentException(JOURNAL_FILE + ": required (an absolute file name)");
    }
    Path file = Path.of(journal);
    if (!file.isAbsolute()) {
      throw new IllegalArgumentException(JOURNAL_FILE + ": must be absolute, not " + journal);
    }
    // The local provider gets its own settings only: the journal's key is not one of them.
    Map<String, String> local = new HashMap<>(settings);
    local.remove(JOURNAL_FILE);
    return new Journal(new LocalStoreProviderFactory().create(local), file);
  }

  /** The local provider, with every publication journaled after it succeeded. */
  private record Journal(StoreProvider local, Path file) implements StoreProvider {

    @Override
    public String name() {
      return "journal";
    }

    @Override
    public InitCommand initCommand() {
      return local.initCommand();
    }

    @Override
    public Publication publish(BuiltJob job, EventListener events) throws StoreException {
      Publication published = local.publish(job, events);
      // One line per publication, written with one append: concurrent publishes never interleave
      // within a line. A refused publish (above) journals nothing.
      String line = Instant.now() + " " + job.key() + " " + published.paths().size() + " paths\n";
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            line,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new StoreException("cannot write the journal " + file + ": " + e.getMessage(), e);
      }
      return new Publication(
          published.initCommand(), published.paths(), published.summary() + ", journaled");
    }

    @Override
    public Set<JobKey> retainedJobs() throws StoreException {
      return local.retainedJobs();
    }

    @Override
    public boolean release(JobKey key, EventListener events) throws StoreException {
      return local.release(key, events);
    }
  }
}
