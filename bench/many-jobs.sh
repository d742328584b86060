#!/usr/bin/env bash
# Benchmark: many jobs in one deploy (issue 15, items 2 and 3). How the cost grows from 1 to 20 to
# 100 jobs that share most of their closure (bench/gen-many-jobs.sh), and 1,000 processes spread
# over 100 jobs against 1,000 in one job.
#
#   bench/many-jobs.sh [--sizes "1 20 100"] [--rounds R] [--procs P] [--shared S]
#                      [--cli] [--config FILE] [--cluster NAME] [--cache URL] [--aurora BIN]
#                      [--spread] [--no-each]
#
# Every run is COLD: the jobs are generated anew with a fresh salt, so every path is evaluated,
# built, rooted and pushed anew. Sizes run interleaved, R rounds (default 3); the medians, the
# ratio of each size to the smallest and the load before each run are printed. Rows:
#
#   nix-build-all   one nix-build of eval.nix with a jobs file: the one build NixJobEvaluator's
#                   evaluateAll runs (Nix alone)
#   nix-build-each  one nix-build per job, one after the other (what a deploy script looping over
#                   jobs costs in Nix today); --no-each leaves the -each rows out
#   java-all        JVM + NixJobEvaluator.evaluateAll + LocalStoreProvider.publishAll (roots in a
#                   private directory under Nix's gcroots), bench/EvalMany.java
#   java-each       the same job by job in one JVM (evaluate + publish per job)
#   cli-build       (--cli) ./nix-aurora build JOB... : the whole command, all jobs at once
#   cli-create      (--cli) ./nix-aurora create CLUSTER JOB... to a binary cache with the cli
#                   submitter and a FAKE aurora client that answers at once (nix-aurora's own cost)
#   cli-create-real (--cli --aurora BIN) the same with the aurora client BIN (the real 0.22 client
#                   and its scheduler: give their settings in --config)
#
# The create rows use --config FILE when given (its cluster --cluster, default devcluster, must
# use the cli submitter; aurora_binary is replaced by the fake client, or BIN), else a generated
# configuration: store binary-cache at --cache URL (default a fresh file:// cache in a temporary
# directory) signed with a fresh key. Each round pushes new paths (the salt), so every push is cold.
#
# --spread instead times 200 and 1,000 processes in one job against 1,000 processes in 100 jobs of
# 10 (nix-build-all and java-all rows; with --cli also cli-build).
#
# Needs: nix, java 17, python3, the project built (mvn -o -q -pl nix-local -am compile; the script
# runs it), and for --cli the many-jobs CLI (./nix-aurora build JOB [JOB...]).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES="1 20 100"
ROUNDS=3
PROCS=1
SHARED=300
CLI=0
CONFIG=""
CLUSTER=devcluster
CACHE=""
AURORA=""
SPREAD=0
EACH=1
usage() { sed -n '6,9p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --procs) PROCS=$2; shift 2 ;;
    --shared) SHARED=$2; shift 2 ;;
    --cli) CLI=1; shift ;;
    --config) CONFIG=$(readlink -f "$2"); shift 2 ;;
    --cluster) CLUSTER=$2; shift 2 ;;
    --cache) CACHE=$2; shift 2 ;;
    --aurora) AURORA=$(readlink -f "$2"); shift 2 ;;
    --spread) SPREAD=1; shift ;;
    --no-each) EACH=0; shift ;;
    *) usage ;;
  esac
done
LIB=$ROOT/nix-local/src/main/resources/io/nixaurora/nix/local
WORK=$(mktemp -d)
GCROOTS=/nix/var/nix/gcroots/nix-aurora-bench-$$
cleanup() { rm -rf "$WORK" "$GCROOTS"; }
trap cleanup EXIT

