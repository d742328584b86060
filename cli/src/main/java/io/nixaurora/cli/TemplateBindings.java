package io.nixaurora.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the templates the Thermos executor binds ({@code {{thermos.ports[NAME]}}}, {@code
 * {{mesos.instance}}}, {@code {{mesos.hostname}}}, {@code {{thermos.task_id}}}, {@code
 * {{thermos.user}}}) and the fields Aurora's client binds ({@code role}, {@code environment},
 * {@code cluster}, {@code instances}, {@code task.name}, and {@code name}: in a cmdline the
 * process's own), for running a task on this machine. Each port name gets one free port.
 */
final class TemplateBindings {
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^{}]+?)\\s*}}");
  private static final Pattern PORT = Pattern.compile("thermos\\.ports\\[([^\\]]+)]");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new TreeMap<>();

  TemplateBindings(Map<String, String> job, int instance, String taskId, String user) {
    values.put("mesos.instance", String.valueOf(instance));
    values.put("mesos.hostname", hostname());
    values.put("thermos.task_id", taskId);
    values.put("thermos.user", user);
    values.put("mesos.role", job.getOrDefault("role", ""));
    values.put("mesos.cluster", job.getOrDefault("cluster", ""));
    job.forEach(values::put);
  }

  /** The ports handed out, by name. */
  Map<String, Integer> ports() {
    return ports;
  }

  /**
   * Binds every template in {@code cmdline}.
   *
   * @throws CliException (exit 3) for a template Thermos would not bind either
   */
  String bind(String process, String cmdline) throws CliException {
    Matcher m = TEMPLATE.matcher(cmdline);
    StringBuilder out = new StringBuilder();
    List<String> unbound = new ArrayList<>();
    while (m.find()) {
      String ref = m.group(1);
      // pystachio looks a name up in the innermost struct first: a process's own name.
      String value = ref.equals("name") ? process : value(ref);
      if (value == null) {
        unbound.add("{{" + ref + "}}");
        value = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (!unbound.isEmpty()) {
      throw CliException.configuration(
          "process " + process + ": unbound template(s) " + String.join(", ", unbound),
          "the executor binds only thermos.ports[NAME], mesos.instance, mesos.hostname,"
              + " thermos.task_id and thermos.user");
    }
    return out.toString();
  }

  private String value(String ref) throws CliException {
    Matcher port = PORT.matcher(ref);
    if (port.matches()) {
      String name = port.group(1);
      Integer p = ports.get(name);
      if (p == null) {
        p = freePort();
        ports.put(name, p);
      }
      return String.valueOf(p);
    }
    return values.get(ref);
  }

  private static int freePort() throws CliException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw CliException.failure("cannot find a free port: " + e.getMessage(), null);
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
