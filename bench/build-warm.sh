#!/usr/bin/env bash
# Benchmark: building a warm, already-built job through nix-aurora's evaluator, against a plain
# nix-build of the same expression (eval.nix with the same job and library).
#
#   bench/build-warm.sh [JOB]        (default: examples/hello_world)
#
# Compares, with hyperfine:
#   1. nix-build --no-out-link -Q eval.nix --argstr jobFile … (exactly what the evaluator runs)
#   2. java -cp … io.nixaurora.examples.BuildJobFile JOB /dev/null (JVM start + evaluate + compile)
#   3. ./nix-aurora build JOB, when the CLI launcher exists
# then prints medians and ratios to (1). The evaluator's own cost without JVM start-up is
# bench/jmh's WarmBuildBenchmark. The launcher rebuilds the CLI when its sources change, so run
# this when nobody is editing them (failures are ignored, not timed as successes). Needs: mvn install of api, compiler, nix-local, examples.
set -euo pipefail
cd "$(dirname "$0")/.."
JOB=${1:-examples/hello_world}
JOB_FILE=$(realpath "$JOB")
[ -d "$JOB_FILE" ] && JOB_FILE=$JOB_FILE/default.nix
LIB=$(realpath nix-local/src/main/resources/io/nixaurora/nix/local)

CP_FILE=$(mktemp)
RESULTS=$(mktemp)
trap 'rm -f "$CP_FILE" "$RESULTS"' EXIT
mvn -B -q dependency:build-classpath -pl examples -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="examples/target/classes:$(cat "$CP_FILE")"
JAVA="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $CP io.nixaurora.examples.BuildJobFile"

NIX_BUILD="nix-build --no-out-link -Q $LIB/eval.nix --argstr jobFile $JOB_FILE --argstr libDir $LIB"
$NIX_BUILD >/dev/null          # warm: everything is built before timing
$JAVA "$JOB" /dev/null

COMMANDS=("$NIX_BUILD" "$JAVA $JOB /dev/null")
NAMES=("plain nix-build" "evaluator via java -cp")
if [ -x ./nix-aurora ] && ./nix-aurora build "$JOB" >/dev/null 2>&1; then
  COMMANDS+=("./nix-aurora build $JOB")
  NAMES+=("./nix-aurora build")
fi
ARGS=()
for i in "${!COMMANDS[@]}"; do ARGS+=(-n "${NAMES[$i]}" "${COMMANDS[$i]}"); done
hyperfine --ignore-failure --warmup 3 --min-runs 20 --export-json "$RESULTS" "${ARGS[@]}" >&2

# Medians (robust to the outliers of a shared machine) and their ratio to plain nix-build.
python3 -c '
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
for r in results:
    print("%-24s median %7.1f ms   min %7.1f ms   ratio %5.1fx"
          % (r["command"], r["median"] * 1e3, r["min"] * 1e3, r["median"] / base))
' "$RESULTS"
