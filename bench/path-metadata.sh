#!/usr/bin/env bash
# Benchmark: reading the metadata of a closure of N paths (issue 15, item 4: `nix path-info` took
# 0.4 s for 1,000 paths). Compares, on the Nix on PATH:
#   path-info      nix path-info --json -r ROOT   (what NixStore.closure runs: every field)
#   requisites     nix-store -q --requisites ROOT (names only: the floor of any nix-store query)
#   query-5        nix-store -q --requisites, --graph (references per path), --hash, --size and
#                  --deriver: everything but signatures and ca, in five commands
#   dump-db        nix-store -q --requisites, then nix-store --dump-db PATHS (hash, size, deriver,
#                  references; no signatures, no ca)
#
#   bench/path-metadata.sh [N]                  on this machine's Nix (default N 1000)
#   bench/path-metadata.sh --suite SUITE [N]    on the Nix of a .ci/nix-matrix image (trixie: 2.26,
#                                               sid: 2.34; made by `.ci/nix-matrix images SUITE`),
#                                               in a fresh chroot of its own (root; removed after)
#
# Each command runs 2 times to warm up, then 10 times; the minimum and the median are printed.
#
# The closure is N small text files (builtins.toFile: content-addressed, so `ca` is set) and one
# derivation output referring to all of them, made anew with a fresh salt each run.
set -euo pipefail
if [ "${1:-}" = --suite ]; then
  SUITE=$2; shift 2
  IMAGE=$(ls "${NIX_MATRIX_CACHE:-/var/cache/nix-aurora-matrix}/$SUITE"-*.tar | head -1)
  ROOTDIR=$(mktemp -d /var/tmp/path-metadata-XXXXXX)
  cleanup() { umount -R -l "$ROOTDIR/dev" 2>/dev/null || true; rm -rf --one-file-system "$ROOTDIR"; }
  trap cleanup EXIT
  tar -C "$ROOTDIR" -xf "$IMAGE"
  mount --rbind /dev "$ROOTDIR/dev"
  mount --make-rslave "$ROOTDIR/dev"
  cp "$0" "$ROOTDIR/path-metadata.sh"
  unshare --pid --fork --kill-child --mount --mount-proc="$ROOTDIR/proc" chroot "$ROOTDIR" \
    /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root NIX_CONFIG="sandbox = false" \
    /bin/bash /path-metadata.sh "$@"
  exit
fi
N=${1:-1000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SALT=$RANDOM$RANDOM
cat > "$WORK/closure.nix" <<NIX
let
  files = builtins.genList (i: builtins.toFile "meta-\${toString i}" "salt $SALT file \${toString i}") $N;
in derivation {
  name = "meta-root-$N"; system = builtins.currentSystem; builder = "/bin/sh";
  refs = builtins.concatStringsSep " " files;
  args = [ "-c" "echo \$refs > \$out" ];
}
NIX
ROOT=$(nix-build --no-out-link -Q "$WORK/closure.nix" 2>/dev/null)
nix-store -q --requisites "$ROOT" > "$WORK/paths"
echo "Nix $(nix-store --version | awk '{print $NF}'), closure of $(wc -l < "$WORK/paths") paths, load $(cut -d' ' -f1 /proc/loadavg)"
XF="--extra-experimental-features nix-command"
JSONFMT=""
if nix $XF path-info --help 2>/dev/null | grep -q -- '--json-format'; then JSONFMT="--json-format 2"; fi
# measure NAME COMMAND: 2 warm-up runs, 10 timed; prints the minimum and the median in ms.
measure() {
  local name=$1 cmd=$2 times=() i t0 t1
  for i in 1 2; do bash -c "$cmd" >/dev/null; done
  for i in $(seq 10); do
    t0=$(date +%s%N); bash -c "$cmd" >/dev/null; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '| %-10s | %5d ms | %5d ms |\n' "$name" "${sorted[0]}" "${sorted[5]}"
}
echo "| command    |   min    |  median  |"
echo "|---|---|---|"
measure path-info "nix $XF path-info --offline --json $JSONFMT -r $ROOT"
measure requisites "nix-store -q --requisites $ROOT"
measure query-5 "P=\$(nix-store -q --requisites $ROOT); nix-store -q --graph $ROOT; nix-store -q --hash \$P; nix-store -q --size \$P; nix-store -q --deriver \$P"
measure dump-db "nix-store --dump-db \$(nix-store -q --requisites $ROOT)"
