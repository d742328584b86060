package io.nixaurora.compiler;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cron schedule as the Aurora 0.22 scheduler reads it ({@code
 * org.apache.aurora.scheduler.cron.CrontabEntry}): five fields (minute, hour, day of month, month,
 * day of week) separated by whitespace, nothing before or after; each field a comma-separated list
 * of {@code N}, {@code *}, {@code A-B}, {@code *}{@code /S} or {@code A-B/S}; month and day names
 * ({@code JAN}, {@code MON}, any case) where the scheduler takes them.
 *
 * <p>Written out rather than taken from a cron library on purpose: the point is to agree with the
 * scheduler, quirks included, so a job nix-aurora accepts is never refused by the scheduler after
 * its closures were published. The quirks kept: day of week is 0-6 (7 is not Sunday); {@code A-B/S}
 * needs {@code 0 < S < B}; a step on {@code *} needs only {@code S > 0}; a name is replaced
 * wherever it occurs in the upper-cased component, so {@code sunday} becomes {@code 0DAY} and is
 * refused; day of month and day of week cannot both be restricted. A field of only commas makes the
 * scheduler's parser fail with a NoSuchElementException instead of refusing; it is refused here.
 * The agreement is checked against the scheduler's own parser by {@code CronScheduleIT}.
 *
 * <p>Instances are immutable.
 */
public final class CronSchedule {

  // The scheduler's patterns, character for character: \s and \d are ASCII-only in Java, as there.
  private static final Pattern ENTRY =
      Pattern.compile("^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)$");
  private static final Pattern NUMBER = Pattern.compile("^(\\d+)$");
  private static final Pattern WILDCARD = Pattern.compile("^\\*$");
  private static final Pattern RANGE = Pattern.compile("^(\\d+)-(\\d+)$");
  private static final Pattern WILDCARD_WITH_SKIP = Pattern.compile("^\\*/(\\d+)$");
  private static final Pattern RANGE_WITH_SKIP = Pattern.compile("^(\\d+)-(\\d+)/(\\d+)$");

  private static final List<String> MONTH_NAMES =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAY_NAMES =
      List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** One field's name and bounds, and the names it accepts (numbered from {@code nameBase}). */
  private record Field(String name, int min, int max, List<String> names, int nameBase) {}

  private static final Field MINUTE = new Field("minute", 0, 59, List.of(), 0);
  private static final Field HOUR = new Field("hour", 0, 23, List.of(), 0);
  private static final Field DAY_OF_MONTH = new Field("day of month", 1, 31, List.of(), 0);
  private static final Field MONTH = new Field("month", 1, 12, MONTH_NAMES, 1);
  private static final Field DAY_OF_WEEK = new Field("day of week", 0, 6, DAY_NAMES, 0);

