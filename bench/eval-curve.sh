#!/usr/bin/env bash
# Benchmark: how building a job grows with its number of processes (issue 15, item 2).
#
#   bench/eval-curve.sh [--rounds R] [--sizes "200 1000 2000"] [--tools T] [--before REV] [--floor]
#
# Every measurement is a COLD build: each run generates the job anew (bench/gen-many-processes.sh)
# with a fresh salt, so Nix evaluates and builds every process script (and the T small packages
# the cmdlines reference; default 1) from scratch. Sizes run interleaved, R rounds (default 3), so
# a change in the machine's load hits every size alike; medians are printed, with the load.
#
# Per size and round it times, wall clock and CPU (user+sys of the command and its children):
#   nix-build   nix-build of eval.nix, the one build nix-aurora runs (the Nix part alone)
#   nix-aurora  ./nix-aurora build JOB, the whole command a user types (JVM, Nix, model, compile)
#   before      (--before REV) nix-build of eval.nix with the aurora.nix library of git REV
#   floor       (--floor, once) nix-build of N trivial derivations, no aurora library: what Nix
#               costs with one derivation per process, as aurora.nix did before
# then the ratios of each size to the smallest and the cost per process between the smallest and
# the largest size. Needs: nix, bc, the CLI launcher (./nix-aurora builds it on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3
SIZES="200 1000 2000"
TOOLS=1
BEFORE=""
FLOOR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --tools) TOOLS=$2; shift 2 ;;
    --before) BEFORE=$2; shift 2 ;;
    --floor) FLOOR=1; shift ;;
    *) echo "usage: $0 [--rounds R] [--sizes \"200 1000 2000\"] [--tools T] [--before REV] [--floor]" >&2; exit 2 ;;
  esac
done
ROOT=$PWD
LIB=$ROOT/nix-local/src/main/resources/io/nixaurora/nix/local
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -n "$BEFORE" ]; then
  mkdir -p "$WORK/before-lib"
  for f in aurora.nix eval.nix offline-pkgs.nix; do
    git show "$BEFORE:nix-local/src/main/resources/io/nixaurora/nix/local/$f" > "$WORK/before-lib/$f"
  done
fi
./nix-aurora --version >/dev/null 2>&1 || ./nix-aurora build examples/hello_world >/dev/null

RESULTS=$WORK/results   # lines: what size wall cpu load
touch "$RESULTS"
# timed WHAT N CMD...: runs CMD, appends "WHAT N wall cpu load" to the results.
timed() {
  local what=$1 n=$2; shift 2
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  if ! /usr/bin/time -o "$WORK/time" -f '%e %U %S' "$@" >/dev/null 2>"$WORK/err"; then
    echo "failed: $what N=$n: $(tail -3 "$WORK/err")" >&2; return 1
  fi
  set -- $(tail -1 "$WORK/time")
  local cpu; cpu=$(echo "$2 + $3" | bc)
  echo "$what $n $1 $cpu $load" >> "$RESULTS"
  printf '  %-10s N=%-5s %7.2f s wall %7.2f s cpu  (load %s)\n' "$what" "$n" "$1" "$cpu" "$load" >&2
}

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  for n in $SIZES; do
    job=$WORK/job-$n-$r
    bench/gen-many-processes.sh "$n" "$job-a" "a$r$RANDOM$RANDOM" "$TOOLS"
    timed nix-build "$n" nix-build --no-out-link "$LIB/eval.nix" \
      --argstr jobFile "$job-a/default.nix" --argstr libDir "$LIB"
    bench/gen-many-processes.sh "$n" "$job-b" "b$r$RANDOM$RANDOM" "$TOOLS"
    timed nix-aurora "$n" ./nix-aurora build "$job-b"
    if [ -n "$BEFORE" ]; then
      bench/gen-many-processes.sh "$n" "$job-c" "c$r$RANDOM$RANDOM" "$TOOLS"
      timed before "$n" nix-build --no-out-link "$WORK/before-lib/eval.nix" \
        --argstr jobFile "$job-c/default.nix" --argstr libDir "$WORK/before-lib"
    fi
  done
done
if [ "$FLOOR" = 1 ]; then
  cat > "$WORK/floor.nix" <<'NIX'
{ n, salt }:
builtins.genList (i: derivation {
  system = builtins.currentSystem;
  name = "floor-${toString i}";
  builder = "/bin/sh";
  args = [ "-c" "echo ${salt} ${toString i} > $out" ];
  preferLocalBuild = true;
  allowSubstitutes = false;
}) n
NIX
  for n in $SIZES; do
    timed floor "$n" nix-build --no-out-link "$WORK/floor.nix" --arg n "$n" --argstr salt "f$RANDOM$RANDOM"
  done
fi

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(nix-build --version | head -1), tools=$TOOLS, rounds=$ROUNDS"
python3 - "$RESULTS" "$SIZES" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
sizes = [int(s) for s in sys.argv[2].split()]
whats = []
for r in rows:
    if r[0] not in whats:
        whats.append(r[0])
print(f"{'':11}{'N':>6} {'wall med':>9} {'cpu med':>8} {'wall/N0':>8} {'cpu/N0':>7}  load")
for w in whats:
    med = {}
    for n in sizes:
        sel = [r for r in rows if r[0] == w and int(r[1]) == n]
        if not sel:
            continue
        med[n] = (statistics.median(float(r[2]) for r in sel),
                  statistics.median(float(r[3]) for r in sel),
                  ",".join(r[4] for r in sel))
    base = med.get(sizes[0])
    for n, (wall, cpu, loads) in med.items():
        print(f"{w:11}{n:>6} {wall:8.2f}s {cpu:7.2f}s {wall/base[0]:8.2f} {cpu/base[1]:7.2f}  {loads}")
    if len(med) > 1:
        lo, hi = min(med), max(med)
        print(f"{w:11}  per process ({lo}..{hi}): {1000*(med[hi][0]-med[lo][0])/(hi-lo):.2f} ms wall,"
              f" {1000*(med[hi][1]-med[lo][1])/(hi-lo):.2f} ms cpu")
PY
