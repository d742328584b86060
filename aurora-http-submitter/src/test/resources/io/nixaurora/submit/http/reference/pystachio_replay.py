# How the .data files beside this script were made; the tests compare ExecutorData with them but
# do not run this script.
#
# It replays, with real CPython 2.7 dicts, the chain of dicts through which pystachio (0.8.x)
# builds a Struct's get() -- class body namespace (__module__ first, then the fields in source
# order) -> TYPEMAP -> _schema_data -> get() -- and, for Map fields, json.loads' dict -> copy ->
# items tuple -> get(); the schema is Aurora HEAD's (aurora-spec 1.2/1.3). It prints json.dumps
# of the job as Aurora's client puts it in executorConfig.data (update_config and instances
# left out). The input must already carry the backfilled tier.
#
#   PYENV_VERSION=2.7.18 python pystachio_replay.py everything.json > everything.data
#
# ../createJob_hello_world.tjson is aurora-spec 5.4's createJob message with <DATA> replaced by
# hello_world.data escaped for TJSON (each backslash doubled, each double quote escaped).
# ../cpython27_dict_orders.jsonl records, for random key lists, CPython 2.7's iteration order of
# a dict built by inserting them and of its copy().
import json, sys
S = 'STRING'; I = 'INTEGER'; F = 'FLOAT'; B = 'BOOLEAN'; ST = 'STRUCT'; L = 'LIST'; M = 'MAP'; C = 'CHOICE'
SCHEMA = {
 'MesosJob': [('name',S,None,None),('role',S,None,None),('contact',S,None,None),('cluster',S,None,None),('environment',S,None,None),('instances',I,None,'1'),('task',ST,'Task',None),('announce',ST,'Announcer',None),('tier',S,None,None),('cron_schedule',S,None,None),('cron_collision_policy',S,None,'"KILL_EXISTING"'),('update_config',ST,'UpdateConfig','{}'),('constraints',M,None,None),('metadata',L,'Metadata','[]'),('service',B,None,'false'),('max_task_failures',I,None,'1'),('production',B,None,'false'),('priority',I,None,'0'),('health_check_config',ST,'HealthCheckConfig','{}'),('lifecycle',ST,'LifecycleConfig','{"http":{}}'),('task_links',M,None,None),('executor_config',ST,'ExecutorConfig','{}'),('enable_hooks',B,None,'false'),('partition_policy',ST,'PartitionPolicy',None),('sla_policy',C,'CoordinatorSlaPolicy,CountSlaPolicy,PercentageSlaPolicy',None),('container',C,'Container,Docker,Mesos',None)],
 'Task': [('name',S,None,None),('processes',L,'Process',None),('constraints',L,'Constraint','[]'),('resources',ST,'Resources',None),('max_failures',I,None,'1'),('max_concurrency',I,None,'0'),('finalization_wait',I,None,'30'),('user',S,None,None)],
 'Process': [('cmdline',S,None,None),('name',S,None,None),('resources',ST,'Resources',None),('max_failures',I,None,'1'),('daemon',B,None,'false'),('ephemeral',B,None,'false'),('min_duration',I,None,'5'),('final',B,None,'false'),('logger',ST,'Logger',None)],
 'Resources': [('cpu',F,None,None),('ram',I,None,None),('disk',I,None,None),('gpu',I,None,'0')],
 'Constraint': [('order',L,'STRING',None)],
 'Logger': [('destination',S,None,'"file"'),('mode',S,None,'"standard"'),('rotate',ST,'RotatePolicy',None)],
 'RotatePolicy': [('log_size',I,None,'104857600'),('backups',I,None,'5')],
 'UpdateConfig': [('batch_size',I,None,'1')],
 'HealthCheckConfig': [('health_checker',ST,'HealthCheckerConfig','{"http":{}}'),('initial_interval_secs',F,None,'15.0'),('interval_secs',F,None,'10.0'),('max_consecutive_failures',I,None,'0'),('min_consecutive_successes',I,None,'1'),('timeout_secs',F,None,'1.0')],
 'HealthCheckerConfig': [('http',ST,'HttpHealthChecker',None),('shell',ST,'ShellHealthChecker',None)],
 'HttpHealthChecker': [('endpoint',S,None,'"/health"'),('expected_response',S,None,'"ok"'),('expected_response_code',I,None,'0')],
 'ShellHealthChecker': [('shell_command',S,None,None)],
 'LifecycleConfig': [('http',ST,'HttpLifecycleConfig',None)],
 'HttpLifecycleConfig': [('port',S,None,'"health"'),('graceful_shutdown_endpoint',S,None,'"/quitquitquit"'),('shutdown_endpoint',S,None,'"/abortabortabort"'),('graceful_shutdown_wait_secs',I,None,'5'),('shutdown_wait_secs',I,None,'5')],
 'Announcer': [('primary_port',S,None,'"http"'),('portmap',M,None,'{"aurora":"{{primary_port}}"}'),('zk_path',S,None,None)],
 'Docker': [('image',S,None,None),('parameters',L,'Parameter','[]')],
 'Parameter': [('name',S,None,None),('value',S,None,None)],
 'Container': [('docker',ST,'Docker',None)],
 'Mesos': [('image',C,'AppcImage,DockerImage',None),('volumes',L,'Volume','[]')],
 'AppcImage': [('name',S,None,None),('image_id',S,None,None)],
 'DockerImage': [('name',S,None,None),('tag',S,None,None)],
 'Volume': [('container_path',S,None,None),('host_path',S,None,None),('mode',S,None,None)],
 'Metadata': [('key',S,None,None),('value',S,None,None)],
 'ExecutorConfig': [('name',S,None,'"AuroraExecutor"'),('data',S,None,'""')],
 'PartitionPolicy': [('reschedule',B,None,'true'),('delay_secs',I,None,'0')],
 'PercentageSlaPolicy': [('percentage',F,None,None),('duration_secs',I,None,None)],
 'CountSlaPolicy': [('count',I,None,None),('duration_secs',I,None,None)],
 'CoordinatorSlaPolicy': [('coordinator_url',S,None,None),('status_key',S,None,'"drain"')],
}
def schema_order(name):
    attrs = {}
    attrs['__module__'] = 'm'
    for f in SCHEMA[name]: attrs[f[0]] = 1
    typemap = dict((k, 1) for k, v in attrs.items() if k != '__module__')
    return list(dict((k, 1) for k, v in typemap.items()))
