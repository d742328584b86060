#!/usr/bin/env python3
"""Writes the wire-parity corpus (WireParityIT): one NAME.json per job, as `aurora job create
--read-json` reads it, and for jobs whose Choice fields 0.22's --read-json cannot load also
NAME.aurora, the same job in Aurora's Python DSL with every struct written with its constructor.
Run it here after changing a job; the files are checked in."""
import json, os

MB = 1024 * 1024
def base(name, **kw):
    job = {"cluster": "devcluster", "role": "vagrant", "environment": "devel", "name": name,
           "task": {"processes": [{"name": "main", "cmdline": "echo hello"}],
                    "resources": {"cpu": 0.5, "ram": 64 * MB, "disk": 64 * MB}}}
    job.update(kw)
    return job

def task(processes, **kw):
    t = {"processes": processes, "resources": {"cpu": 1.0, "ram": 128 * MB, "disk": 256 * MB}}
    t.update(kw)
    return t

J = {}
J["minimal"] = base("minimal")
J["service_full"] = base(
    "service_full", service=True, instances=3, contact="ops@example.com", priority=5,
    max_task_failures=4, production=True, tier="preferred", enable_hooks=False,
    task=task([{"name": "web", "cmdline": "serve --port {{thermos.ports[http]}} --admin {{thermos.ports[admin]}}",
                "max_failures": 3, "daemon": True, "min_duration": 15},
               {"name": "sidecar", "cmdline": "tail -f /dev/null", "ephemeral": True},
               {"name": "cleanup", "cmdline": "rm -rf tmp", "final": True}],
              name="webtask", constraints=[{"order": ["web"]}], max_failures=2, max_concurrency=2,
              finalization_wait=20),
    announce={"primary_port": "http", "portmap": {"admin": "http", "health": "http"}},
    health_check_config={"health_checker": {"http": {"endpoint": "/healthz", "expected_response": "up",
                                                     "expected_response_code": 200}},
                         "initial_interval_secs": 30.0, "interval_secs": 5.0,
                         "max_consecutive_failures": 3, "min_consecutive_successes": 2,
                         "timeout_secs": 2.5},
    lifecycle={"http": {"port": "health", "graceful_shutdown_endpoint": "/stop",
                        "shutdown_endpoint": "/die", "graceful_shutdown_wait_secs": 7,
                        "shutdown_wait_secs": 3}},
    metadata=[{"key": "team", "value": "infra"}, {"key": "team", "value": "web"},
              {"key": "owner", "value": "alice"}],
    constraints={"host": "limit:1", "rack": "!r1,r2", "zone": "a,b,c"},
    partition_policy={"reschedule": False, "delay_secs": 60},
    update_config={"batch_size": 2, "watch_secs": 30, "max_per_shard_failures": 1,
                   "max_total_failures": 2, "rollback_on_failure": False,
                   "wait_for_batch_completion": True, "pulse_interval_secs": 120,
                   "sla_aware": True})
J["processes_all_flags"] = base(
    "processes_all_flags",
    task=task([{"name": "a", "cmdline": "echo a", "max_failures": 0, "daemon": True,
                "ephemeral": False, "min_duration": 1,
                "logger": {"destination": "both", "mode": "rotate",
                           "rotate": {"log_size": 1000000, "backups": 9}}},
               {"name": "b", "cmdline": "echo b", "logger": {"destination": "console"}},
               {"name": "c", "cmdline": "echo c", "logger": {"destination": "none", "mode": "standard"}},
               {"name": "d", "cmdline": "echo d", "ephemeral": True, "min_duration": 0,
                "resources": {"cpu": 0.25, "ram": 8 * MB, "disk": 8 * MB, "gpu": 0}},
               {"name": "e", "cmdline": "echo e", "final": True, "max_failures": 5},
               {"name": "f", "cmdline": "echo f", "final": True}],
              constraints=[{"order": ["b", "a"]}, {"order": ["c", "d"]}, {"order": ["e", "f"]}],
              user="vagrant"))
