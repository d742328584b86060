package io.nixaurora.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.ProcessScript;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.core.Published;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade example: hello_world built with real Nix and published with the ServiceLoader {@code
 * journal} provider (the plugin JournalPluginIT runs the tck against).
 */
class PublishWithPluginIT {

  @TempDir Path tmp;

  @Test
  void buildsAndPublishesAJobWithThePluginStoreProvider() throws Exception {
    Path journal = tmp.resolve("journal.log");
    Path roots = tmp.resolve("roots");
    Published published =
        PublishWithPlugin.publish(
            ExamplesIT.EXAMPLES.resolve("hello_world"), journal, roots, EventListener.NONE);

    assertEquals("devcluster/vagrant/devel/hello_world", published.key().toString());
    assertTrue(published.publication().summary().endsWith(", journaled"));
    List<String> lines = Files.readAllLines(journal);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains(" devcluster/vagrant/devel/hello_world "), lines.get(0));
    // the local store rooted every process script, and the configuration's init realises it
    try (Stream<Path> links = Files.walk(roots)) {
      List<String> targets =
          links
              .filter(Files::isSymbolicLink)
              .map(
                  l -> {
                    try {
                      return Files.readSymbolicLink(l).toString();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
      for (ProcessScript s : published.job().scripts().values()) {
        assertTrue(targets.contains(s.path().toString()), s + " not rooted: " + targets);
        assertTrue(published.config().json().contains(s.path().toString()));
      }
    }

    // the program itself does the same
    PublishWithPlugin.main(
        new String[] {
          ExamplesIT.EXAMPLES.resolve("hello_world").toString(),
          journal.toString(),
          roots.toString()
        });
    assertEquals(2, Files.readAllLines(journal).size());
  }
}
