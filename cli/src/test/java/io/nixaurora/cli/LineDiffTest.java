package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineDiffTest {

  @Test
  void aChangedLineIsRemovedBeforeItIsAdded() {
    assertEquals(
        """
        --- old
        +++ new
        @@ -1,3 +1,3 @@
         a
        -b
        +B
         c
        """,
        LineDiff.unified("a\nb\nc\n", "a\nB\nc\n", "old", "new"));
  }

  @Test
  void aChangedBlockListsEveryRemovedLineFirst() {
    assertEquals(
        """
        --- old
        +++ new
        @@ -1,4 +1,4 @@
         a
        -b
        -c
        +B
        +C
         d
        """,
        LineDiff.unified("a\nb\nc\nd\n", "a\nB\nC\nd\n", "old", "new"));
  }
}
