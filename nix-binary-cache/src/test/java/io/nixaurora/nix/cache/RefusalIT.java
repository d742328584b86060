package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.StorePath;
import io.nixaurora.nix.local.NixRunner;
import io.nixaurora.nix.local.NixStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tampered NAR, a narinfo signed by another key and an unsigned narinfo: Nix refuses each (with
 * require-sigs and only our key trusted), and the verifier reports each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalIT {

  private Path dir;
  private StorePath top;
  private StorePath lib;
  private SigningKey key;
  private Path pristine;

  @BeforeAll
  void pushOnce() throws Exception {
    dir = Files.createTempDirectory("nbc-refuse");
    top = TestNix.buildClosure(dir, "refuse");
    lib =
        TestNix.requisites(top).stream()
            .filter(p -> p.name().startsWith("lib-"))
            .findFirst()
            .orElseThrow();
    key = SigningKey.generate("test-refuse-1");
    pristine = dir.resolve("pristine");
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + pristine), Optional.empty())) {
      CachePusher.builder()
          .store(new NixStore(NixRunner.onPath()))
          .target(t)
          .signingKey(key)
          .compression(Compression.NONE)
          .build()
          .push(List.of(top));
    }
  }

  @AfterAll
  void cleanUp() throws Exception {
    TestNix.deleteTree(dir);
  }

  /** A copy of the pristine cache with lib's narinfo rewritten by {@code edit}. */
  private Path copyWithNarInfo(String name, UnaryOperator<String> edit) throws Exception {
    Path c = dir.resolve(name);
    TestNix.ok("cp", "-a", pristine.toString(), c.toString());
    Path ni = c.resolve(lib.hashPart() + ".narinfo");
    Files.writeString(ni, edit.apply(Files.readString(ni)));
    return c;
  }

  private void assertRefusedAndReported(Path cache, String nixSays, String verifierSays)
      throws Exception {
    Path fresh = dir.resolve("store-" + cache.getFileName());
    TestNix.Result r =
        TestNix.substitute(fresh, "file://" + cache, key.publicKey().toString(), top);
    assertNotEquals(0, r.exit(), "Nix accepted " + cache);
    assertTrue(r.stderr().contains(nixSays), r.stderr());
    assertFalse(Files.exists(Path.of(fresh + top.toString())));
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + cache), Optional.empty())) {
      List<String> problems = new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll();
      // Only the damaged path is reported, and it is.
      assertFalse(problems.isEmpty());
      assertTrue(problems.stream().allMatch(p -> p.startsWith(lib + ":")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.contains(verifierSays)), problems.toString());
      assertEquals(
          problems, new CacheVerifier(t, List.of(key.publicKey()), 2).verify(List.of(top)));
    }
  }

  @Test
  void pristineCacheIsClean() throws Exception {
    try (BinaryCacheTarget t =
        BinaryCacheTarget.open(CacheUrl.parse("file://" + pristine), Optional.empty())) {
      assertEquals(List.of(), new CacheVerifier(t, List.of(key.publicKey()), 2).verifyAll());
    }
  }

  @Test
  void tamperedNar() throws Exception {
    Path c = copyWithNarInfo("tampered", s -> s);
    String text = Files.readString(c.resolve(lib.hashPart() + ".narinfo"));
    NarInfo info = NarInfo.parse(text, "lib");
    Path nar = c.resolve(info.url());
    byte[] bytes = Files.readAllBytes(nar);
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = s.indexOf("library");
    bytes[at] = 'L'; // same size, different content
    Files.write(nar, bytes);
    assertRefusedAndReported(c, "hash mismatch", "NarHash");
  }

  @Test
  void signedByAnotherKey() throws Exception {
    SigningKey other = SigningKey.generate("test-refuse-1"); // same name, other key
    Path c = copyWithNarInfo("otherkey", s -> NarInfo.parse(s, "lib").signedWith(other).toText());
    assertRefusedAndReported(c, "not signed by any of the keys", "not signed by test-refuse-1");
  }

  @Test
  void unsigned() throws Exception {
    Path c = copyWithNarInfo("unsigned", s -> s.replaceAll("(?m)^Sig: .*\n", ""));
    assertRefusedAndReported(c, "not signed by any of the keys", "(unsigned)");
  }
}
