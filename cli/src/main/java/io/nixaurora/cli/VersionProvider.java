package io.nixaurora.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code nix-aurora --version}: the project version Maven wrote into the jar, and the JVM. */
public final class VersionProvider implements CommandLine.IVersionProvider {

  /** The version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /** The lines {@code --version} prints. */
  public static String[] lines() {
    return new String[] {
      "nix-aurora " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  @Override
  public String[] getVersion() {
    return lines();
  }
}
