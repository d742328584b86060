#!/usr/bin/env bash
# Fault benchmark: kill binary-cache pushes with SIGKILL at random moments, N times (default 50),
# alternating file:// and HTTP (nginx) caches, and check after each kill that no narinfo has a
# missing or wrong NAR or a missing reference (CacheVerifier over the cache directory), that the
# next push completes and that the whole closure then verifies; then two concurrent pushes of
# overlapping closures (threads and processes). It is KillDuringPushIT with more rounds:
#
#   bench/kill9-push.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-50}
mvn -B -q install -pl nix-binary-cache -Dtest=KillDuringPushIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkill.rounds="$ROUNDS" -Dmaven.test.redirectTestOutputToFile=true
grep -h "SIGKILL" nix-binary-cache/target/surefire-reports/*KillDuringPushIT-output.txt || true
grep -h "Tests run" nix-binary-cache/target/surefire-reports/*KillDuringPushIT.txt
