package io.nixaurora.submit.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nixaurora.support.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A decoded TJSON reply: {@code [1,"<method>",2,<seqid>,{"0":{"rec":<Response>}}]}, or an
 * application exception (type 3). Fields are read by id; unknown ids are ignored, as Thrift does.
 */
final class TJsonReply {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The reply could not be decoded. */
  static final class MalformedReply extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedReply(String message) {
      super(message);
    }
  }

  /** TMessageType of a reply. */
  private static final int REPLY = 2;

  /** TMessageType of an exception the server raised instead of replying. */
  private static final int EXCEPTION = 3;

  /** The field of every call's result struct ({@code <method>_result}) that holds its Response. */
  private static final short RESULT_SUCCESS = 0;

  /** TApplicationException's {@code message} (the runtime's own struct, not api.thrift's). */
  private static final short APPLICATION_EXCEPTION_MESSAGE = 1;

  private TJsonReply() {}

  /** Jackson's description of a parse error, without its source and read-constraint details. */
  static String jsonProblem(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    for (String tail : new String[] {" (start marker", " at [Source", " [Source", " (StreamRead"}) {
      int i = m.indexOf(tail);
      if (i >= 0) {
        m = m.substring(0, i);
      }
    }
    return SafeText.cut(m.strip(), 120);
  }

  /**
   * The {@code Response} struct of a reply to {@code method}.
   *
   * @throws MalformedReply for anything that is not a TJSON reply, or an exception reply (whose
   *     message it carries)
   */
  static Struct response(byte[] body, String method) throws MalformedReply {
    JsonNode message;
    try {
      message = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's own message names its source buffer and read constraints: say it plainly.
      JsonLocation at = e.getLocation();
      throw new MalformedReply(
          "the scheduler's answer is not TJSON ("
              + jsonProblem(e)
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + "); it begins '"
              + SafeText.cut(
                  new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip(),
                  80)
              + "'");
    } catch (IOException e) {
      throw new MalformedReply("the scheduler's answer cannot be read");
    }
    if (message == null || !message.isArray() || message.size() != 5) {
      throw new MalformedReply("the scheduler's answer is not a TJSON message");
    }
    if (message.get(0).asInt() != TJson.VERSION) {
      throw new MalformedReply("unsupported TJSON version " + message.get(0));
    }
    if (!method.equals(message.get(1).asText())) {
      throw new MalformedReply(
          "the scheduler answered " + message.get(1).asText() + " to " + method);
    }
    int type = message.get(2).asInt();
    Struct body5 = new Struct(message.get(4));
    if (type == EXCEPTION) {
      throw new MalformedReply(
          "the scheduler raised an exception for "
              + method
              + ": "
              + body5.str(APPLICATION_EXCEPTION_MESSAGE).orElse("?"));
    }
    if (type != REPLY) {
      throw new MalformedReply("unexpected TJSON message type " + type);
    }
    return body5
        .struct(RESULT_SUCCESS)
        .orElseThrow(() -> new MalformedReply(method + ": reply has no result"));
  }

  /** One struct value read by field id. */
  static final class Struct {
    private final JsonNode node;

    Struct(JsonNode node) {
      this.node = node;
    }

    private Optional<JsonNode> value(int id) {
      JsonNode field = node.get(Integer.toString(id));
      if (field == null || !field.isObject() || field.size() != 1) {
        return Optional.empty();
      }
      return Optional.of(field.elements().next());
    }

    boolean has(int id) {
      return value(id).isPresent();
    }

    Optional<String> str(int id) {
      return value(id).map(JsonNode::asText);
    }

    Optional<Long> integer(int id) {
      return value(id).map(JsonNode::asLong);
    }

    Optional<Boolean> bool(int id) {
      return value(id).map(v -> v.asInt() != 0);
    }

    Optional<Struct> struct(int id) {
      return value(id).filter(JsonNode::isObject).map(Struct::new);
    }

    /** The elements of a list or set field (empty when absent). */
    List<JsonNode> elements(int id) {
      List<JsonNode> out = new ArrayList<>();
      value(id)
          .filter(JsonNode::isArray)
          .ifPresent(
              array -> {
                for (int i = 2; i < array.size(); i++) {
                  out.add(array.get(i));
                }
              });
      return out;
    }

    /** The struct elements of a list or set field. */
    List<Struct> structs(int id) {
      return elements(id).stream().map(Struct::new).toList();
    }

    /** The entries of a map field, keys as written. */
    List<java.util.Map.Entry<String, JsonNode>> entries(int id) {
      List<java.util.Map.Entry<String, JsonNode>> out = new ArrayList<>();
      value(id)
          .filter(v -> v.isArray() && v.size() == 4)
          .ifPresent(
              array -> {
                for (Iterator<java.util.Map.Entry<String, JsonNode>> it = array.get(3).fields();
                    it.hasNext(); ) {
                  out.add(it.next());
                }
              });
      return out;
    }

    JsonNode node() {
      return node;
    }

    @Override
    public String toString() {
      return node.toString();
    }
  }
}
