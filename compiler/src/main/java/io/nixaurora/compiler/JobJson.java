package io.nixaurora.compiler;

import com.fasterxml.jackson.core.JsonGenerator;
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
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nixaurora.api.InvalidJobException;
import io.nixaurora.api.model.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the job model as Aurora's job JSON (docs/aurora-spec.md §1), the one way the
 * project turns a {@link Job} into JSON and back.
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
    this.writer = mapper.writer(new AuroraPrettyPrinter());
  }

  /**
   * Two-space indentation, {@code "key": value}, {@code \n} line ends on every platform, and {@code
   * []} / {@code {}} for empty containers (Jackson's default writes {@code [ ]}).
   */
  private static final class AuroraPrettyPrinter extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    AuroraPrettyPrinter() {
      super(
          Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
      DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
      indentObjectsWith(indenter);
      indentArraysWith(indenter);
    }

    private AuroraPrettyPrinter(AuroraPrettyPrinter base) {
      super(base);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new AuroraPrettyPrinter(this);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (!_arrayIndenter.isInline()) {
        --_nesting;
      }
      if (nrOfValues > 0) {
        _arrayIndenter.writeIndentation(g, _nesting);
      }
      g.writeRaw(']');
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (!_objectIndenter.isInline()) {
        --_nesting;
      }
      if (nrOfEntries > 0) {
        _objectIndenter.writeIndentation(g, _nesting);
      }
      g.writeRaw('}');
    }
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
    if (tree.isObject()) {
      normalizeContainer(tree.get("container"));
    }
    try {
      return mapper.treeToValue(tree, Job.class);
    } catch (JsonMappingException e) {
      throw describe(prefix, e);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(prefix.isEmpty() ? "(json)" : prefix, e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(prefix.isEmpty() ? "(json)" : prefix, e.getMessage());
    }
  }

  /**
   * Aurora tells its container alternatives apart by trying each (docs/aurora-spec.md §1.4); the
   * model tells them apart by their keys, so add the list a Docker or Mesos container may leave
   * out.
   */
  private static void normalizeContainer(JsonNode container) {
    if (container instanceof ObjectNode c && !c.has("docker")) {
      JsonNode image = c.get("image");
      if (image == null || image.isObject()) {
        if (!c.has("volumes")) {
          c.putArray("volumes");
        }
      } else if (image.isTextual() && !c.has("parameters")) {
        c.putArray("parameters");
      }
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
    return path.toString();
  }

  private static final Pattern FIELD_MESSAGE =
      Pattern.compile("^([A-Za-z_]+)((?:\\.[A-Za-z_]+|\\[\\d+\\])*): (.*)$", Pattern.DOTALL);

  private static InvalidJobException describe(String prefix, JsonMappingException e) {
    String path = pathOf(prefix, e);
    Throwable cause = e.getCause();
    String message;
    if (cause instanceof IllegalArgumentException) {
      // Model constructors say "<struct>.<field>: <problem>"; Jackson's path already ends at the
      // struct, so the field goes on the path and the struct name is dropped.
      message = cause.getMessage();
      Matcher m = FIELD_MESSAGE.matcher(message);
      if (m.matches()) {
        String field = m.group(2);
        if (field.startsWith(".")) {
          field = path.isEmpty() ? field.substring(1) : field;
        }
        path = path + field;
        message = m.group(3);
      }
    } else if (e instanceof UnrecognizedPropertyException u) {
      message =
          "unknown key '" + u.getPropertyName() + "' (Aurora rejects keys outside its schema)";
    } else if (e instanceof InvalidTypeIdException t) {
      message =
          "does not have the keys of any "
              + (t.getBaseType() == null
                  ? "accepted shape"
                  : t.getBaseType().getRawClass().getSimpleName()
                      + " Aurora accepts (docs/aurora-spec.md §1.4)");
    } else if (e instanceof MismatchedInputException
        && e.getOriginalMessage().startsWith("Missing required creator property")) {
      message = "is required";
    } else if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
      Class<?> target = f.getTargetType();
      if (target.isEnum()) {
        String m = f.getOriginalMessage();
        int list = m.lastIndexOf('[');
        message =
            "'"
                + f.getValue()
                + "' is not one of "
                + (list < 0 ? target.getSimpleName() : m.substring(list));
      } else {
        message = "expected " + kind(target) + ", got '" + f.getValue() + "'";
      }
    } else if (e instanceof MismatchedInputException mi
        && mi.getTargetType() != null
        && !mi.getTargetType().getName().startsWith("io.nixaurora")) {
      message = "expected " + kind(mi.getTargetType());
    } else {
      message = e.getOriginalMessage();
      int newline = message.indexOf('\n');
      message = newline < 0 ? message : message.substring(0, newline);
    }
    return new InvalidJobException(path.isEmpty() ? "(json)" : path, message);
  }

  /** What a JSON value of Java type {@code type} looks like, in words. */
  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    return type.getSimpleName();
  }
}
