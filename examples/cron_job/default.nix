# A cron job: runs every 15 minutes; a new run replaces one still running.
{ aurora, pkgs, ... }:
with aurora;
Job {
  cluster = "devcluster";
  role = "vagrant";
  environment = "devel";
  name = "greeting_report";
  cron_schedule = "*/15 * * * *";
  cron_collision_policy = "KILL_EXISTING";
  task = Task {
    processes = [
      (Process {
        name = "report";
        cmdline = "${pkgs.hello}/bin/hello && echo \"report done at $(date)\"";
      })
    ];
    resources = Resources { cpu = 0.25; ram = 16 * MB; disk = 16 * MB; };
  };
}
