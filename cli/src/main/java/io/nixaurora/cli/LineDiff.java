package io.nixaurora.cli;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts, by line (longest common subsequence; configs are small). */
final class LineDiff {
  private LineDiff() {}

  static String unified(String before, String after, String beforeName, String afterName) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    // edit script: ' ', '-', '+'
    List<String> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(" " + a.get(i));
        i++;
        j++;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // On a tie the old line goes first, so a changed line reads `-old` then `+new`, as diff -u.
        ops.add("-" + a.get(i));
        i++;
      } else {
        ops.add("+" + b.get(j));
        j++;
      }
    }
    if (ops.stream().allMatch(o -> o.startsWith(" "))) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(beforeName).append('\n');
    out.append("+++ ").append(afterName).append('\n');
    int context = 3;
    int k = 0;
    while (k < ops.size()) {
      if (ops.get(k).startsWith(" ")) {
        k++;
        continue;
      }
      int hunkStart = Math.max(0, k - context);
      int end = k;
      int lastChange = k;
      while (end < ops.size() && end - lastChange <= 2 * context) {
        if (!ops.get(end).startsWith(" ")) {
          lastChange = end;
        }
        end++;
      }
      int hunkEnd = Math.min(ops.size(), lastChange + context + 1);
      int aStart = 1;
      int bStart = 1;
      for (int x = 0; x < hunkStart; x++) {
        if (!ops.get(x).startsWith("+")) {
          aStart++;
        }
        if (!ops.get(x).startsWith("-")) {
          bStart++;
        }
      }
      int aLen = 0;
      int bLen = 0;
      for (int x = hunkStart; x < hunkEnd; x++) {
        if (!ops.get(x).startsWith("+")) {
          aLen++;
        }
        if (!ops.get(x).startsWith("-")) {
          bLen++;
        }
      }
      out.append("@@ -").append(aStart).append(',').append(aLen);
      out.append(" +").append(bStart).append(',').append(bLen).append(" @@\n");
      for (int x = hunkStart; x < hunkEnd; x++) {
        out.append(ops.get(x)).append('\n');
      }
      k = hunkEnd;
    }
    return out.toString();
  }
}