J["templates"] = base(
    "templates", instances=2, contact="{{name}}@{{cluster}}.example.com",
    task=task([{"name": "tpl",
                "cmdline": "echo {{role}} {{environment}} {{cluster}} {{name}} {{task.name}}"
                           " {{instances}} {{mesos.role}} {{mesos.cluster}} {{thermos.user}}"
                           " {{mesos.instance}} {{mesos.hostname}} {{thermos.task_id}}"
                           " {{thermos.ports[http]}} {{max_failures}} {{processes[0].name}}"
                           " {{task.resources.cpu}} {{priority}} {{service}}"}],
              name="tpl-{{environment}}"),
    metadata=[{"key": "job", "value": "{{name}}-{{instances}}"},
              {"key": "where", "value": "{{role}}/{{environment}}/{{cluster}}"}])
J["templates_scopes"] = base(
    "templates_scopes", contact="{{name}}@{{environment}}.example.com", tier="preferred",
    announce={"primary_port": "web", "portmap": {"web": "http"}},
    task=task([{"name": "scoped",
                "cmdline": "echo {{contact}} {{tier}} {{self.name}} {{health_check_config.interval_secs}}"
                           " {{announce.primary_port}} {{task.max_concurrency}} {{task.resources.cpu}}"
                           " {{min_duration}} {{final}} {{thermos.ports[web]}}"}],
              resources={"cpu": 0.30000000000000004, "ram": 8 * MB, "disk": 8 * MB}),
    metadata=[{"key": "self", "value": "{{key}}={{name}}"}])
J["templates_defaults"] = {  # no job or task name: {{task.name}} -> {{processes[0].name}}
    "cluster": "devcluster", "role": "vagrant", "environment": "prod",
    "task": {"processes": [{"name": "templates_defaults", "cmdline": "echo {{name}} {{task.name}}"}],
             "resources": {"cpu": 2, "ram": 32 * MB, "disk": 32 * MB}}}
J["unicode"] = base(
    "unicode", contact="J\u00fcrgen <j@example.com>",
    task=task([{"name": "uni", "cmdline": "echo 'h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c \U0001F600' \"quoted\" \\\\ tab\there"}]))
J["floats"] = base(
    "floats",
    task=task([{"name": "f", "cmdline": "echo f"}], resources={"cpu": 0.1, "ram": 16 * MB, "disk": 16 * MB}),
    health_check_config={"initial_interval_secs": 0.3, "interval_secs": 1e-3,
                         "timeout_secs": 12345678.9, "health_checker": {"shell": {"shell_command": "true"}}})
J["floats_ints_in_float_fields"] = base(
    "floats_ints_in_float_fields",
    task=task([{"name": "f", "cmdline": "echo f"}], resources={"cpu": 3, "ram": 16 * MB, "disk": 16 * MB}),
    health_check_config={"initial_interval_secs": 20, "interval_secs": 0.0001, "timeout_secs": 1e17})
J["maps_many_keys"] = base(
    "maps_many_keys", service=True,
    constraints=dict([("k%d" % i, "v%d" % i) for i in range(9)] + [("dedicated", "vagrant")]),
    announce={"primary_port": "https", "portmap": {"http": "80", "https": "443", "aurora": "https",
              "admin": "thrift", "thrift": "9090", "debug": "pprof", "zk": "2181"},
              "zk_path": "/aurora/custom"},
    task_links={"logs": "http://logs/{{role}}", "graphs": "http://graphs"},
    task=task([{"name": "m", "cmdline": "serve {{thermos.ports[pprof]}} {{thermos.ports[debug]}} {{thermos.ports[https]}}"}]))
for policy in ["KILL_EXISTING", "CANCEL_NEW", "RUN_OVERLAP"]:
    n = "cron_" + policy.lower()
    J[n] = base(n, cron_schedule="*/5 * * * *", cron_collision_policy=policy)
J["cron_defaults"] = base("cron_defaults", cron_schedule="0 3 * * 1-5")
J["legacy_container"] = base(
    "legacy_container",
    container={"docker": {"image": "debian:bookworm",
                          "parameters": [{"name": "env", "value": "A=1"}, {"name": "label", "value": "x=y"}]}})
J["update_queue_strategy"] = base(
    "update_queue_strategy", service=True, instances=4,
    update_config={"update_strategy": {"batch_size": 3}, "watch_secs": 10})
J["update_defaults_service"] = base("update_defaults_service", service=True, instances=2)
J["sla_coordinator"] = base(
    "sla_coordinator", service=True, tier="preferred",
    sla_policy={"coordinator_url": "http://coord/check"})
J["sla_coordinator_key"] = base(
    "sla_coordinator_key", service=True, tier="preferred",
    sla_policy={"coordinator_url": "http://coord/check", "status_key": "ok"})
