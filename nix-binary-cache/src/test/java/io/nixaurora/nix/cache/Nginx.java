package io.nixaurora.nix.cache;

import io.nixaurora.support.Command;
import io.nixaurora.support.CommandException;
import io.nixaurora.support.RunningCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real nginx accepting PUT (WebDAV) on a free localhost port, for HTTP cache tests. */
final class Nginx implements AutoCloseable {

  final Path dir;
  final Path root;
  final int port;
  private final RunningCommand process;

  private Nginx(Path dir, Path root, int port, RunningCommand process) {
    this.dir = dir;
    this.root = root;
    this.port = port;
    this.process = process;
  }

  static Nginx start(Path dir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path root = Files.createDirectories(dir.resolve("www"));
    Files.createDirectories(dir.resolve("logs"));
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(
        conf,
        """
        user root;
        worker_processes 1;
        pid DIR/nginx.pid;
        error_log DIR/logs/error.log;
        events { worker_connections 1024; }
        http {
          access_log off;
          client_body_temp_path DIR/body;
          proxy_temp_path DIR/proxy;
          fastcgi_temp_path DIR/fastcgi;
          uwsgi_temp_path DIR/uwsgi;
          scgi_temp_path DIR/scgi;
          client_max_body_size 0;
          keepalive_requests 1000000;
          server {
            listen 127.0.0.1:PORT;
            root ROOT;
            location /readonly/ { }
            location /listed/ {
              dav_methods PUT DELETE;
              create_full_put_path on;
              dav_access user:rw group:r all:r;
              autoindex on;
              autoindex_format json;
            }
            location / {
              dav_methods PUT;
              create_full_put_path on;
              dav_access user:rw group:r all:r;
            }
          }
        }
        """
            .replace("DIR", dir.toString())
            .replace("ROOT", root.toString())
            .replace("PORT", Integer.toString(port)));
    RunningCommand p;
    try {
      p =
          Command.of(
                  List.of(
                      "nginx", "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;"))
              .withOutputLimit(1 << 20)
              .start();
      p.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
    } catch (CommandException e) {
      throw new IOException("nginx did not start: " + e.getMessage(), e);
    }
    return new Nginx(dir, root, port, p);
  }

  String url(String prefix) {
    return "http://127.0.0.1:" + port + "/" + prefix;
  }

  @Override
  public void close() {
    process.stop();
  }
}
