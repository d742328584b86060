#!/usr/bin/env python3
"""Prints the executorConfig.data the real Aurora 0.22 client sends for a job JSON: runs
../shared/aurora-0.22/bin/aurora against bin/scheduler-standin on a free port. A job whose Choice
fields --read-json cannot load is written as an .aurora file first (every struct with its
constructor, as ../wire-corpus/make_corpus.py writes them), as its author would.

    python3 real_client_data.py everything.json > everything.data

The tests compare ExecutorData with the .data files beside this script but do not run it.
../createJob_hello_world.tjson is aurora-spec 5.4's createJob message with hello_world.data in
executorConfig.data (escaped for TJSON). ../cpython27_dict_orders.jsonl records, for random key
lists, CPython 2.7's iteration order of a dict built by inserting them and of its copy().
"""
import json, os, socket, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "wire-corpus"))
from make_corpus import py  # noqa: E402

def aurora_home():
    at = here
    while at != "/":
        candidate = os.path.join(at, "shared", "aurora-0.22")
        if os.path.exists(os.path.join(candidate, "bin", "aurora")):
            return candidate
        at = os.path.dirname(at)
    sys.exit("no shared/aurora-0.22 above " + here)

def needs_dsl(job):
    c = job.get("container")
    s = (job.get("update_config") or {}).get("update_strategy")
    p = job.get("sla_policy")
    return bool((c and set(c) != {"docker"}) or (s and set(s) - {"batch_size"})
                or (p and set(p) - {"coordinator_url", "status_key"}))

def main(path):
    home = aurora_home()
    job = json.load(open(path))
    with tempfile.TemporaryDirectory() as tmp:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        log = os.path.join(tmp, "log")
        standin = subprocess.Popen([os.path.join(home, "bin", "scheduler-standin"), str(port), log])
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close(); break
                except OSError:
                    time.sleep(0.05)
            with open(os.path.join(tmp, "clusters.json"), "w") as f:
                json.dump([{"name": job["cluster"], "scheduler_uri": "http://127.0.0.1:%d" % port,
                            "auth_mechanism": "UNAUTHENTICATED"}], f)
            key = "/".join([job["cluster"], job["role"], job["environment"], job["name"]])
            if needs_dsl(job):
                source = os.path.join(tmp, "job.aurora")
                with open(source, "w") as f:
                    f.write("jobs = [%s]\n" % py(job, "Job"))
                args = [key, source]
            else:
                args = ["--read-json", key, os.path.abspath(path)]
            verb = ["cron", "schedule"] if "cron_schedule" in job else ["job", "create"]
            env = dict(os.environ, AURORA_CONFIG_ROOT=tmp)
            subprocess.run([os.path.join(home, "bin", "aurora")] + verb + args, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            for line in open(log):
                call = json.loads(line)
                if call["method"] in ("createJob", "scheduleCronJob"):
                    sys.stdout.write(call["args"]["description"]["6"]["rec"]["25"]["rec"]["2"]["str"])
                    return
            sys.exit("no createJob call")
        finally:
            standin.kill()

main(sys.argv[1])