J["gpu_and_tier"] = base(
    "gpu_and_tier", tier="revocable",
    task=task([{"name": "g", "cmdline": "nvidia-smi"}], resources={"cpu": 4.0, "ram": 1024 * MB, "disk": 2048 * MB, "gpu": 2}))
J["custom_executor"] = base(
    "custom_executor", executor_config={"name": "MyExecutor", "data": "{\"x\": 1}"})
J["executor_config_explicit"] = base(
    "executor_config_explicit", executor_config={"name": "AuroraExecutor", "data": ""},
    update_config={"batch_size": 1, "sla_aware": False}, enable_hooks=True, tier="preemptible")
J["process_resources_and_user"] = base(
    "process_resources_and_user",
    task=task([{"name": "r", "cmdline": "echo r", "resources": {"cpu": 0.125, "ram": 1 * MB, "disk": 2 * MB}}],
              user="nobody", max_concurrency=1))
J["production_no_tier"] = base("production_no_tier", production=True)
J["announce_defaults"] = base(
    "announce_defaults", service=True, announce={},
    task=task([{"name": "s", "cmdline": "serve {{thermos.ports[http]}} {{thermos.ports[health]}}"}]))
J["metadata_only"] = base("metadata_only", metadata=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"},
                                                     {"key": "c", "value": "3"}])
J["partition_defaults"] = base("partition_defaults", partition_policy={})
J["lifecycle_empty"] = base("lifecycle_empty", lifecycle={})
J["health_check_defaults"] = base("health_check_defaults", health_check_config={"health_checker": {"http": {}}})
J["many_processes"] = base(
    "many_processes",
    task=task([{"name": "p%02d" % i, "cmdline": "echo %d" % i} for i in range(12)],
              constraints=[{"order": ["p%02d" % i for i in range(6)]}]))
J["big_resources"] = base(
    "big_resources", instances=100,
    task=task([{"name": "b", "cmdline": "true"}], resources={"cpu": 31.75, "ram": 256 * 1024 * MB, "disk": 4 * 1024 * 1024 * MB}))

# Choice fields 0.22's --read-json cannot load: the reference is the .aurora file.
C = {}
C["docker_container"] = base(
    "docker_container",
    container={"image": "debian:bookworm", "parameters": [{"name": "env", "value": "A=1"}]})
C["docker_container_no_parameters"] = base("docker_container_no_parameters", container={"image": "alpine:3"})
C["mesos_docker_image"] = base(
    "mesos_docker_image",
    container={"image": {"name": "debian", "tag": "bookworm"},
               "volumes": [{"container_path": "/data", "host_path": "/srv/data", "mode": "RW"},
                           {"container_path": "/etc/x", "host_path": "/etc/x", "mode": "RO"}]})
C["mesos_appc_no_volumes"] = base(
    "mesos_appc_no_volumes", container={"image": {"name": "coreos.com/etcd", "image_id": "sha512-abc"}})
C["mesos_plain"] = base("mesos_plain", container={"volumes": []})
C["update_batch_strategy"] = base(
    "update_batch_strategy", service=True, instances=6,
    update_config={"update_strategy": {"batch_size": 3, "autopause_after_batch": False}})
C["update_batch_autopause"] = base(
    "update_batch_autopause", service=True, instances=6,
    update_config={"update_strategy": {"batch_size": 2, "autopause_after_batch": True}, "watch_secs": 5})
C["update_variable_batch"] = base(
    "update_variable_batch", service=True, instances=6,
    update_config={"update_strategy": {"batch_sizes": [1, 2, 3], "autopause_after_batch": False}})
C["sla_count"] = base("sla_count", service=True, tier="preferred", instances=5,
                      sla_policy={"count": 2, "duration_secs": 1800})
C["sla_percentage"] = base("sla_percentage", service=True, tier="preferred", instances=5,
                           sla_policy={"percentage": 66.6, "duration_secs": 600})
C["docker_maps_unicode"] = base(
    "docker_maps_unicode", contact="Ren\u00e9e <r@example.com>",
    constraints=dict([("c%d" % i, "v%d" % i) for i in range(8)]),
    task_links={"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6", "g": "7"},
    task=task([{"name": "u", "cmdline": "echo '\u00e9t\u00e9 \u2603 \U0001F600' \"q\" \\\\"}]),
    container={"image": "debian:bookworm"})