def conv(kind, typ, v):
    if kind == ST: return struct(typ, v)
    if kind == L: return [conv(S if typ == 'STRING' else (I if typ == 'INTEGER' else ST), None if typ in ('STRING','INTEGER') else typ, x) for x in v]
    if kind == M:
        tup = tuple(v.copy().items())
        return dict((k, x) for k, x in tup)
    if kind == C:
        for alt in typ.split(','):
            names = [f[0] for f in SCHEMA[alt]]
            if all(k in names for k in v):
                kinds = dict((f[0], f[1]) for f in SCHEMA[alt])
                if any(kinds[k] == S and isinstance(x, (dict, list)) for k, x in v.items()): continue
                return struct(alt, v)
        raise ValueError(typ)
    if kind == I: return int(v)
    if kind == F: return float(v)
    if kind == B: return bool(v)
    return v
def struct(name, inp, drop=()):
    values = {}
    for f, kind, typ, dflt in SCHEMA[name]:
        if f in drop: continue
        if f in inp and inp[f] is not None: values[f] = conv(kind, typ, inp[f])
        elif dflt is not None: values[f] = conv(kind, typ, json.loads(dflt))
    if name == 'Task' and 'name' not in values: values['name'] = values['processes'][0]['name']
    if name == 'Announcer':
        for k in list(values['portmap'].keys()):
            if values['portmap'][k] == '{{primary_port}}': values['portmap'][k] = values['primary_port']
    return dict((k, values[k]) for k in schema_order(name) if k in values)
job = json.load(open(sys.argv[1]))
sys.stdout.write(json.dumps(struct('MesosJob', job, drop=('update_config','instances'))))
