package io.nixaurora.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileNameTest {

  @Test
  void ordinaryNamesAreTheirOwnFileNames() {
    for (String name : List.of("hello_world", "devcluster", "prod", "web-1.2", "a..b")) {
      assertEquals(name, FileName.of(name));
    }
  }

  @Test
  void dotNamesNeverClimbOrStayInTheDirectory() {
    Path dir = Path.of("/roots/devcluster");
    for (String name : List.of(".", "..", "...", ".hidden", "a/b", "%2E", "caf\u00e9", "a b")) {
      String file = FileName.of(name);
      assertFalse(file.startsWith("."), file);
      assertFalse(file.contains("/"), file);
      assertEquals(dir.resolve(file), dir.resolve(file).normalize(), file);
      assertEquals(dir, dir.resolve(file).getParent(), file);
    }
  }

  @Test
  void differentNamesNeverShareAFileName() {
    List<String> names =
        List.of(
            ".",
            "..",
            "%2E",
            "%2E.",
            "_.",
            "_..",
            ".a",
            "_.a",
            "%2Ea",
            "%",
            "%25",
            "a%b",
            "x".repeat(300),
            "x".repeat(299) + "y",
            "x".repeat(300) + ".",
            "\u00e9",
            "%C3%A9");
    Set<String> files = new HashSet<>();
    for (String name : names) {
      String file = FileName.of(name);
      assertTrue(files.add(file), name + " shares " + file);
      if (file.length() < 160) {
        assertEquals(java.util.Optional.of(name), FileName.decode(file), file);
      }
      assertTrue(file.length() <= FileName.MAX_LENGTH, file);
    }
  }

  @Test
  void onlyItsOwnFileNamesDecode() {
    for (String file : List.of("%2", "%zz", "%61", "a%%b", ".x", "caf\u00e9")) {
      assertEquals(java.util.Optional.empty(), FileName.decode(file), file);
    }
  }
}