C["choice_rest"] = base(
    "choice_rest", service=True, instances=3, priority=2, max_task_failures=2, contact="a@b.c",
    task=task([{"name": "one", "cmdline": "echo {{mesos.instance}} {{thermos.task_id}}",
                "resources": {"cpu": 0.25, "ram": 4 * MB, "disk": 4 * MB, "gpu": 0},
                "max_failures": 2, "min_duration": 3, "logger": {"destination": "console"}},
               {"name": "two", "cmdline": "echo two", "ephemeral": True}],
              name="rest", constraints=[{"order": ["one", "two"]}], max_failures=3, max_concurrency=1,
              finalization_wait=5, user="vagrant"),
    health_check_config={"health_checker": {"http": {"endpoint": "/ok", "expected_response_code": 204}},
                         "initial_interval_secs": 1.5, "timeout_secs": 0.25},
    executor_config={"name": "AuroraExecutor", "data": ""},
    announce={"primary_port": "web", "portmap": {"web": "http"}, "zk_path": "/z"},
    update_config={"watch_secs": 20, "max_total_failures": 1, "rollback_on_failure": False,
                   "update_strategy": {"batch_size": 1, "autopause_after_batch": True}},
    container={"image": {"name": "debian", "tag": "12"}, "volumes": [{"container_path": "/c", "host_path": "/h", "mode": "RO"}]},
    sla_policy={"count": 1, "duration_secs": 10}, tier="preferred")
C["choice_cron"] = base(
    "choice_cron", cron_schedule="15 * * * *", cron_collision_policy="CANCEL_NEW",
    container={"image": "busybox:1"}, metadata=[{"key": "kind", "value": "cron"}])
C["choice_everything"] = base(
    "choice_everything", service=True, instances=4, contact="{{role}}@example.com",
    task=task([{"name": "web", "cmdline": "serve {{thermos.ports[http]}} {{name}} {{environment}}", "daemon": True,
                "logger": {"destination": "both", "mode": "rotate", "rotate": {"log_size": 5000}}},
               {"name": "fin", "cmdline": "echo bye", "final": True}],
              constraints=[{"order": ["web"]}]),
    announce={"portmap": {"admin": "http"}},
    metadata=[{"key": "k", "value": "v"}],
    constraints={"host": "limit:2"},
    health_check_config={"health_checker": {"shell": {"shell_command": "true"}}, "interval_secs": 2.5},
    lifecycle={"http": {"port": "http"}},
    partition_policy={"reschedule": True, "delay_secs": 5},
    container={"image": "debian:bookworm", "parameters": []},
    update_config={"update_strategy": {"batch_sizes": [2, 2], "autopause_after_batch": True}},
    sla_policy={"percentage": 50.0, "duration_secs": 60}, tier="preferred")

# Jobs the real client refuses (exit 3): the http submitter must refuse them too, sending nothing.
BAD = {}
def proc(cmdline, **kw):
    p = {"name": "main", "cmdline": cmdline}
    p.update(kw)
    return task([p])
BAD["unbound_template"] = base("unbound_template", task=proc("echo {{foo}}"))
BAD["unbound_index"] = base("unbound_index", task=proc("echo {{processes[3].name}}"))
BAD["unbound_in_metadata"] = base("unbound_in_metadata", metadata=[{"key": "k", "value": "{{nope.x}}"}])
BAD["unknown_key"] = base("unknown_key", colour="blue")
BAD["unknown_process_key"] = base("unknown_process_key", task=proc("echo", deamon=True))
BAD["static_port_not_dedicated"] = base(
    "static_port_not_dedicated", announce={"portmap": {"http": "8080"}}, service=True)
BAD["no_resources"] = base("no_resources", task={"processes": [{"name": "main", "cmdline": "echo"}]})
BAD["zero_ram"] = base("zero_ram", task=task([{"name": "main", "cmdline": "echo"}],
                                             resources={"cpu": 1.0, "ram": 0, "disk": 1 * MB}))
BAD["bad_process_name"] = base("bad_process_name", task=proc("echo", name="a/b"))
BAD["bad_collision_policy"] = base("bad_collision_policy", cron_schedule="* * * * *",
                                   cron_collision_policy="SOMETIMES")
BAD["integer_not_a_number"] = base("integer_not_a_number", instances="many")
BAD["portmap_cycle"] = base("portmap_cycle", service=True,
                            announce={"portmap": {"a": "b", "b": "a"}},
                            task=proc("serve {{thermos.ports[a]}}"))

