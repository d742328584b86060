package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of the wire format: dict order, Python's json.dumps, TJSON values, netrc. */
class WireFormatTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.textValue()));
    return out;
  }

  @Test
  void dictOrderIsCpython27s() throws Exception {
    int cases = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("cpython27_dict_orders.jsonl"),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode c = MAPPER.readTree(line);
        List<String> insert = strings(c.get("insert"));
        PyDictOrder dict = PyDictOrder.insertedInOrder(insert);
        assertEquals(strings(c.get("order")), dict.keys(), "insert " + insert);
        assertEquals(strings(c.get("copy")), dict.copy().keys(), "copy of " + insert);
        cases++;
      }
    }
    assertEquals(300, cases);
  }

  @Test
  void floatsAreWrittenAsPythonsRepr() {
    assertEquals("1.0", PythonJson.floatRepr(1));
    assertEquals("0.1", PythonJson.floatRepr(0.1));
    assertEquals("0.25", PythonJson.floatRepr(0.25));
    assertEquals("15.0", PythonJson.floatRepr(15));
    assertEquals("0.0001", PythonJson.floatRepr(0.0001));
    assertEquals("1e-05", PythonJson.floatRepr(0.00001));
    assertEquals("1e+16", PythonJson.floatRepr(1e16));
    assertEquals("1000000000000000.0", PythonJson.floatRepr(1e15));
    assertEquals("123456789.123", PythonJson.floatRepr(123456789.123));
    assertEquals("-2.5", PythonJson.floatRepr(-2.5));
    assertEquals("0.30000000000000004", PythonJson.floatRepr(0.1 + 0.2));
  }

  @Test
  void stringsAreEscapedAsJsonDumpsDoes() throws Exception {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("s", "a\"b\\c\nd\té\u0001\u007f😀");
    assertEquals(
        "{\"s\": \"a\\\"b\\\\c\\nd\\t\\u00e9\\u0001\\u007f\\ud83d\\ude00\"}",
        PythonJson.dumps(node));
  }

  @Test
  void doublesAreWrittenAsThriftPythonsFormat() {
    assertEquals("1", TJson.formatDouble(1.0));
    assertEquals("0.5", TJson.formatDouble(0.5));
    assertEquals("0.10000000000000001", TJson.formatDouble(0.1));
    assertEquals("1e+20", TJson.formatDouble(1e20));
    assertEquals("\"NaN\"", TJson.formatDouble(Double.NaN));
  }

  @Test
  void tjsonValuesHaveNoWhitespaceAndExactCounts() {
    TJson.Struct s =
        new TJson.Struct()
            .set(10, TJson.set("i32", List.of(TJson.i32(6), TJson.i32(0))))
            .set(2, TJson.stringMap(Map.of("k", "v \"q\"")))
            .set(1, TJson.list("rec", List.of()));
    assertEquals(
        "[1,\"m\",1,0,{\"1\":{\"lst\":[\"rec\",0]},\"2\":{\"map\":[\"str\",\"str\",1,{\"k\":\"v \\\"q\\\"\"}]},\"10\":{\"set\":[\"i32\",2,6,0]}}]",
        new String(TJson.call("m", 0, s), StandardCharsets.UTF_8));
  }

  @Test
  void anErrorReplyIsDecoded() throws Exception {
    String reply =
        "[1,\"createJob\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":0},\"5\":{\"rec\":{\"1\":{\"str\":\"devcluster\"},\"3\":{\"str\":\"\"}}},\"6\":{\"lst\":[\"rec\",1,{\"1\":{\"str\":\"bad\"}}]}}}}]";
    TJsonReply.Struct response =
        TJsonReply.response(reply.getBytes(StandardCharsets.UTF_8), "createJob");
    assertEquals(Optional.of(0L), response.integer(1));
    assertEquals("bad", Responses.details(response));
  }
}
