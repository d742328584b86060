#!/usr/bin/env bash
# Fault check: a binary-cache push that dies after its N-th write, for every N of a whole push,
# to file:// and to HTTP (nginx); after each death no narinfo may have a missing or wrong NAR or a
# missing reference (CacheVerifier over the cache directory), and the next push must complete and
# the whole closure verify; then two concurrent pushes of overlapping closures (threads and
# processes). It runs KillDuringPushIT (deterministic: the death is placed by a write count, not
# by a timer):
#
#   bench/kill9-push.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -pl nix-binary-cache -Dtest=KillDuringPushIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmaven.test.redirectTestOutputToFile=true
grep -h "Tests run" nix-binary-cache/target/surefire-reports/*KillDuringPushIT.txt
