package io.nixaurora.cli;

import java.util.ArrayList;
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
  static final String DEFAULT_SOCKET = "/nix/var/nix/daemon-socket/socket";

  /** One line per need, without comment markers. */
  static List<String> lines(ClusterConfig config) {
    boolean daemon = config.get(Setting.DAEMON).orElse("false").equals("true");
    List<String> out = new ArrayList<>();
    if (daemon) {
      out.add(
          "agents need a running nix-daemon (e.g. systemctl enable --now nix-daemon): the init"
              + " runs nix-store as the task's role user with NIX_REMOTE=daemon");
      out.add(
          "the daemon's socket ("
              + DEFAULT_SOCKET
              + ") must be reachable by role users (Debian's nix-bin: add them to the group"
              + " nix-users); for another socket set profile_script to a"
              + " file exporting NIX_DAEMON_SOCKET_PATH (Thermos clears every variable but PATH,"
              + " HOME, USER and LOGNAME)");
    } else {
      out.add(
          "daemon = false: the init runs nix-store as the task's role user without a daemon,"
              + " which works only if that user owns the Nix store; for other role users it fails"
              + " with \"getting status of "
              + DEFAULT_SOCKET
              + ": Permission denied\"; set daemon = true and run nix-daemon on every agent");
    }
    return out;
  }
}
