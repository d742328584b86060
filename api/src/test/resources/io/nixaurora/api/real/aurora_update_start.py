# Runs the real Aurora 0.22 client (apache.aurora.client.cli.client, unmodified) with two changes,
# both for `aurora update start` against bin/scheduler-standin only:
#
# 1. 0.22's UpdaterConfig.to_thrift_update_settings reads `self.update_strategy.groupSize`, which
#    raises AttributeError on a pystachio Choice for every explicit update_strategy (an upstream
#    bug). The attribute is given the meaning the code intends: the chosen strategy's batch_size.
#    Everything else in building JobUpdateSettings is the client's own code.
# 2. `update start` first shows the update's diff (getJobUpdateDiff), which the stand-in does not
#    answer; the display is skipped. It does not change the startJobUpdate request.
#
# Usage: python2 aurora_update_start.py AURORA-ARGS...  (PYTHONPATH as bin/aurora sets it)
import sys

from pystachio.choice import ChoiceContainer
ChoiceContainer.groupSize = property(lambda self: self.unwrap().batch_size().get())

from apache.aurora.client.cli.diff_formatter import DiffFormatter
DiffFormatter.show_job_update_diff = lambda self, instances: None

from apache.aurora.client.cli.client import proxy_main
sys.argv = ['aurora'] + sys.argv[1:]
proxy_main()
