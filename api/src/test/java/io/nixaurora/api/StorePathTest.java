package io.nixaurora.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Store paths are validated so they are always safe to put into a shell command. */
class StorePathTest {

  static final String HELLO = "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-hello-2.12";

  @Test
  void splitsHashAndName() {
    StorePath p = StorePath.of(HELLO);
    assertEquals("4c6z04825b9a49vlsp2mk0rg19ybyd5f", p.hashPart());
    assertEquals("hello-2.12", p.name());
    assertEquals(HELLO, p.toString());
    assertEquals(p, StorePath.fromBaseName(p.baseName()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5e-hello", // 'e' is not nix-base32
        "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-", // empty name
        "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-.hidden",
        "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-a b",
        "/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-a;rm",
        "/nix/store/short-hello",
        "/usr/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-hello",
      })
  void refusesPathsThatAreNotStorePaths(String path) {
    assertFalse(StorePath.isValid(path), path);
  }

  @Test
  void namesUpTo211Characters() {
    assertTrue(StorePath.isValid("/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-" + "a".repeat(211)));
    assertFalse(
        StorePath.isValid("/nix/store/4c6z04825b9a49vlsp2mk0rg19ybyd5f-" + "a".repeat(212)));
  }
}
