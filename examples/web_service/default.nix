# A web service: Python's http.server serving ./site on the port Aurora assigns to "http".
# {{thermos.ports[http]}} is a Thermos template, filled in on the agent when the task starts.
{ aurora, pkgs, ... }:
with aurora;
Service {
  cluster = "devcluster";
  role = "www-data";
  environment = "prod";
  name = "web";
  instances = 2;
  task = Task {
    processes = [
      (Process {
        name = "http_server";
        cmdline = "${pkgs.python3}/bin/python3 -m http.server --directory ${./site} {{thermos.ports[http]}}";
      })
    ];
    resources = Resources { cpu = 0.5; ram = 64 * MB; disk = 128 * MB; };
  };
  update_config = UpdateConfig { batch_size = 1; watch_secs = 15; };
}
