#!/usr/bin/env bash
# Benchmark (issue 15, item 4, last row): a warm `./nix-aurora build JOB`, the whole command a
# user types, against a plain `nix-build` of the same expression, side by side with hyperfine.
#
#   bench/build-warm.sh [--rounds N] [--runs N] [--before DIR] [JOB]
#                                      (default: 3 rounds of 10 runs, examples/hello_world)
#
# Rows:
#   nix-build        nix-build --no-out-link -Q eval.nix --argstr jobFile … (what the evaluator runs)
#   nix-aurora       ./nix-aurora build JOB, as a user runs it (the Java on PATH, its AppCDS archive)
#   nix-aurora 25    the same with NIX_AURORA_JDKS=/usr/lib/jvm: the newest JDK 24+ installed there
#                    with its AOT cache (only when there is one)
#   before           DIR/nix-aurora build JOB, with --before DIR: another checkout (for example
#                    `git archive OLD | tar -x -C DIR`), to compare launchers and CLIs
# Everything is built before timing (the CLI, its start-up caches, the job's paths). The rounds
# alternate the rows, so a shared machine's load falls on all of them; the script prints each
# row's median and minimum wall time over all runs, its CPU time (user + system, the median of the
# rounds' means: less disturbed by other processes than wall time), the difference to nix-build
# and the ratio, the goal (nix-build + 0.3 s), and the machine and its 1-minute load before and
# after.
# Needs: hyperfine, python3, Nix, and what ./nix-aurora needs (Java 17+, Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3
RUNS=10
BEFORE=""
while (($#)); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --before) BEFORE=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
JOB=${1:-examples/hello_world}
JOB_FILE=$(realpath "$JOB")
[ -d "$JOB_FILE" ] && JOB_FILE=$JOB_FILE/default.nix
LIB=$(realpath nix-local/src/main/resources/io/nixaurora/nix/local)
for tool in hyperfine python3 nix-build; do
  command -v "$tool" >/dev/null || { echo "bench/build-warm.sh: $tool is needed" >&2; exit 4; }
done

RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT

NIX_BUILD="nix-build --no-out-link -Q $LIB/eval.nix --argstr jobFile $JOB_FILE --argstr libDir $LIB"
$NIX_BUILD >/dev/null 2>&1
# Builds the CLI and trains its start-up caches if needed; the version line names the JDK used.
./nix-aurora build "$JOB" >/dev/null 2>&1
JAVA_DEFAULT=$(./nix-aurora --version | sed -n 's/^Java //p')
# The newer JDK's cache is trained by its first launch.
JAVA_NEWER=$(NIX_AURORA_JDKS=/usr/lib/jvm ./nix-aurora --version 2>/dev/null | sed -n 's/^Java //p')

NAMES=("nix-build" "nix-aurora (Java ${JAVA_DEFAULT%% *})")
COMMANDS=("$NIX_BUILD" "./nix-aurora build $JOB")
if [ "$JAVA_DEFAULT" != "$JAVA_NEWER" ]; then
  NIX_AURORA_JDKS=/usr/lib/jvm ./nix-aurora build "$JOB" >/dev/null 2>&1
  NAMES+=("nix-aurora (Java ${JAVA_NEWER%% *}, AOT)")
  COMMANDS+=("env NIX_AURORA_JDKS=/usr/lib/jvm ./nix-aurora build $JOB")
fi
if [ -n "$BEFORE" ]; then
  "$BEFORE/nix-aurora" build "$JOB_FILE" >/dev/null 2>&1
  NAMES+=("before ($(basename "$BEFORE"))")
  COMMANDS+=("$BEFORE/nix-aurora build $JOB_FILE")
fi
ARGS=()
for i in "${!COMMANDS[@]}"; do ARGS+=(-n "${NAMES[$i]}" "${COMMANDS[$i]}"); done

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
  # -N: no intermediate shell (its start-up would be timed too); stdout is discarded as a user's
  # `> job.json` would be.
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$RESULTS/$round.json" "${ARGS[@]}" \
    >/dev/null
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

python3 - "$RESULTS" "$LOAD_BEFORE" "$LOAD_AFTER" <<'EOF'
import glob, json, os, platform, statistics, sys
times = {}
cpu_means = {}  # user + system CPU, a round's mean each: steadier than wall time on a busy machine
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        cpu_means.setdefault(r["command"], []).append(r["user"] + r["system"])
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
print("machine: %d cores (%s), %s; load %s before, %s after"
      % (os.cpu_count(), cpu, platform.platform(terse=True), sys.argv[2], sys.argv[3]))
names = list(times)
base = statistics.median(times[names[0]])
for name in names:
    t = times[name]
    med = statistics.median(t)
    line = "%-30s median %7.1f ms   min %7.1f ms   cpu %6.1f ms   (%d runs)" % (
        name, med * 1e3, min(t) * 1e3, statistics.median(cpu_means[name]) * 1e3, len(t))
    if name != names[0]:
        line += "   +%6.1f ms over nix-build, %5.1fx; goal <= +300 ms: %s" % (
            (med - base) * 1e3, med / base, "met" if med - base <= 0.3 else "NOT met")
    print(line)
EOF
