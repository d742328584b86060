package io.nixaurora.compiler;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.model.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes the job model as Aurora's job JSON (aurora-spec §1), the one way the project
 * turns a {@link Job} into JSON and back.
 *
 * <p>Writing is deterministic: keys come in the model's fixed order, map entries sorted by key,
 * two-space indentation, {@code "key": value}, {@code \n} line ends and a final newline. Reading is
 * as strict as Aurora's loader: unknown keys are rejected, and every problem is reported as an
 * {@link InvalidJobException} naming the field's path.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class JobJson {

  private final ObjectMapper mapper;
  private final ObjectWriter writer;

  /** A reader/writer with nix-aurora's configuration. */
  public JobJson() {
    this.mapper =
        JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.AUTO_DETECT_GETTERS)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    this.writer = mapper.writer(printer);
  }

  /**
   * A copy of the configured mapper, for callers that need Jackson directly (for example to read a
   * model value embedded in a bigger document). Changing the copy does not change this instance.
   */
  public ObjectMapper mapper() {
    return mapper.copy();
  }

  /** The job as Aurora JSON: deterministic bytes, ending with a newline. */
  public String write(Job job) {
    return writeValue(job);
  }

  /** Any model value as deterministic Aurora JSON, ending with a newline. */
  public String writeValue(Object value) {
    try {
      return writer.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      // Model values always serialize; failing here is a bug, not bad input.
      throw new IllegalStateException("could not write " + value.getClass().getSimpleName(), e);
    }
  }

  /** The job as a JSON tree, with the same keys {@link #write} writes. */
  public JsonNode toTree(Job job) {
    return mapper.valueToTree(job);
  }

  /**
   * Reads one job from Aurora JSON: a job object, or {@code {"jobs": [job]}} holding exactly one.
   *
   * @throws InvalidJobException naming the field when the JSON is malformed, has unknown keys,
   *     lacks required fields or breaks a model rule
   */
  public Job read(String json) throws InvalidJobException {
    JsonNode tree;
    try {
      tree = mapper.readTree(json);
    } catch (JsonParseException e) {
      throw new InvalidJobException(
          "(json)",
          "not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("(json)", "not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidJobException("(json)", "expected a job object");
    }
    String prefix = "";
    if (tree.size() == 1 && tree.has("jobs")) {
      JsonNode jobs = tree.get("jobs");
      if (!jobs.isArray() || jobs.size() != 1) {
        throw new InvalidJobException("jobs", "must be a list holding exactly one job");
      }
      tree = jobs.get(0);
      prefix = "jobs[0]";
    }
    try {
      return mapper.treeToValue(tree, Job.class);
    } catch (JsonMappingException e) {
      throw new InvalidJobException(pathOf(prefix, e), describe(e));
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(prefix.isEmpty() ? "(json)" : prefix, e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(prefix.isEmpty() ? "(json)" : prefix, e.getMessage());
    }
  }

  /**
   * Reads one job from a JSON file.
   *
   * @throws InvalidJobException when the file is missing, unreadable or not a valid job
   */
  public Job read(Path file) throws InvalidJobException {
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidJobException(file.toString(), "no such file");
    } catch (IOException e) {
      throw new InvalidJobException(file.toString(), "cannot read: " + e.getMessage());
    }
    try {
      return read(json);
    } catch (InvalidJobException e) {
      throw new InvalidJobException(
          e.violations().stream()
              .map(
                  v ->
                      new InvalidJobException.Violation(
                          file.getFileName() + ": " + v.path(), v.message()))
              .toList());
    }
  }

  /** {@code task.processes[1].name} from Jackson's reference chain. */
  static String pathOf(String prefix, JsonMappingException e) {
    StringBuilder path = new StringBuilder(prefix);
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(json)" : path.toString();
  }

  private static String describe(JsonMappingException e) {
    Throwable cause = e.getCause();
    // A model constructor's IllegalArgumentException already names the field; keep its message.
    if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
      String m = cause.getMessage();
      if (cause instanceof NullPointerException && m != null && !m.contains(" ")) {
        return "is required";
      }
      return m;
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return "unknown key '" + u.getPropertyName() + "' (Aurora rejects keys outside its schema)";
    }
    String m = e.getOriginalMessage();
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }
}
