package io.nixaurora.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import io.nixaurora.api.InvalidJobException.Violation;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds mustache references ({@code {{…}}}) that Aurora would not bind.
 *
 * <p>Aurora's client interpolates every string of the job; a reference it cannot bind fails the job
 * ("Config contains unbound variables", aurora-spec §1.4). The executor binds {@code
 * mesos.instance}, {@code mesos.hostname}, {@code thermos.task_id} and {@code thermos.ports[NAME]};
 * the client binds the aliases {@code mesos.role}, {@code mesos.cluster} and {@code thermos.user},
 * and pystachio binds every field of the structs a string is nested in: the job's {@code role},
 * {@code cluster}, {@code environment} and {@code instances}, {@code task.name}, and {@code name}
 * (the innermost struct's: a process's own name in a process, the job's elsewhere). These are the
 * ones allowed here, and both submitters bind them before anything is sent. Anything else,
 * including {@code {{&x}}} (which the executor later rejects), is a violation.
 */
final class Templates {

  /** The references Aurora binds, as they must appear between the braces. */
  static final Pattern ALLOWED =
      Pattern.compile(
          "\\{\\{(mesos\\.instance|mesos\\.hostname|mesos\\.role|mesos\\.cluster"
              + "|thermos\\.task_id|thermos\\.user|thermos\\.ports\\[[A-Za-z0-9_-]+\\]"
              + "|role|cluster|environment|name|task\\.name|instances)\\}\\}");

  /** The announcer's port map may also refer to its own {@code primary_port}. */
  static final Pattern ALLOWED_IN_PORTMAP =
      Pattern.compile("\\{\\{(primary_port|thermos\\.ports\\[[A-Za-z0-9_-]+\\])\\}\\}");

  private static final Pattern REFERENCE = Pattern.compile("\\{\\{.*?(\\}\\}|$)", Pattern.DOTALL);

  private Templates() {}

  /** Adds a violation for every disallowed reference in any string of {@code tree}. */
  static void check(JsonNode tree, String path, List<Violation> out) {
    if (tree.isTextual()) {
      checkString(tree.textValue(), path, ALLOWED, out);
    } else if (tree.isArray()) {
      for (int i = 0; i < tree.size(); i++) {
        check(tree.get(i), path + "[" + i + "]", out);
      }
    } else if (tree.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        checkString(e.getKey(), child + " (key)", ALLOWED, out);
        if (child.equals("announce.portmap") && e.getValue().isObject()) {
          for (Iterator<Map.Entry<String, JsonNode>> pm = e.getValue().fields(); pm.hasNext(); ) {
            Map.Entry<String, JsonNode> port = pm.next();
            if (port.getValue().isTextual()) {
              String text = port.getValue().textValue();
              String portPath = child + "." + port.getKey();
              if (!ALLOWED_IN_PORTMAP.matcher(text).matches()) {
                checkString(text, portPath, ALLOWED, out);
              }
            }
          }
        } else {
          check(e.getValue(), child, out);
        }
      }
    }
  }

  /** Adds a violation for every disallowed reference in {@code text}. */
  static void checkString(String text, String path, Pattern allowed, List<Violation> out) {
    int from = 0;
    while (true) {
      int start = text.indexOf("{{", from);
      if (start < 0) {
        return;
      }
      Matcher ok = allowed.matcher(text).region(start, text.length());
      if (ok.lookingAt()) {
        from = ok.end();
        continue;
      }
      Matcher ref = REFERENCE.matcher(text).region(start, text.length());
      String shown = ref.lookingAt() ? ref.group() : text.substring(start);
      if (shown.length() > 60) {
        shown = shown.substring(0, 57) + "...";
      }
      out.add(
          new Violation(
              path,
              "'"
                  + shown
                  + "' is not a template Aurora binds; allowed are {{mesos.instance}},"
                  + " {{mesos.hostname}}, {{thermos.task_id}}, {{thermos.ports[NAME]}},"
                  + " {{mesos.role}}, {{mesos.cluster}}, {{thermos.user}}, {{role}}, {{cluster}},"
                  + " {{environment}}, {{name}}, {{task.name}}, {{instances}}"));
      from = start + 2;
      // Skip to the end of this reference so one bad reference gives one violation.
      int close = text.indexOf("}}", from);
      from = close < 0 ? text.length() : close + 2;
    }
  }
}
