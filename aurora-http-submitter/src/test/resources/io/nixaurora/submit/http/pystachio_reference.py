# How the golden files beside this script were made; tests do not run it.
#
# It replays, with real CPython 2.7 dicts, the chain of dicts through which pystachio builds a
# Struct's get() (class body namespace -> TYPEMAP -> _schema_data -> get()), for the structs the
# hello_world job uses, with Aurora HEAD's field order and defaults (aurora-spec 1.2/1.3), and
# prints json.dumps of the job as Aurora's client would put it in executorConfig.data.
#
#   PYENV_VERSION=2.7.18 python pystachio_reference.py hello_world.json > data.txt
#
# createJob_hello_world.tjson is aurora-spec 5.4's createJob message with <DATA> replaced by
# data.txt escaped for TJSON (each \ doubled, each " as \"). cpython27_dict_orders.jsonl records,
# for random key lists, CPython 2.7's iteration order of dict(insertion) and of its copy().
import json, sys
FIELDS = {
 'MesosJob': 'name role contact cluster environment instances task announce tier cron_schedule cron_collision_policy update_config constraints metadata service max_task_failures production priority health_check_config lifecycle task_links executor_config enable_hooks partition_policy sla_policy container',
 'Task': 'name processes constraints resources max_failures max_concurrency finalization_wait user',
 'Process': 'cmdline name resources max_failures daemon ephemeral min_duration final logger',
 'Resources': 'cpu ram disk gpu',
 'Constraint': 'order',
 'HealthCheckConfig': 'health_checker initial_interval_secs interval_secs max_consecutive_failures min_consecutive_successes timeout_secs',
 'HealthCheckerConfig': 'http shell',
 'HttpHealthChecker': 'endpoint expected_response expected_response_code',
 'LifecycleConfig': 'http',
 'HttpLifecycleConfig': 'port graceful_shutdown_endpoint shutdown_endpoint graceful_shutdown_wait_secs shutdown_wait_secs',
 'ExecutorConfig': 'name data',
}
def schema_order(struct):
    attrs = {}
    attrs['__module__'] = 'm'
    for f in FIELDS[struct].split(): attrs[f] = 1
    typemap = dict((k, 1) for k, v in attrs.items() if k != '__module__')
    schema = dict((k, 1) for k, v in typemap.items())
    return [k for k in schema]
def get(struct, values):
    return dict((k, values[k]) for k in schema_order(struct) if k in values)
def struct_dump(struct, values):
    return get(struct, values)
hc = get('HealthCheckConfig', {'health_checker': get('HealthCheckerConfig', {'http': get('HttpHealthChecker', {'endpoint': '/health', 'expected_response': 'ok', 'expected_response_code': 0})}),
  'initial_interval_secs': 15.0, 'interval_secs': 10.0, 'max_consecutive_failures': 0, 'min_consecutive_successes': 1, 'timeout_secs': 1.0})
lc = get('LifecycleConfig', {'http': get('HttpLifecycleConfig', {'port': 'health', 'graceful_shutdown_endpoint': '/quitquitquit', 'shutdown_endpoint': '/abortabortabort', 'graceful_shutdown_wait_secs': 5, 'shutdown_wait_secs': 5})})
def proc(cmd, name):
    return get('Process', {'cmdline': cmd, 'name': name, 'max_failures': 1, 'daemon': False, 'ephemeral': False, 'min_duration': 5, 'final': False})
inp = json.load(open(sys.argv[1]))
procs = [proc(p['cmdline'], p['name']) for p in inp['task']['processes']]
r = inp['task']['resources']
task = get('Task', {'name': inp['task']['name'], 'processes': procs, 'constraints': [get('Constraint', c) for c in inp['task']['constraints']],
  'resources': get('Resources', {'cpu': float(r['cpu']), 'ram': r['ram'], 'disk': r['disk'], 'gpu': 0}), 'max_failures': 1, 'max_concurrency': 0, 'finalization_wait': 30})
job = get('MesosJob', {'name': inp['name'], 'role': inp['role'], 'cluster': inp['cluster'], 'environment': inp['environment'], 'task': task, 'tier': 'preemptible',
  'cron_collision_policy': 'KILL_EXISTING', 'metadata': [], 'service': inp['service'], 'max_task_failures': 1, 'production': False, 'priority': 0,
  'health_check_config': hc, 'lifecycle': lc, 'executor_config': get('ExecutorConfig', {'name': 'AuroraExecutor', 'data': ''}), 'enable_hooks': False})
sys.stdout.write(json.dumps(job))
