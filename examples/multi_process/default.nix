# Several processes with the user's own ordering: prepare, then render, then serve.
# nix-aurora adds an init process before each of them; the user's order constraint is kept.
{ aurora, pkgs, ... }:
with aurora;
Service {
  cluster = "devcluster";
  role = "vagrant";
  environment = "devel";
  name = "greeter";
  task = Task {
    processes = [
      (Process {
        name = "prepare";
        cmdline = "${pkgs.hello}/bin/hello > greeting.txt";
      })
      (Process {
        name = "render";
        cmdline = "${pkgs.python3}/bin/python3 ${./render.py} greeting.txt index.html";
      })
      (Process {
        name = "serve";
        cmdline = "${pkgs.python3}/bin/python3 -m http.server {{thermos.ports[http]}}";
      })
    ];
    constraints = [ (order [ "prepare" "render" "serve" ]) ];
    resources = Resources { cpu = 1; ram = 32 * MB; disk = 64 * MB; };
  };
}