# --- .aurora writer: every struct with its constructor ---
SCHEMA = {
 "Job": {"task": "Task", "announce": "Announcer", "update_config": "UpdateConfig", "metadata": ["Metadata"],
         "health_check_config": "HealthCheckConfig", "lifecycle": "LifecycleConfig",
         "executor_config": "ExecutorConfig", "partition_policy": "PartitionPolicy",
         "sla_policy": ("CoordinatorSlaPolicy", "CountSlaPolicy", "PercentageSlaPolicy"),
         "container": ("Container", "Docker", "Mesos")},
 "Task": {"processes": ["Process"], "constraints": ["Constraint"], "resources": "Resources"},
 "Process": {"resources": "Resources", "logger": "Logger"},
 "Logger": {"rotate": "RotatePolicy"},
 "UpdateConfig": {"update_strategy": ("QueueUpdateStrategy", "BatchUpdateStrategy", "VariableBatchUpdateStrategy")},
 "HealthCheckConfig": {"health_checker": "HealthCheckerConfig"},
 "HealthCheckerConfig": {"http": "HttpHealthChecker", "shell": "ShellHealthChecker"},
 "LifecycleConfig": {"http": "HttpLifecycleConfig"},
 "Docker": {"parameters": ["Parameter"]},
 "Container": {"docker": "Docker"},
 "Mesos": {"image": ("AppcImage", "DockerImage"), "volumes": ["Volume"]},
}
KEYS = {"Container": {"docker"}, "Docker": {"image", "parameters"}, "Mesos": {"image", "volumes"},
        "QueueUpdateStrategy": {"batch_size"}, "BatchUpdateStrategy": {"batch_size", "autopause_after_batch"},
        "VariableBatchUpdateStrategy": {"batch_sizes", "autopause_after_batch"},
        "CoordinatorSlaPolicy": {"coordinator_url", "status_key"}, "CountSlaPolicy": {"count", "duration_secs"},
        "PercentageSlaPolicy": {"percentage", "duration_secs"}, "AppcImage": {"name", "image_id"},
        "DockerImage": {"name", "tag"}}

def choose(alts, value):
    for a in alts:
        if set(value) <= KEYS[a] and not (a == "Docker" and isinstance(value.get("image"), dict)) \
                and not (a == "Mesos" and isinstance(value.get("image"), str)):
            return a
    raise ValueError(value)

def py(value, typ=None):
    if isinstance(typ, tuple):
        return py(value, choose(typ, value))
    if isinstance(typ, list):
        return "[" + ", ".join(py(v, typ[0]) for v in value) + "]"
    if isinstance(typ, str):
        fields = SCHEMA.get(typ, {})
        args = ", ".join("%s=%s" % (k, py(v, fields.get(k))) for k, v in value.items())
        return "%s(%s)" % (typ, args)
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):  # a unicode literal for non-ASCII text, as an author writes it
        return ("u" if any(ord(c) > 127 for c in value) else "") + json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (json.dumps(k), py(v)) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    raise TypeError(value)

def write_corpus():
    here = os.path.dirname(os.path.abspath(__file__))
    for f in os.listdir(here):
        if f.endswith(".json") or f.endswith(".aurora"):
            os.remove(os.path.join(here, f))
    for name, job in list(J.items()) + list(C.items()):
        with open(os.path.join(here, name + ".json"), "w") as out:
            json.dump(job, out, indent=2, ensure_ascii=False)
            out.write("\n")
    bad = os.path.join(here, "..", "wire-corpus-refused")
    os.makedirs(bad, exist_ok=True)
    for f in os.listdir(bad):
        os.remove(os.path.join(bad, f))
    for name, job in BAD.items():
        with open(os.path.join(bad, name + ".json"), "w") as out:
            json.dump(job, out, indent=2)
            out.write("\n")
    for name, job in C.items():
        with open(os.path.join(here, name + ".aurora"), "w") as out:
            out.write("# The same job as %s.json, in Aurora's DSL (generated by make_corpus.py).\n" % name)
            out.write("jobs = [%s]\n" % py(job, "Job"))
    print(len(J), "read-json jobs,", len(C), "DSL jobs,", len(BAD), "refused jobs")


if __name__ == "__main__":
    write_corpus()
