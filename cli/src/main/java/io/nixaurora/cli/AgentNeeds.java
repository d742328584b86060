package io.nixaurora.cli;

import io.nixaurora.nix.local.NixDiagnosis;
import io.nixaurora.nix.local.StoreSettings;
import java.util.List;

/**
 * What an Aurora agent needs for a cluster's init processes to work, said the same way by {@code
 * agent-config} (as nix.conf comments) and {@code doctor}. Thermos runs every process, the inits
 * included, as the task's role user with its environment cleared to PATH, HOME, USER and LOGNAME. A
 * role user that does not own the store can only reach it through a nix-daemon; without one, {@code
 * nix-store} fails with "getting status of /nix/var/nix/daemon-socket/socket: Permission denied".
 */
final class AgentNeeds {
  private AgentNeeds() {}

  /** The Nix daemon socket agents use when nothing says otherwise. */
  static final String DEFAULT_SOCKET = NixDiagnosis.DEFAULT_SOCKET;

  /** One line per need, without comment markers (the store providers' doctor says the same). */
  static List<String> lines(ClusterConfig config) {
    return NixDiagnosis.agentNeeds(config.get(StoreSettings.DAEMON).orElse("false").equals("true"));
  }
}
