package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NixVersionTest {

  @Test
  void readsWhatEachVersionPrints() {
    assertEquals(new NixVersion(2, 8, 0), NixVersion.parse("nix-store (Nix) 2.8.0\n"));
    assertEquals(new NixVersion(2, 26, 3), NixVersion.parse("nix-store (Nix) 2.26.3"));
    assertEquals(new NixVersion(2, 34, 8), NixVersion.parse("nix (Nix) 2.34.8"));
    assertEquals(new NixVersion(2, 24, 0), NixVersion.parse("nix (Nix) 2.24pre20240101_abcdef"));
    assertThrows(IllegalArgumentException.class, () -> NixVersion.parse("nix-store (Nix)"));
  }

  @Test
  void ordersNumerically() {
    NixVersion v = new NixVersion(2, 26, 3);
    assertTrue(v.atLeast(2, 19));
    assertTrue(v.atLeast(2, 26));
    assertFalse(v.atLeast(2, 33));
    assertTrue(new NixVersion(2, 100, 0).compareTo(new NixVersion(2, 34, 8)) > 0);
    assertEquals(
        List.of(NixVersion.OLDEST, v),
        java.util.stream.Stream.of(v, NixVersion.OLDEST).sorted().toList());
  }

  /** The installed Nix: read once and agreeing with what nix-store --version prints. */
  @Test
  void theInstalledNixIsAskedOnce() throws Exception {
    NixRunner runner = NixRunner.onPath();
    NixVersion first = runner.version();
    assertTrue(first.compareTo(NixVersion.OLDEST) >= 0, first.toString());
    assertEquals(
        NixVersion.parse(runner.run("nix-store", List.of("--version")).stdoutText()), first);
    assertTrue(first == NixRunner.onPath().version(), "the same answer, not asked again");
  }
}
