package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nixaurora.api.StorePath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NixStoreTest {

  private static StorePath path(char hash, String name) {
    return StorePath.of("/nix/store/" + String.valueOf(hash).repeat(32) + "-" + name);
  }

  private static PathInfo info(StorePath path, StorePath... references) {
    return new PathInfo(
        path, "sha256:x", 1, List.of(references), Optional.empty(), List.of(), Optional.empty());
  }

  private static List<StorePath> paths(List<PathInfo> infos) {
    return infos.stream().map(PathInfo::path).toList();
  }

  @Test
  void aJobsClosureWithinAUnionHasTheOrderOfPublishingItAlone() {
    // Job one has two unrelated scripts; job two's script sorts before them and refers to the
    // second, so the union's order puts one's second script before its first.
    StorePath other = path('0', "other-script");
    StorePath first = path('1', "first-script");
    StorePath second = path('2', "second-script");
    Map<StorePath, PathInfo> union =
        List.of(info(other, second), info(first), info(second)).stream()
            .collect(
                Collectors.toMap(PathInfo::path, Function.identity(), (a, b) -> a, TreeMap::new));
    List<StorePath> unionOrder = paths(NixStore.dependencyOrder(union));
    assertEquals(List.of(second, other, first), unionOrder);

    List<StorePath> alone =
        paths(
            NixStore.dependencyOrder(
                new TreeMap<>(Map.of(first, info(first), second, info(second)))));
    assertEquals(List.of(first, second), alone);
    assertEquals(alone, paths(NixStore.closureWithin(List.of(first, second), union)));
    assertEquals(List.of(second, other), paths(NixStore.closureWithin(List.of(other), union)));
  }

  @Test
  void aRootOutsideTheUnionIsAnError() {
    StorePath first = path('1', "first-script");
    assertThrows(
        IllegalArgumentException.class, () -> NixStore.closureWithin(List.of(first), Map.of()));
  }
}
