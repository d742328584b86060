package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nixaurora.api.StorePath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real Nix for tests (tests may; main code goes through nix-local's NixRunner). */
final class TestNix {

  /** What a command printed. */
  record Result(int exit, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8).strip();
    }
  }

  private TestNix() {}

  static Result run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path err = Files.createTempFile("nix-test", ".err");
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      out = b.toByteArray();
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + Arrays.toString(command));
    }
    String stderr = Files.readString(err);
    Files.delete(err);
    return new Result(p.exitValue(), out, stderr);
  }

  static Result run(String... command) throws IOException, InterruptedException {
    return run(Map.of(), command);
  }

  static Result ok(String... command) throws IOException, InterruptedException {
    Result r = run(command);
    assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.stderr());
    return r;
  }

  /**
   * Builds a tiny closure with plain derivations: {@code lib} (a directory with a regular file, an
   * executable, a relative symlink, a subdirectory, names that sort differently as bytes and as
   * text), {@code app} (refers to lib, has a self-reference and an absolute symlink), a single-file
   * {@code conf} (a top-level regular node) and {@code top} referring to both. Returns the path of
   * {@code top}; {@code salt} makes distinct paths.
   */
  static StorePath buildClosure(Path dir, String salt) throws IOException, InterruptedException {
    Path nix = dir.resolve("closure-" + salt + ".nix");
    String sys = "x86_64-linux";
    Files.writeString(
        nix,
        """
        let
          sh = script: name: derivation {
            inherit name; system = "SYS"; builder = "/bin/sh";
            args = [ "-c" script ]; salt = "SALT";
          };
          lib = sh ''
            /bin/mkdir -p $out/bin $out/share/doc $out/empty
            echo "library SALT" > $out/share/doc/README
            printf '#!/bin/sh\\necho hi\\n' > $out/bin/hello
            /bin/chmod +x $out/bin/hello
            /bin/ln -s ../share/doc/README $out/README
            echo B > $out/share/B; echo a > $out/share/a; echo Z > $out/share/_z
            /bin/ln -s /nonexistent/dangling $out/dangling
          '' "lib-SALT";
          conf = sh ''echo "conf ${lib}/bin/hello" > $out'' "conf-SALT";
          app = sh ''
            /bin/mkdir -p $out/bin
            echo "uses ${lib}/bin/hello and $out" > $out/bin/app
            /bin/ln -s ${lib}/share $out/share
          '' "app-SALT";
        in sh ''echo "${app}/bin/app ${conf}" > $out'' "top-SALT"
        """
            .replace("SYS", sys)
            .replace("SALT", salt));
    Result r = ok("nix-build", "--no-out-link", nix.toString());
    return StorePath.of(r.out());
  }

  /**
   * Builds a path of {@code megabytes} MiB of random (incompressible) bytes, referring to {@code
   * ref} if given; {@code salt} makes distinct paths.
   */
  static StorePath buildBig(Path dir, String salt, int megabytes, StorePath ref)
      throws IOException, InterruptedException {
    Path nix = dir.resolve("big-" + salt + ".nix");
    Files.writeString(
        nix,
        """
        derivation {
          name = "big-SALT"; system = "x86_64-linux"; builder = "/bin/sh"; salt = "SALT";
          args = [ "-c" ''
            /bin/mkdir -p $out
            /bin/dd if=/dev/urandom of=$out/blob bs=1048576 count=MB 2>/dev/null
            echo "REF" > $out/ref
          '' ];
        }
        """
            .replace("SALT", salt)
            .replace("MB", Integer.toString(megabytes))
            .replace("REF", ref == null ? "none" : "${builtins.storePath \"" + ref + "\"}"));
    return StorePath.of(ok("nix-build", "--no-out-link", nix.toString()).out());
  }

  /** The closure of {@code root}, dependencies first. */
  static List<StorePath> requisites(StorePath root) throws IOException, InterruptedException {
    List<StorePath> out = new ArrayList<>();
    for (String line : ok("nix-store", "-qR", root.toString()).out().split("\n")) {
      out.add(StorePath.of(line));
    }
    return out;
  }

  /** Realises {@code path} in a fresh chroot store at {@code store} from {@code url}. */
  static Result substitute(Path store, String url, String trustedKey, StorePath path)
      throws IOException, InterruptedException {
    return run(
        "nix-store",
        "--store",
        store.toString(),
        "-r",
        path.toString(),
        "--option",
        "substituters",
        url,
        "--option",
        "trusted-public-keys",
        trustedKey,
        "--option",
        "require-sigs",
        "true",
        "--option",
        "narinfo-cache-negative-ttl",
        "0",
        "--option",
        "narinfo-cache-positive-ttl",
        "0",
        "--max-jobs",
        "0");
  }

  static void deleteTree(Path p) throws IOException, InterruptedException {
    if (Files.exists(p)) {
      // Chroot stores contain read-only directories.
      run("chmod", "-R", "u+w", p.toString());
      run("rm", "-rf", p.toString());
    }
  }
}
