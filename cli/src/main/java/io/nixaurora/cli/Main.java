package io.nixaurora.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** The {@code nix-aurora} command's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    // $HOME wins over the JVM's idea of home (the passwd entry), as it does for the aurora client
    // and Nix: ~/.aurora, ~/.netrc, ~/.config and the caches are the ones the user means.
    String home = System.getenv("HOME");
    if (home != null && home.startsWith("/")) {
      System.setProperty("user.home", home);
    }
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code;
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // The one command scripts run in a loop: answered before any of the command model is built.
      for (String line : VersionProvider.lines()) {
        out.println(line);
      }
      code = 0;
    } else {
      CliComponent component =
          DaggerCliComponent.factory().create(Environment.system(), Main.class.getClassLoader());
      Interruption interruption = component.interruption();
      // SIGINT/SIGTERM to the JVM: one line on what was interrupted, after the children stopped.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> interruption.onShutdown(err), "nix-aurora-interrupted"));
      code = execute(component, out, err, args);
      interruption.exiting();
      if (Boolean.getBoolean("nixaurora.cds.training")) {
        CdsTraining.run(); // the launcher's archive-building run only
      }
    }
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command with the given environment and streams, and returns its exit code. Tests call
   * this in-process.
   */
  public static int execute(
      Environment environment, PrintWriter out, PrintWriter err, String... args) {
    return execute(
        DaggerCliComponent.factory().create(environment, Main.class.getClassLoader()),
        out,
        err,
        args);
  }

  private static int execute(
      CliComponent component, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine;
    try {
      commandLine = commandLine(component, args);
    } catch (CommandLine.InitializationException e) {
      // a bug in the command model, not the user's input
      boolean trace = Arrays.asList(args).contains("--stacktrace");
      err.println("error: internal error: " + e.getMessage());
      err.println(
          "hint: this is a bug in nix-aurora; rerun with --stacktrace and report the trace");
      if (trace) {
        e.printStackTrace(err);
      }
      err.flush();
      return ErrorReporter.INTERNAL_ERROR;
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    component.interruption().commandStarted();
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
      component.interruption().commandReturned();
    }
  }

  /** The subcommands, in the order help lists them. */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("build", BuildCommand.class);
    m.put("create", CreateCommand.class);
    m.put("update", UpdateCommand.class);
    m.put("kill", KillCommand.class);
    m.put("status", StatusCommand.class);
    m.put("diff", DiffCommand.class);
    m.put("run", RunCommand.class);
    m.put("cache", CacheCommand.class);
    m.put("gc-roots", GcRootsCommand.class);
    m.put("agent-config", AgentConfigCommand.class);
    m.put("doctor", DoctorCommand.class);
    m.put("config", ConfigCommand.class);
    m.put("completion", CompletionCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(m);
  }

  /** The whole command model (help, completion, tests). */
  static CommandLine commandLine(CliComponent component) {
    return commandLine(component, null);
  }

  /**
   * The command model, with the component's factory and the error handling. Start-up is mostly
   * building this model by reflection, so when the command line names a subcommand only that one is
   * added (help, completion and mistyped names get all of them).
   */
  static CommandLine commandLine(CliComponent component, String[] args) {
    CommandLine commandLine = new CommandLine(NixAuroraCommand.class, component.commandFactory());
    String only = args == null ? null : firstSubcommand(args);
    for (var entry : SUBCOMMANDS.entrySet()) {
      if (only == null || only.equals(entry.getKey())) {
        try {
          commandLine.addSubcommand(
              entry.getKey(), component.commandFactory().create(entry.getValue()));
        } catch (CommandLine.InitializationException e) {
          throw e;
        } catch (Exception e) {
          throw new CommandLine.InitializationException(
              "cannot create the " + entry.getKey() + " command: " + e, e);
        }
      }
    }
    ErrorReporter reporter = new ErrorReporter(component.globalOptions());
    commandLine.setExecutionExceptionHandler(reporter);
    commandLine.setParameterExceptionHandler(reporter);
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new VersionProvider());
    }
    CommandLine config = commandLine.getSubcommands().get("config");
    if (config != null) {
      String[] description = config.getCommandSpec().usageMessage().description();
      String[] withKeys = Arrays.copyOf(description, description.length + 1);
      withKeys[description.length] = ConfigCommand.keyTable(component.backends());
      config.getCommandSpec().usageMessage().description(withKeys);
    }
    return commandLine;
  }

  /** The subcommand the arguments name, if the first non-option argument is one; else null. */
  private static String firstSubcommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config")) {
        i++; // its value
        continue;
      }
      if (a.startsWith("-")) {
        continue;
      }
      return SUBCOMMANDS.containsKey(a) && !a.equals("help") && !a.equals("completion") ? a : null;
    }
    return null;
  }
}
