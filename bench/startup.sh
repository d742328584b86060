#!/usr/bin/env bash
# Benchmark: start-up of the nix-aurora command, with hyperfine.
#
#   bench/startup.sh [JOB]          (default: examples/hello_world)
#
# Times, each after warm-up runs (the job is already built, so `build` is evaluation + compile):
#   1. ./nix-aurora --version        the launcher's fast path (no command model)
#   2. ./nix-aurora config           the whole picocli/Dagger command model, no Nix
#   3. ./nix-aurora build JOB        a warm job: one nix-build that builds nothing, then compile
# and the same three as a plain `java -cp` (the Java on PATH) without the launcher's JVM options (no
# AppCDS archive or AOT cache, full tiered compilation), to show what the caches and
# -XX:TieredStopAtLevel=1 buy. `NIX_AURORA_JDKS=/usr/lib/jvm bench/startup.sh` times the launcher
# on the newest JDK 24+ there, with its AOT cache (`--version` says which JDK ran).
# The machine is shared while others build: treat differences under ~20 % as noise.
set -euo pipefail
cd "$(dirname "$0")/.."
JOB=${1:-examples/hello_world}

./nix-aurora --version >/dev/null        # builds the CLI and its AppCDS archive if needed
./nix-aurora build "$JOB" >/dev/null 2>&1 # warm: every path is built before timing

BUILD=$(readlink -f .nix-aurora/current)
CP="$BUILD/cli/target/nix-aurora-cli.jar:$(cat "$BUILD/cli/target/classpath.txt")"
PLAIN="java -cp $CP io.nixaurora.cli.Main"

hyperfine --warmup 3 --min-runs 15 --export-markdown "${BENCH_MARKDOWN:-/dev/null}" \
  -n "launcher --version" "./nix-aurora --version" \
  -n "launcher config" "./nix-aurora config" \
  -n "launcher build (warm)" "./nix-aurora build $JOB --quiet" \
  -n "plain java --version" "$PLAIN --version" \
  -n "plain java config" "$PLAIN config" \
  -n "plain java build (warm)" "$PLAIN build $JOB --quiet"
