package io.nixaurora.examples.plugin;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.InitCommand;
import io.nixaurora.api.JobKey;
import io.nixaurora.api.Publication;
import io.nixaurora.api.StoreException;
import io.nixaurora.api.StoreProvider;
import io.nixaurora.api.StoreProviderFactory;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.settings.SettingDeclaration;
import io.nixaurora.api.settings.SettingType;
import io.nixaurora.nix.local.LocalStoreProviderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  private final LocalStoreProviderFactory local = new LocalStoreProviderFactory();

  @Override
  public String name() {
    return "journal";
  }

  /** {@code journal_file} and every setting of the local provider, which does the publishing. */
  @Override
  public List<SettingDeclaration> settings() {
    List<SettingDeclaration> out = new ArrayList<>(local.settings());
    out.add(
        SettingDeclaration.builder(JOURNAL_FILE, SettingType.PATH)
            .required()
            .description("the journal: one line per publication (absolute)")
            .build());
    return List.copyOf(out);
  }

  @Override
  public StoreProvider create(BackendContext context) {
    Path file = context.settings().path(JOURNAL_FILE).orElseThrow();
    if (!file.isAbsolute()) {
      throw new IllegalArgumentException(JOURNAL_FILE + ": must be absolute, not " + file);
    }
    // The local provider reads only its own keys; the journal's is not one of them.
    return new Journal(local.create(context), file);
  }

  /** The local provider's checks, and whether the journal's directory can be written. */
  @Override
  public List<Diagnosis> diagnose(BackendContext context) {
    List<Diagnosis> out = new ArrayList<>(local.diagnose(context));
    context
        .settings()
        .path(JOURNAL_FILE)
        .map(Path::getParent)
        .ifPresent(
            dir -> {
              Path existing = dir;
              while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
              }
              out.add(
                  existing != null && Files.isWritable(existing)
                      ? Diagnosis.ok("journal directory " + dir + " writable")
                      : Diagnosis.fail(
                          "journal directory " + dir + " cannot be written",
                          "fix journal_file, or the directory's permissions"));
            });
    return out;
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
