package io.nixaurora.nix.local;

import io.nixaurora.api.BackendContext;
import io.nixaurora.api.Diagnosis;
import io.nixaurora.api.NixException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code doctor} checks for a store provider that runs this machine's Nix and has agents fetch
 * closures with Nix: Nix present, its store writable or daemon reachable, and what the agents need
 * (other machines: said, not checked). The local and binary-cache providers share it.
 */
public final class NixDiagnosis {
  private NixDiagnosis() {}

  /** The Nix daemon socket agents use when nothing says otherwise. */
  public static final String DEFAULT_SOCKET = "/nix/var/nix/daemon-socket/socket";

  /** Nix on this machine: its version, and whether its store can be written. */
  public static List<Diagnosis> localNix(StoreSettings settings, BackendContext context) {
    List<Diagnosis> out = new ArrayList<>();
    Path bin = settings.localNixBinDir();
    NixRunner nix = new NixRunner(bin, java.util.Map.of());
    try {
      String version = nix.run("nix-store", List.of("--version")).stdoutText().strip();
      out.add(Diagnosis.ok("Nix: " + version + " in " + bin));
    } catch (NixException e) {
      out.add(
          Diagnosis.fail(
              "Nix: " + firstLine(e.getMessage()),
              "install Nix (Debian/Ubuntu: apt-get install nix-bin) or set local_nix_bin_dir"));
      return out;
    }
    boolean daemon = context.variable("NIX_REMOTE").map(r -> r.equals("daemon")).orElse(false);
    if (daemon) {
      try {
        nix.run("nix", List.of("--extra-experimental-features", "nix-command", "store", "ping"));
        out.add(Diagnosis.ok("Nix daemon reachable (NIX_REMOTE=daemon)"));
      } catch (NixException e) {
        out.add(
            Diagnosis.fail(
                "Nix daemon: " + firstLine(e.getMessage()),
                "start it (systemctl start nix-daemon) or unset NIX_REMOTE"));
      }
    } else if (Files.isWritable(Path.of("/nix/store"))
        && Files.isWritable(Path.of("/nix/var/nix"))) {
      out.add(Diagnosis.ok("Nix store /nix/store writable (single-user)"));
    } else {
      out.add(
          Diagnosis.fail(
              "Nix store /nix/store is not writable by this user",
              "use the daemon (NIX_REMOTE=daemon, nix-daemon running) or run as the store's"
                  + " owner"));
    }
    return out;
  }

  /**
   * What the agents need for the cluster's init processes to work. Thermos runs every process, the
   * inits included, as the task's role user with its environment cleared to PATH, HOME, USER and
   * LOGNAME. A role user that does not own the store can only reach it through a nix-daemon;
   * without one, {@code nix-store} fails with "getting status of /nix/var/nix/daemon-socket/socket:
   * Permission denied".
   */
  public static List<String> agentNeeds(boolean daemon) {
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

  /** The agents' needs as notes, and whether this machine (maybe an agent) runs a daemon. */
  public static List<Diagnosis> agents(StoreSettings settings, BackendContext context) {
    List<Diagnosis> out = new ArrayList<>();
    agentNeeds(settings.daemon()).forEach(line -> out.add(Diagnosis.note(line)));
    if (settings.daemon()
        && context.variable("NIX_DAEMON_SOCKET_PATH").isEmpty()
        && !Files.exists(Path.of(DEFAULT_SOCKET))) {
      out.add(
          Diagnosis.note(
              "this machine runs no nix-daemon (no "
                  + DEFAULT_SOCKET
                  + "); if it is an agent, its inits will fail until one runs"));
    }
    return out;
  }

  static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }
}
