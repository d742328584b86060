package io.nixaurora.nix.local;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.model.Cmdline;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Process;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders a job built with the Java API into a Nix expression for the aurora.nix library, so that
 * Java-built jobs take the same road as jobs written in Nix: the same constructors check them and
 * the same build makes their process scripts.
 *
 * <p>The job is turned into its Aurora JSON form with Jackson (so fields the model gains later are
 * carried along), and that tree is written as Nix values. A {@link Cmdline} becomes a Nix string
 * whose text parts are escaped and whose references become interpolations: a package {@code
 * pkgs.x.y} becomes {@code ${pkgs."x"."y"}}, a store path {@code builtins.storePath} (so the script
 * refers to it), a local file {@code builtins.path} (copied into the store, named as {@code
 * ${./file}} would name it).
 */
final class NixJobRenderer {

  /** The key that marks a cmdline in the JSON tree; no Aurora field can be named so. */
  private static final String CMDLINE_KEY = "\u0000cmdline";

  private final ObjectMapper mapper;

  NixJobRenderer() {
    SimpleModule cmdlines = new SimpleModule("nix-aurora-cmdline-parts");
    cmdlines.addSerializer(Cmdline.class, new CmdlinePartsSerializer());
    this.mapper =
        JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(MapperFeature.AUTO_DETECT_GETTERS)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .addModule(cmdlines)
            .build();
  }

  /**
   * The Nix expression of {@code job}: a function of {@code { aurora, pkgs, ... }}.
   *
   * @param baseDirectory where relative file references are resolved
   * @throws InvalidJobException when a cmdline holds a NUL character or refers to a missing file
   */
  String render(Job job, Path baseDirectory) throws InvalidJobException {
    checkCmdlines(job, baseDirectory);
    JsonNode tree = mapper.valueToTree(job);
    StringBuilder out = new StringBuilder();
    out.append("# Rendered by nix-aurora from a job built with the Java API (")
        .append(JobLabel.of(job))
        .append(").\n");
    out.append("{ aurora, pkgs, ... }:\n\naurora.Job ");
    value(tree, baseDirectory, out, 0);
    out.append("\n");
    return out.toString();
  }

  private static void checkCmdlines(Job job, Path baseDirectory) throws InvalidJobException {
    List<Process> processes = job.task().processes();
    for (int i = 0; i < processes.size(); i++) {
      String field = "task.processes[" + i + "].cmdline";
      for (Cmdline.Part part : processes.get(i).cmdline().parts()) {
        if (part instanceof Cmdline.Text t && t.text().indexOf('\0') >= 0) {
          throw new InvalidJobException(field, "contains a NUL character, which Nix cannot hold");
        }
        if (part instanceof Cmdline.FileRef f) {
          Path file = baseDirectory.resolve(f.file()).toAbsolutePath().normalize();
          if (!Files.exists(file)) {
            throw new InvalidJobException(field, "file " + file + " does not exist");
          }
        }
      }
    }
  }

