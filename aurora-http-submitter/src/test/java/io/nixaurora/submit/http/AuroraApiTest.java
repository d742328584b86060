package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every name in {@link AuroraApi} against Aurora 0.22's API as Thrift generates it from api.thrift
 * ({@code aurora-api/aurora-0.22-api.json}, dumped by {@code dump_api.py}; {@link AuroraApiDumpIT}
 * checks that copy against the real generated code).
 */
class AuroraApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode api;

  @BeforeAll
  static void load() throws IOException {
    api = dump();
  }

  /** The committed dump of 0.22's API. */
  static JsonNode dump() throws IOException {
    try (InputStream in =
        AuroraApiTest.class.getResourceAsStream("aurora-api/aurora-0.22-api.json")) {
      return MAPPER.readTree(in);
    }
  }

  @Test
  void everyNamedIdAndEnumValueIsApiThrifts() throws Exception {
    assertEquals(List.of(), problems(AuroraApi.class, api));
  }

  @Test
  void theCheckFindsAWrongIdAMisspeltNameAndAWrongEnumValue() throws Exception {
    assertEquals(
        List.of(
            "ACTIVE_STATES: api.thrift has [0, 1, 2, 6, 9, 12, 13, 16, 17, 18], the code [2]",
            "AURORA_EXECUTOR_NAME: api.thrift has 'AuroraExecutor', the code 'Aurora'",
            "LIVE_STATE: api.thrift has no constant LIVE_STATE",
            "JobKey.ENVIROMENT = 2: api.thrift's field 2 of JobKey is environment",
            "JobKey.NAME = 4: JobKey has no field 4",
            "Mode: api.thrift has {RO=2, RW=1}, the code {RO=1, RW=2}",
            "NoSuchStruct: api.thrift has no struct NoSuchStruct",
            "TypoArgs.METHOD = getTierConfig: api.thrift has no call getTierConfig"),
        problems(Broken.class, api));
  }

  @Test
  void everyStructTheSubmitterWritesOrReadsIsNamed() {
    // The classes the code uses are there, as classes of their own (not a catch-all).
    for (String struct :
        List.of("TaskConfig", "JobConfiguration", "JobUpdateRequest", "Response", "Result")) {
      assertTrue(
          List.of(AuroraApi.class.getDeclaredClasses()).stream()
              .anyMatch(c -> c.getSimpleName().equals(struct)),
          struct);
    }
    assertEquals(
        AuroraApi.ResponseCode.OK, AuroraApi.ThriftEnum.of(AuroraApi.ResponseCode.class, 1).get());
    assertTrue(AuroraApi.ThriftEnum.of(AuroraApi.ScheduleStatus.class, 8).isEmpty());
  }

  /**
   * What is wrong with the names in {@code holder}: each nested class is a struct (its {@code
   * short} constants are field ids) or, when its name ends in {@code Args}, a call (its {@code
   * METHOD} the call's name, its constants argument ids); each nested enum must have exactly
   * api.thrift's constants and values.
   */
  static List<String> problems(Class<?> holder, JsonNode api) throws IllegalAccessException {
    List<String> problems = new ArrayList<>();
    List<Field> constants = new ArrayList<>(List.of(holder.getDeclaredFields()));
    constants.sort((a, b) -> a.getName().compareTo(b.getName()));
    for (Field constant : constants) {
      if (!Modifier.isStatic(constant.getModifiers()) || constant.isSynthetic()) {
        continue;
      }
      constant.setAccessible(true);
      JsonNode expected = api.path("constants").path(constant.getName());
      Object value = constant.get(null);
      if (expected.isMissingNode()) {
        problems.add(constant.getName() + ": api.thrift has no constant " + constant.getName());
      } else if (value instanceof Set<?> set) {
        List<Integer> values = new ArrayList<>();
        set.forEach(e -> values.add(((AuroraApi.ThriftEnum) e).value()));
        values.sort(null);
        List<Integer> wanted = new ArrayList<>();
        expected.forEach(v -> wanted.add(v.asInt()));
        if (!values.equals(wanted)) {
          problems.add(constant.getName() + ": api.thrift has " + wanted + ", the code " + values);
        }
      } else if (!expected.asText().equals(value)) {
        problems.add(
            constant.getName()
                + ": api.thrift has '"
                + expected.asText()
                + "', the code '"
                + value
                + "'");
      }
    }
    List<Class<?>> nested = new ArrayList<>(List.of(holder.getDeclaredClasses()));
    nested.sort((a, b) -> a.getSimpleName().compareTo(b.getSimpleName()));
    for (Class<?> type : nested) {
      String name = type.getSimpleName();
      if (type.isInterface()) {
        continue;
      }
      if (type.isEnum()) {
        JsonNode values = api.path("enums").path(name);
        if (values.isMissingNode()) {
          problems.add(name + ": api.thrift has no enum " + name);
          continue;
        }
        Map<String, Integer> expected = new TreeMap<>();
        values.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> actual = new TreeMap<>();
        for (Object constant : type.getEnumConstants()) {
          actual.put(((Enum<?>) constant).name(), ((AuroraApi.ThriftEnum) constant).value());
        }
        if (!expected.equals(actual)) {
          problems.add(name + ": api.thrift has " + expected + ", the code " + actual);
        }
        continue;
      }
      JsonNode fields;
      String owner;
      if (name.endsWith("Args")) {
        Field method;
        try {
          method = type.getDeclaredField("METHOD");
        } catch (NoSuchFieldException e) {
          problems.add(name + ": no METHOD");
          continue;
        }
        method.setAccessible(true);
        String call = (String) method.get(null);
        String expected =
            Character.toLowerCase(name.charAt(0)) + name.substring(1, name.length() - 4);
        if (!api.path("calls").has(call)) {
          problems.add(name + ".METHOD = " + call + ": api.thrift has no call " + call);
          continue;
        }
        if (!call.equals(expected)) {
          problems.add(name + ".METHOD = " + call + ": the class should be named for it");
        }
        fields = api.path("calls").path(call).path("args");
        owner = call + "'s arguments";
      } else {
        fields = api.path("structs").path(name);
        owner = name;
        if (fields.isMissingNode()) {
          problems.add(name + ": api.thrift has no struct " + name);
          continue;
        }
      }
      for (Field field : type.getDeclaredFields()) {
        if (field.getType() != short.class || !Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        short id = field.getShort(null);
        JsonNode declared = fields.path(Short.toString(id));
        if (declared.isMissingNode()) {
          problems.add(
              name + "." + field.getName() + " = " + id + ": " + owner + " has no field " + id);
        } else if (!constantCase(declared.path("name").asText()).equals(field.getName())) {
          problems.add(
              name
                  + "."
                  + field.getName()
                  + " = "
                  + id
                  + ": api.thrift's field "
                  + id
                  + " of "
                  + owner
                  + " is "
                  + declared.path("name").asText());
        }
      }
    }
    return problems;
  }

  /** {@code maxTaskFailures} as {@code MAX_TASK_FAILURES}. */
  static String constantCase(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }

  /** Names with the mistakes the check is for. */
  static final class Broken {
    static final String AURORA_EXECUTOR_NAME = "Aurora";
    static final Set<AuroraApi.ScheduleStatus> ACTIVE_STATES =
        Set.of(AuroraApi.ScheduleStatus.RUNNING);
    static final Set<AuroraApi.ScheduleStatus> LIVE_STATE = Set.of();

    static final class JobKey {
      static final short ROLE = 1;
      static final short ENVIROMENT = 2;
      static final short NAME = 4;
    }

    static final class NoSuchStruct {
      static final short X = 1;
    }

    static final class TypoArgs {
      static final String METHOD = "getTierConfig";
    }

    enum Mode implements AuroraApi.ThriftEnum {
      RW,
      RO;

      @Override
      public int value() {
        return this == RW ? 2 : 1; // api.thrift has RW = 1, RO = 2
      }
    }
  }
}
