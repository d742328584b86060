package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.api.StorePath;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code nix path-info --json -r} as Nix 2.8.0 (bookworm), 2.26.3 (trixie) and 2.34.8 (sid, both
 * {@code --json-format}s) printed it for the same four paths (captured from those versions: a
 * derivation output with a signature and a reference, a text (toFile) path, a NAR-hashed fixed
 * output): every shape reads to the same metadata.
 */
@Timeout(10)
class PathInfoJsonTest {

  private static final String TOP = "/nix/store/0r2v93mqaf9d2zyqi8pgmyzmf879753y-top";
  private static final String DEP = "/nix/store/z4asv3j07d89ywjf8fxkn7sg6mf5s9q5-dep";
  private static final String TEXT = "/nix/store/685yscgmhcr82jvrhn8w7b4m3psi6g7f-tf";
  private static final String FIXED = "/nix/store/qng0kf7b9lqkh84k5wzd9bp6n1ljw21c-dd";

  private static JsonNode captured(String name) throws IOException {
    try (InputStream in = PathInfoJsonTest.class.getResourceAsStream("/nix-output/" + name)) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static PathInfo find(List<PathInfo> infos, String path) {
    return infos.stream().filter(i -> i.path().toString().equals(path)).findFirst().orElseThrow();
  }

  /** Without the signatures: each version signed with its own key. */
  private static List<PathInfo> unsigned(List<PathInfo> infos) {
    return infos.stream()
        .map(
            i ->
                new PathInfo(
                    i.path(),
                    i.narHash(),
                    i.narSize(),
                    i.references(),
                    i.deriver(),
                    List.of(),
                    i.ca()))
        .sorted(java.util.Comparator.comparing(PathInfo::path))
        .toList();
  }

  @Test
  void theListOfNix28() throws Exception {
    List<PathInfo> infos = PathInfoJson.parse(captured("path-info-2.8.0.json"));
    assertEquals(4, infos.size());
    PathInfo top = find(infos, TOP);
    assertEquals("sha256-88RGANdHt3tMS5ihoIhZ+V7W0WC4sqLnRLGft3SS3mA=", top.narHash());
    assertEquals(160, top.narSize());
    assertEquals(List.of(StorePath.of(DEP)), top.references());
    assertEquals(
        Optional.of(StorePath.of("/nix/store/13ymk1q4wh30z4fq5lf3a5d15fvb07f9-top.drv")),
        top.deriver());
    assertEquals(1, top.signatures().size());
    assertTrue(top.signatures().get(0).startsWith("k1:"));
    assertEquals(Optional.empty(), top.ca());
    assertEquals(
        Optional.of("text:sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"),
        find(infos, TEXT).ca());
    assertEquals(
        Optional.of("fixed:r:sha256:0fzd3xy0rg1gdxfi7wg675q1vs7hh332lz0x4ml9l3arvl37yx9d"),
        find(infos, FIXED).ca());
  }

  @Test
  void everyLaterShapeReadsLikeNix28() throws Exception {
    List<PathInfo> expected = unsigned(PathInfoJson.parse(captured("path-info-2.8.0.json")));
    for (String shape :
        List.of(
            "path-info-2.26.3.json",
            "path-info-2.34.8-format-1.json",
            "path-info-2.34.8-format-2.json")) {
      List<PathInfo> infos = PathInfoJson.parse(captured(shape));
      assertEquals(expected, unsigned(infos), shape);
      assertEquals(1, find(infos, TOP).signatures().size(), shape);
    }
  }

  @Test
  void format2ContentAddressesBecomeNarinfoText() {
    ObjectMapper m = new ObjectMapper();
    assertEquals(
        Optional.of("fixed:sha256:0fzd3xy0rg1gdxfi7wg675q1vs7hh332lz0x4ml9l3arvl37yx9d"),
        PathInfoJson.contentAddress(
            m.createObjectNode()
                .put("method", "flat")
                .put("hash", "sha256-LXV/Bt1ZDZpoJR18KsaA8OgdcDnm8RNdby+8DHwf7Ts=")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PathInfoJson.contentAddress(
                    m.createObjectNode().put("method", "weird").put("hash", "sha256-AAAA")));
    assertTrue(e.getMessage().contains("weird"), e.getMessage());
  }

  @Test
  void aPathThatIsNotValidIsNamedInEveryShape() throws Exception {
    for (String shape : List.of("path-info-2.8.0-invalid.json", "path-info-2.26.3-invalid.json")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PathInfoJson.parse(captured(shape)));
      assertEquals(
          "path /nix/store/00000000000000000000000000000000-nope is not valid in the local store",
          e.getMessage(),
          shape);
    }
    ObjectMapper m = new ObjectMapper();
    JsonNode format2 =
        m.readTree(
            "{\"info\":{\"00000000000000000000000000000000-nope\":null},"
                + "\"storeDir\":\"/nix/store\",\"version\":2}");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PathInfoJson.parse(format2))
            .getMessage()
            .contains("/nix/store/00000000000000000000000000000000-nope"));
  }
}
