"""Dumps Aurora 0.22's scheduler API as JSON: structs' fields, enums, calls' args, constants.

Made from the Python code that Thrift 0.17 generates from Aurora 0.22's api.thrift (loaded with
the Thrift runtime, not parsed), so aurora-0.22-api.json next to this file is the API as the real
client and scheduler stand-in see it. AuroraApiTest checks nix-aurora's named field ids against
that file; AuroraApiDumpIT runs this script again on ../shared/aurora-0.22 and compares.

    PYTHONPATH=../shared/aurora-0.22/lib/python ../shared/aurora-0.22/bin/python2 dump_api.py
"""
import inspect
import json
import sys

from gen.apache.aurora.api import (AuroraAdmin, AuroraSchedulerManager, ReadOnlyScheduler,
                                  constants, ttypes)
from thrift.Thrift import TType

# UTF7 and UTF8 are other names of STRING and of a code no field uses.
TYPES = dict((v, k) for k, v in vars(TType).items()
             if k.isupper() and isinstance(v, int) and not k.startswith('UTF'))


def fields(spec):
    out = {}
    for field in spec or ():
        if field is not None:
            out[str(field[0])] = {'name': field[2], 'type': TYPES[field[1]]}
    return out


structs = {}
enums = {}
for name, value in sorted(vars(ttypes).items()):
    if not inspect.isclass(value) or value.__module__ != ttypes.__name__:
        continue
    if hasattr(value, 'thrift_spec'):
        structs[name] = fields(value.thrift_spec)
    elif hasattr(value, '_VALUES_TO_NAMES'):
        enums[name] = dict((n, v) for v, n in value._VALUES_TO_NAMES.items())

# api.thrift's constants: strings, and sets of enum values (as sorted lists).
consts = {}
for name, value in sorted(vars(constants).items()):
    if name.isupper() and isinstance(value, (str, set, frozenset)):
        consts[name] = sorted(value) if isinstance(value, (set, frozenset)) else value

calls = {}
for service in (ReadOnlyScheduler, AuroraSchedulerManager, AuroraAdmin):
    for name, value in sorted(vars(service).items()):
        if inspect.isclass(value) and name.endswith('_args'):
            calls[name[:-len('_args')]] = {'service': service.__name__.split('.')[-1],
                                           'args': fields(value.thrift_spec)}

api = {'structs': structs, 'enums': enums, 'calls': calls, 'constants': consts}
json.dump(api, sys.stdout, indent=1, sort_keys=True, separators=(',', ': '))
sys.stdout.write('\n')