# The evaluator's class path: this tree's classes and nix-local's dependencies.
# One reactor run (with -am), so our own modules come from this tree, never from ~/.m2; every
# module writes the file in turn and nix-local, the last, leaves its class path there.
mvn -o -q -pl nix-local -am compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" >/dev/null
CP=$ROOT/api/target/classes:$ROOT/support/target/classes:$ROOT/nix-local/target/classes:$(tr ':' '\n' < "$WORK/deps.txt" \
  | grep -v -e nix-aurora -e junit -e opentest4j -e apiguardian | paste -sd:)
javac -d "$WORK/classes" -cp "$CP" bench/EvalMany.java
CP=$CP:$WORK/classes

# The fake aurora client: answers every command at once, as a successful create does.
cat > "$WORK/fake-aurora" <<'SH'
#!/bin/sh
case "$*" in
  *"job create"*) echo "INFO] Job create succeeded: job url=http://localhost:8081/scheduler/bench" ;;
  *"cron schedule"*) echo "INFO] Cron job scheduled" ;;
esac
exit 0
SH
chmod +x "$WORK/fake-aurora"

# config CLIENT: a configuration file for the create rows with aurora_binary CLIENT.
config() {
  local client=$1
  local out=$WORK/config-$(basename "$client").json
  if [ -n "$CONFIG" ]; then
    python3 - "$CONFIG" "$CLUSTER" "$client" "$out" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("clusters", {}).setdefault(sys.argv[2], {})["aurora_binary"] = sys.argv[3]
json.dump(c, open(sys.argv[4], "w"), indent=2)
PY
  else
    [ -f "$WORK/key.sec" ] || nix-store --generate-binary-cache-key bench-1 "$WORK/key.sec" "$WORK/key.pub"
    local url=${CACHE:-file://$WORK/cache}
    cat > "$out" <<JSON
{ "clusters": { "$CLUSTER": {
    "store": "binary-cache", "cache_url": "$url", "secret_key_file": "$WORK/key.sec",
    "submitter": "cli", "aurora_binary": "$client" } } }
JSON
  fi
  echo "$out"
}

RESULTS=$WORK/results   # lines: what size wall cpu load
touch "$RESULTS"
# timed WHAT N CMD...: runs CMD, appends "WHAT N wall cpu load" to the results.
timed() {
  local what=$1 n=$2; shift 2
  local load cpu
  load=$(cut -d' ' -f1 /proc/loadavg)
  if ! /usr/bin/time -o "$WORK/time" -f '%e %U %S' "$@" >"$WORK/out" 2>"$WORK/err"; then
    echo "failed: $what N=$n: $(tail -3 "$WORK/err")" >&2; return 1
  fi
  set -- $(tail -1 "$WORK/time")
  cpu=$(echo "$2 + $3" | bc)
  echo "$what $n $1 $cpu $load" >> "$RESULTS"
  printf '  %-15s N=%-5s %7.2f s wall %7.2f s cpu  (load %s)\n' "$what" "$n" "$1" "$cpu" "$load" >&2
}

# jobdirs DIR: the job directories DIR holds, in order.
jobdirs() { ls -d "$1"/job-* ; }
# jobsfile DIR: eval.nix's jobs file for the jobs in DIR.
jobsfile() {
  python3 -c 'import json,sys; print(json.dumps([{"jobFile": a + "/default.nix"} for a in sys.argv[1:]]))' \
    $(jobdirs "$1") > "$1/jobs.json"
  echo "$1/jobs.json"
}
each_build() { local d; for d in $(jobdirs "$1"); do nix-build --no-out-link -Q "$LIB/eval.nix" \
  --argstr libDir "$LIB" --argstr jobFile "$d/default.nix" >/dev/null; done; }
export -f each_build jobdirs
export LIB

# one_size LABEL N JOBS PROCS ROUND: every row for N jobs of PROCS processes each.
one_size() {
  local label=$1 n=$2 procs=$4 r=$5 d
  d=$WORK/$label-$r-a; bench/gen-many-jobs.sh "$n" "$d" "a$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
  timed nix-build-all "$label" nix-build --no-out-link -Q "$LIB/eval.nix" --argstr libDir "$LIB" \
    --argstr jobsFile "$(jobsfile "$d")"
  if [ "$EACH" = 1 ] && [ "$SPREAD" = 0 ]; then
    d=$WORK/$label-$r-b; bench/gen-many-jobs.sh "$n" "$d" "b$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
    timed nix-build-each "$label" bash -c 'each_build "$0"' "$d"
  fi
  d=$WORK/$label-$r-c; bench/gen-many-jobs.sh "$n" "$d" "c$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
  timed java-all "$label" java -cp "$CP" EvalMany all "$GCROOTS" $(jobdirs "$d")
  if [ "$EACH" = 1 ] && [ "$SPREAD" = 0 ]; then
    d=$WORK/$label-$r-d; bench/gen-many-jobs.sh "$n" "$d" "d$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
    timed java-each "$label" java -cp "$CP" EvalMany each "$GCROOTS" $(jobdirs "$d")
  fi
  if [ "$CLI" = 1 ]; then
    d=$WORK/$label-$r-e; bench/gen-many-jobs.sh "$n" "$d" "e$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
    timed cli-build "$label" ./nix-aurora build $(jobdirs "$d")
    if [ "$SPREAD" = 0 ]; then
      d=$WORK/$label-$r-f; bench/gen-many-jobs.sh "$n" "$d" "f$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
      timed cli-create "$label" ./nix-aurora --config "$(config "$WORK/fake-aurora")" create "$CLUSTER" $(jobdirs "$d")
      if [ -n "$AURORA" ]; then
        d=$WORK/$label-$r-g; bench/gen-many-jobs.sh "$n" "$d" "g$r$RANDOM$RANDOM" "$procs" "$SHARED" "$CLUSTER"
        timed cli-create-real "$label" ./nix-aurora --config "$(config "$AURORA")" create "$CLUSTER" $(jobdirs "$d")
      fi
    fi
  fi
}

if [ "$CLI" = 1 ]; then
  ./nix-aurora --version >/dev/null 2>&1 || ./nix-aurora build examples/hello_world >/dev/null
fi
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  if [ "$SPREAD" = 1 ]; then
    one_size 1x200 1 x 200 "$r"
    one_size 1x1000 1 x 1000 "$r"
    one_size 100x10 100 x 10 "$r"
  else
    for n in $SIZES; do one_size "$n" "$n" x "$PROCS" "$r"; done
  fi
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(nix-build --version | head -1), $([ "$SPREAD" = 1 ] && echo "spread: JOBSxPROCESSES" || echo "procs/job=$PROCS"), shared paths=$SHARED, rounds=$ROUNDS"
python3 - "$RESULTS" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
whats, sizes = [], []
for r in rows:
    if r[0] not in whats: whats.append(r[0])
    if r[1] not in sizes: sizes.append(r[1])
print(f"{'':16}{'N':>7} {'wall med':>9} {'cpu med':>8} {'wall/first':>10} {'cpu/first':>9}  load")
for w in whats:
    med = {}
    for n in sizes:
        sel = [r for r in rows if r[0] == w and r[1] == n]
        if sel:
            med[n] = (statistics.median(float(r[2]) for r in sel),
                      statistics.median(float(r[3]) for r in sel), ",".join(r[4] for r in sel))
    base = med[next(iter(med))]
    for n, (wall, cpu, loads) in med.items():
        print(f"{w:16}{n:>7} {wall:8.2f}s {cpu:7.2f}s {wall/base[0]:10.2f} {cpu/base[1]:9.2f}  {loads}")
for n in sizes:
    a = [float(r[2]) for r in rows if r[0] == "nix-build-all" and r[1] == n]
    e = [float(r[2]) for r in rows if r[0] == "nix-build-each" and r[1] == n]
    if a and e:
        print(f"N={n}: one build for all / one build per job = {statistics.median(a)/statistics.median(e):.2f}")
PY