  /** Why a schedule is refused. */
  public static final class InvalidScheduleException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidScheduleException(String message) {
      super(message);
    }
  }

  private final String text;
  private final BitSet[] fields;

  private CronSchedule(String text, BitSet[] fields) {
    this.text = text;
    this.fields = fields;
  }

  /**
   * Reads {@code schedule} as the Aurora scheduler does.
   *
   * @throws InvalidScheduleException when the scheduler would refuse it; the message says why
   */
  public static CronSchedule parse(String schedule) throws InvalidScheduleException {
    Objects.requireNonNull(schedule, "schedule");
    Matcher m = ENTRY.matcher(schedule);
    if (!m.matches()) {
      throw new InvalidScheduleException(
          "must be five fields (minute hour day-of-month month day-of-week) separated by"
              + " spaces, with nothing before or after");
    }
    Field[] order = {MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK};
    BitSet[] values = new BitSet[order.length];
    for (int i = 0; i < order.length; i++) {
      values[i] = parseField(order[i], m.group(i + 1));
    }
    boolean everyDayOfMonth = covers(values[2], DAY_OF_MONTH);
    boolean everyDayOfWeek = covers(values[4], DAY_OF_WEEK);
    if (!everyDayOfMonth && !everyDayOfWeek) {
      throw new InvalidScheduleException(
          "restricts both the day of month and the day of week, which Aurora does not support;"
              + " make one of them *");
    }
    return new CronSchedule(schedule, values);
  }

  /** What the scheduler would refuse in {@code schedule}, or empty when it accepts it. */
  public static Optional<String> problem(String schedule) {
    try {
      parse(schedule);
      return Optional.empty();
    } catch (InvalidScheduleException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The schedule as written. */
  public String text() {
    return text;
  }

  /**
   * The schedule in the scheduler's canonical form ({@code CrontabEntry.toString()}): {@code *} for
   * a whole field, else ascending values and ranges.
   */
  public String canonical() {
    Field[] order = {MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < order.length; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(canonical(fields[i], order[i]));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  private static String canonical(BitSet values, Field field) {
    if (covers(values, field)) {
      return "*";
    }
    StringBuilder out = new StringBuilder();
    for (int v = values.nextSetBit(0); v >= 0; ) {
      int end = values.nextClearBit(v) - 1;
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(v == end ? String.valueOf(v) : v + "-" + end);
      v = values.nextSetBit(end + 1);
    }
    return out.toString();
  }

  private static boolean covers(BitSet values, Field field) {
    return values.nextClearBit(field.min()) > field.max();
  }

  private static BitSet parseField(Field field, String raw) throws InvalidScheduleException {
    BitSet values = new BitSet();
    boolean any = false;
    for (String component : raw.split(",")) {
      if (component.isEmpty()) {
        continue; // the scheduler's Splitter omits empty strings
      }
      any = true;
      String named = field.names().isEmpty() ? component : replaceNames(component, field);
      parseComponent(field, named, component, values);
    }
    if (!any) {
      throw new InvalidScheduleException(field.name() + ": '" + raw + "' has no values");
    }
    return values;
  }

  /** As the scheduler does: upper-case, then replace each name wherever it occurs. */
  private static String replaceNames(String component, Field field) {
    String out = component.toUpperCase(Locale.ENGLISH);
    for (int i = 0; i < field.names().size(); i++) {
      out = out.replace(field.names().get(i), String.valueOf(field.nameBase() + i));
    }
    return out;
  }

  private static void parseComponent(Field field, String c, String raw, BitSet values)
      throws InvalidScheduleException {
    if (WILDCARD.matcher(c).matches()) {
      values.set(field.min(), field.max() + 1);
      return;
    }
    Matcher m = NUMBER.matcher(c);
    if (m.matches()) {
      int n = number(field, m.group(1), raw);
      inBounds(field, n, n, raw);
      values.set(n);
      return;
    }
    m = RANGE.matcher(c);
    if (m.matches()) {
      int lower = number(field, m.group(1), raw);
      int upper = number(field, m.group(2), raw);
      ordered(field, lower, upper, raw);
      inBounds(field, lower, upper, raw);
      values.set(lower, upper + 1);
      return;
    }
    m = WILDCARD_WITH_SKIP.matcher(c);
    if (m.matches()) {
      int skip = number(field, m.group(1), raw);
      if (skip <= 0) {
        throw new InvalidScheduleException(field.name() + ": '" + raw + "' needs a step above 0");
      }
      for (long i = field.min(); i <= field.max(); i += skip) {
        values.set((int) i);
      }
      return;
    }
    m = RANGE_WITH_SKIP.matcher(c);
    if (m.matches()) {
      int lower = number(field, m.group(1), raw);
      int upper = number(field, m.group(2), raw);
      int skip = number(field, m.group(3), raw);
      ordered(field, lower, upper, raw);
      inBounds(field, lower, upper, raw);
      if (skip <= 0 || skip >= upper) {
        throw new InvalidScheduleException(
            field.name()
                + ": '"
                + raw
                + "' needs a step above 0 and below the range's end ("
                + upper
                + "), as Aurora requires");
      }
      for (int i = lower; i <= upper; i += skip) {
        values.set(i);
      }
      return;
    }
    throw new InvalidScheduleException(
        field.name()
            + ": '"
            + raw
            + "' is not N, *, A-B, */S or A-B/S"
            + (field.names().isEmpty()
                ? ""
                : " (names: " + String.join(", ", field.names()) + ")"));
  }

  private static int number(Field field, String digits, String raw)
      throws InvalidScheduleException {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new InvalidScheduleException(field.name() + ": '" + raw + "' is out of range");
    }
  }

  private static void ordered(Field field, int lower, int upper, String raw)
      throws InvalidScheduleException {
    if (lower > upper) {
      throw new InvalidScheduleException(
          field.name() + ": '" + raw + "' is a range whose start is after its end");
    }
  }

  private static void inBounds(Field field, int lower, int upper, String raw)
      throws InvalidScheduleException {
    if (lower < field.min() || upper > field.max()) {
      throw new InvalidScheduleException(
          field.name()
              + ": '"
              + raw
              + "' is outside "
              + field.min()
              + "-"
              + field.max()
              + (field == DAY_OF_WEEK && upper == 7 ? " (Sunday is 0 in Aurora, not 7)" : ""));
    }
  }
}
