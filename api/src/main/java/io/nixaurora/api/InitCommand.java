package io.nixaurora.api;

/**
 * How an agent realises a process's closure: the cmdline of the {@code nix_init_<process>} process.
 * Thermos runs it as {@code /bin/bash -c <cmdline>} in the sandbox, as the role user, with a
 * cleared environment (docs/ARCHITECTURE.md, "The init command contract").
 */
@FunctionalInterface
public interface InitCommand {

  /**
   * The shell command that realises {@code script} and roots it in the sandbox under {@code
   * .gc/<process>}. It must exit non-zero with Nix's message when the path cannot be realised and
   * must never contain {@code {{}.
   */
  String cmdline(ProcessScript script);
}