  private void value(JsonNode node, Path baseDirectory, StringBuilder out, int depth) {
    if (node.isObject() && node.size() == 1 && node.has(CMDLINE_KEY)) {
      cmdline(node.get(CMDLINE_KEY), baseDirectory, out);
    } else if (node.isObject()) {
      String indent = "  ".repeat(depth + 1);
      out.append("{\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNull()) {
          continue;
        }
        out.append(indent).append(string(field.getKey())).append(" = ");
        value(field.getValue(), baseDirectory, out, depth + 1);
        out.append(";\n");
      }
      out.append("  ".repeat(depth)).append("}");
    } else if (node.isArray()) {
      out.append("[");
      for (JsonNode element : node) {
        out.append(" (");
        value(element, baseDirectory, out, depth + 1);
        out.append(")");
      }
      out.append(" ]");
    } else if (node.isTextual()) {
      out.append(string(node.asText()));
    } else if (node.isBoolean()) {
      out.append(node.asBoolean() ? "true" : "false");
    } else if (node.isIntegralNumber()) {
      String n = node.bigIntegerValue().toString();
      out.append(n.startsWith("-") ? "(" + n + ")" : n);
    } else if (node.isNumber()) {
      String n = new BigDecimal(node.asText()).toPlainString();
      if (!n.contains(".")) {
        n = n + ".0";
      }
      out.append(n.startsWith("-") ? "(" + n + ")" : n);
    } else if (node.isNull()) {
      out.append("null");
    } else {
      throw new IllegalStateException("unexpected JSON node " + node.getNodeType());
    }
  }

  private static void cmdline(JsonNode parts, Path baseDirectory, StringBuilder out) {
    out.append('"');
    for (JsonNode part : parts) {
      String kind = part.get(0).asText();
      String arg = part.get(1).asText();
      switch (kind) {
        case "text" -> out.append(escape(arg));
        case "pkg" -> out.append("${").append(packageExpression(arg)).append("}");
        case "store" -> out.append(storePathExpression(arg));
        case "file" -> out.append("${").append(fileExpression(baseDirectory, arg)).append("}");
        default -> throw new IllegalStateException("unknown cmdline part " + kind);
      }
    }
    out.append('"');
  }

  /** {@code pkgs.a.b} (or {@code a.b}): the package, or an error naming it. */
  static String packageExpression(String attributePath) {
    String path = attributePath.startsWith("pkgs.") ? attributePath.substring(5) : attributePath;
    StringBuilder e = new StringBuilder("pkgs");
    for (String component : path.split("\\.")) {
      e.append('.').append(string(component));
    }
    return e.append(" or (throw ")
        .append(
            string(
                "package 'pkgs."
                    + path
                    + "' is not in the package set (without <nixpkgs> on NIX_PATH, pkgs is"
                    + " nix-aurora's small offline stand-in)"))
        .append(")")
        .toString();
  }

  /** A store path, or a path inside one, with the store path as string context. */
  static String storePathExpression(String path) {
    String rest = path.substring("/nix/store/".length());
    int slash = rest.indexOf('/');
    String storePath = slash < 0 ? path : path.substring(0, "/nix/store/".length() + slash);
    String subPath = slash < 0 ? "" : rest.substring(slash);
    return "${builtins.storePath " + string(storePath) + "}" + escape(subPath);
  }

  /** The file copied into the store under its own name, as {@code ${./file}} would copy it. */
  static String fileExpression(Path baseDirectory, String file) {
    Path abs = baseDirectory.resolve(file).toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? "source" : abs.getFileName().toString();
    StringBuilder safe = new StringBuilder();
    for (char c : name.toCharArray()) {
      safe.append(
          (c >= 'a' && c <= 'z')
                  || (c >= 'A' && c <= 'Z')
                  || (c >= '0' && c <= '9')
                  || "+-._?=".indexOf(c) >= 0
              ? c
              : '_');
    }
    String storeName = safe.charAt(0) == '.' ? "_" + safe.substring(1) : safe.toString();
    return "builtins.path { path = /. + "
        + string(abs.toString())
        + "; name = "
        + string(storeName)
        + "; }";
  }

  /** A Nix double-quoted string literal holding exactly {@code s}. */
  static String string(String s) {
    return "\"" + escape(s) + "\"";
  }

  /** The body of a Nix double-quoted string holding exactly {@code s}. */
  static String escape(String s) {
    StringBuilder e = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> e.append("\\\\");
        case '"' -> e.append("\\\"");
        // Every '$' is escaped, so neither "${" nor "$${" can start an interpolation.
        case '$' -> e.append("\\$");
        case '\n' -> e.append("\\n");
        case '\r' -> e.append("\\r");
        case '\t' -> e.append("\\t");
        default -> e.append(c);
      }
    }
    return e.toString();
  }

  /** Writes a cmdline as {@code {"\0cmdline": [[kind, value], …]}} for {@link #render}. */
  private static final class CmdlinePartsSerializer extends StdSerializer<Cmdline> {
    private static final long serialVersionUID = 1L;

    CmdlinePartsSerializer() {
      super(Cmdline.class);
    }

    @Override
    public void serialize(Cmdline cmdline, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      gen.writeArrayFieldStart(CMDLINE_KEY);
      for (Cmdline.Part part : cmdline.parts()) {
        gen.writeStartArray();
        if (part instanceof Cmdline.Text t) {
          gen.writeString("text");
          gen.writeString(t.text());
        } else if (part instanceof Cmdline.Package p) {
          gen.writeString("pkg");
          gen.writeString(p.attributePath());
        } else if (part instanceof Cmdline.StorePathRef r) {
          gen.writeString("store");
          gen.writeString(r.storePath());
        } else {
          gen.writeString("file");
          gen.writeString(((Cmdline.FileRef) part).file().toString());
        }
        gen.writeEndArray();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
  }
}
