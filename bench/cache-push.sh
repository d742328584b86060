#!/usr/bin/env bash
# Benchmark: nix-aurora's binary-cache push against `nix copy --to`, side by side in one run.
#
#   bench/cache-push.sh            (RUNS=3 zstd/HTTP runs, XZ_RUNS=1; BIG_MB, BIG_PATHS, SMALL_PATHS)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/cache-push.sh   (PushMain on another JDK)
#   INDEX=0 bench/cache-push.sh    (nginx without its JSON directory index: no bulk listing)
#
#   1. a generated closure (>= 500 paths, >= 200 MB of real files) to file:// with zstd
#   2. the same with xz
#   3. 1,000 small paths over HTTP to a local nginx (PUT), zstd
#   4. re-push of those 1,000 paths when everything is present
# Each timed command starts with a fresh, empty cache (except 4). Our side is a whole JVM run
# (io.nixaurora.nix.cache.PushMain, test scope) including start-up, jobs=2 (the two cores).
# Data lives under $BENCH_DIR (default /tmp/nbc-bench) and is deleted at the end, with the
# generated store paths. Needs: mvn install of nix-binary-cache (with test classes), nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${BENCH_DIR:-/tmp/nbc-bench}
RUNS=${RUNS:-3}
CLI=${CLI:-1}   # also time the real launcher, `./nix-aurora cache push` (zstd, HTTP, re-push)
XZ_RUNS=${XZ_RUNS:-1}
NGINX_PID=
ROOTS=()
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  if [ "${#ROOTS[@]}" -gt 0 ] && [ -z "${BENCH_KEEP:-}" ]; then
    nix-store --delete $(nix-store -qR "${ROOTS[@]}") >/dev/null 2>&1 || true
  fi
  if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$W"; fi
}
trap cleanup EXIT
rm -rf "$W"; mkdir -p "$W"

CP_FILE=$W/cp
mvn -B -q dependency:build-classpath -pl nix-binary-cache -Dmdep.outputFile="$CP_FILE" >/dev/null
# This checkout's own modules, not what another checkout last installed into ~/.m2.
DEPS=$(tr ':' '\n' < "$CP_FILE" | grep -v '/io/nixaurora/' | paste -sd:)
CP="nix-binary-cache/target/classes:nix-binary-cache/target/test-classes:nix-local/target/classes:support/target/classes:api/target/classes:$DEPS"
JAVA=${JAVA:-java}
OURS="$JAVA -Dsun.jnu.encoding=UTF-8 -cp $CP io.nixaurora.nix.cache.PushMain"
# The launcher rebuilds itself when sources changed: do that now, not inside a timed run.
if [[ $CLI == 1 ]] && ! ./nix-aurora cache push --help >/dev/null 2>&1; then
  echo "./nix-aurora does not run; timing PushMain only" >&2
  CLI=0
fi
NIX="nix --extra-experimental-features nix-command"

nix-store --generate-binary-cache-key bench-1 "$W/sk" "$W/pk"
PK=$(cat "$W/pk")

echo "generating closures..." >&2
python3 bench/cache-gen.py "$W"
mapfile -t ROOTS < <(nix-build --no-out-link -Q --option substituters "" "$W/closures.nix" -A big -A small 2>"$W/build.log")
BIG=${ROOTS[0]}
SMALL=${ROOTS[1]}
BIG_N=$(nix-store -qR "$BIG" | wc -l)
BIG_BYTES=$($NIX path-info -S "$BIG" | awk '{print $2}')
SMALL_N=$(nix-store -qR "$SMALL" | wc -l)
cat "$BIG" "$SMALL" >/dev/null; nix-store --dump "$BIG" >/dev/null
for p in $(nix-store -qR "$BIG"); do nix-store --dump "$p" >/dev/null; done  # hot page cache

# The JSON directory index lets the pusher ask nginx what the cache holds in one request (nix copy
# never lists a cache: it asks for each narinfo either way).
AUTOINDEX=
if [[ ${INDEX:-1} == 1 ]]; then AUTOINDEX='autoindex on; autoindex_format json;'; fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$W/nginx/www" "$W/nginx/logs"
cat > "$W/nginx/nginx.conf" <<NGINX
user root;
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/nginx/body;
  proxy_temp_path $W/nginx/proxy; fastcgi_temp_path $W/nginx/fcgi;
  uwsgi_temp_path $W/nginx/uwsgi; scgi_temp_path $W/nginx/scgi;
  client_max_body_size 0;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$PORT;
    root $W/nginx/www;
    location / { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; $AUTOINDEX }
  }
}
NGINX
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
sleep 1
HTTP=http://127.0.0.1:$PORT

# t NAME CMD… : wall seconds of CMD, appended to $W/times as "NAME seconds"
t() {
  local name=$1; shift
  local s e l1
  read -r l1 _ < /proc/loadavg
  echo "$l1" >> "$W/loads"   # 1-min load before each timed run: a busy machine shows here
  s=$(date +%s.%N)
  if ! "$@" >"$W/out" 2>"$W/err"; then cat "$W/out" "$W/err" >&2; exit 1; fi
  e=$(date +%s.%N)
  echo "$name $(echo "$e - $s" | bc)" | tee -a "$W/times" >&2
  # Our summary line ends with "in X s": the push itself, without JVM start-up and exit.
  if [[ $name == our-* ]]; then
    sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$W/out" | awk -v n="$name" '{print n "-inproc", $1}' >> "$W/times"
  fi
}
# Every timed push goes to a cache nobody used before: a new directory (file://) or a new path
# prefix under the nginx root (http://), named with this invocation's token and a counter. Nix's
# narinfo disk cache (~/.cache/nix/binary-cache-v*.sqlite, spec §6.3) is keyed by the cache URL,
# so a reused URL makes `nix copy` believe everything is there already and upload nothing.
# (fresh sets $d rather than printing it: a $(fresh …) subshell would never advance the counter.)
# The TTL options are not used for first pushes: with narinfo-cache-negative-ttl 0 Nix would
# re-ask the cache for every path it just found missing, which would slow nix copy down unfairly.
TOKEN=$(date +%s)-$$
n=0
fresh() { n=$((n + 1)); d="$1-$TOKEN-$n"; }
# pushed DIR N NAME: the cache directory DIR must hold exactly N narinfos (both tools write a
# narinfo only after its NAR), so a run that uploaded nothing can never be timed as a success.
pushed() {
  local got
  got=$(find "$1" -maxdepth 1 -name '*.narinfo' | wc -l)
  if [[ $got != "$2" ]]; then
    echo "$3: $1 holds $got narinfos, expected $2: the run did not push; aborting" >&2
    exit 1
  fi
}

for r in $(seq "$RUNS"); do
  fresh nix-zstd; t nix-zstd $NIX copy --to "file://$W/$d?compression=zstd&secret-key=$W/sk" "$BIG"
  pushed "$W/$d" "$BIG_N" nix-zstd
  rm -rf "$W"/nix-zstd-* "$W"/our-zstd-*
  fresh our-zstd; t our-zstd $OURS "file://$W/$d" "$W/sk" zstd 2 "$BIG"
  pushed "$W/$d" "$BIG_N" our-zstd
  LAST_ZSTD=$d
  if [[ $CLI == 1 ]]; then
    fresh cli-zstd; t cli-zstd ./nix-aurora cache push -q --to "file://$W/$d" --secret-key-file "$W/sk" --jobs 2 "$BIG"
    pushed "$W/$d" "$BIG_N" cli-zstd
    rm -rf "$W/$d"
  fi
  fresh nix-http; t nix-http $NIX copy --to "$HTTP/$d?compression=zstd&secret-key=$W/sk" "$SMALL"
  pushed "$W/nginx/www/$d" "$SMALL_N" nix-http
  NIX_HTTP=$d
  fresh our-http; t our-http $OURS "$HTTP/$d" "$W/sk" zstd 2 "$SMALL"
  pushed "$W/nginx/www/$d" "$SMALL_N" our-http
  LAST_HTTP=$d
  t our-repush $OURS "$HTTP/$d" "$W/sk" zstd 2 "$SMALL"
  grep -q "^pushed 0 paths" "$W/out" || { echo "our re-push pushed something: $(cat "$W/out")" >&2; exit 1; }
  t nix-repush-diskcache $NIX copy --to "$HTTP/$NIX_HTTP?compression=zstd&secret-key=$W/sk" "$SMALL"
  t nix-repush-ttl0 $NIX copy --option narinfo-cache-positive-ttl 0 --to "$HTTP/$NIX_HTTP?compression=zstd&secret-key=$W/sk" "$SMALL"
  if [[ $CLI == 1 ]]; then
    fresh cli-http; t cli-http ./nix-aurora cache push -q --to "$HTTP/$d" --secret-key-file "$W/sk" --jobs 2 "$SMALL"
    pushed "$W/nginx/www/$d" "$SMALL_N" cli-http
    t cli-repush ./nix-aurora cache push -q --to "$HTTP/$d" --secret-key-file "$W/sk" --jobs 2 "$SMALL"
  fi
  rm -rf "$W/nginx/www/$NIX_HTTP"
done

for r in $(seq "$XZ_RUNS"); do
  rm -rf "$W"/our-xz-*
  fresh nix-xz; t nix-xz $NIX copy --to "file://$W/$d?compression=xz&secret-key=$W/sk" "$BIG"
  pushed "$W/$d" "$BIG_N" nix-xz
  du -sb "$W/$d/nar" | awk '{print "nix-xz-bytes", $1}' >> "$W/times"; rm -rf "$W/$d"
  fresh our-xz; t our-xz $OURS "file://$W/$d" "$W/sk" xz 2 "$BIG"
  pushed "$W/$d" "$BIG_N" our-xz
  du -sb "$W/$d/nar" | awk '{print "our-xz-bytes", $1}' >> "$W/times"
done

# Conformance of what we pushed (not timed): Nix's own verify, and ours.
$NIX store verify --store "file://$W/$LAST_ZSTD" --trusted-public-keys "$PK" -r "$BIG" 2>/dev/null
$NIX store verify --store "$HTTP/$LAST_HTTP" --trusted-public-keys "$PK" -r "$SMALL" 2>/dev/null
$OURS --verify "file://$W/$LAST_ZSTD" "$PK"
$OURS --verify "file://$W/nginx/www/$LAST_HTTP" "$PK"
if ls -d "$W"/our-xz-* >/dev/null 2>&1; then $OURS --verify "$(ls -d "$W"/our-xz-* | sed 's|^|file://|')" "$PK"; fi
echo "conformance: nix store verify and our verifier passed" >&2

echo
echo "closure: $BIG_N paths, $BIG_BYTES bytes (NAR); small: $SMALL_N paths; machine: $(nproc) cores, shared"
sort -n "$W/loads" | awk '{a[NR]=$1} END {printf "1-min load average before the timed runs: min %s, median %s, max %s (%d runs); now: %s\n", a[1], a[int((NR+1)/2)], a[NR], NR, "'"$(cut -d' ' -f1-3 /proc/loadavg)"'"}'
awk -v small="$SMALL_N" '
  function avg(k) { return cnt[k] ? sum[k] / cnt[k] : 0 }
  { sum[$1] += $2; cnt[$1]++ }
  END {
    split("zstd xz http", k, " ");
    goal["zstd"] = "<= 0.8x"; goal["xz"] = "-"; goal["http"] = "<= 0.5x";
    lim["zstd"] = 0.8; lim["xz"] = 99; lim["http"] = 0.5;
    printf "| case | nix copy (s) | nix-aurora, whole JVM run (s) | ratio | push alone, in the JVM (s) | ratio | goal | met |\n|---|---|---|---|---|---|---|---|\n";
    for (i = 1; i <= 3; i++) {
      if (!cnt["nix-" k[i]]) continue;
      a = avg("nix-" k[i]); b = avg("our-" k[i]); c = avg("our-" k[i] "-inproc");
      printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |\n", k[i], a, b, b / a, c, c / a, goal[k[i]], (b / a <= lim[k[i]] ? "yes" : "no");
    }
    a = avg("nix-repush-ttl0"); b = avg("our-repush");
    printf "| re-push %s paths | %.2f (disk cache) / %.2f (ttl 0) | %.2f | %.2f | %.2f | | <= 0.5 s | %s |\n", small,
      avg("nix-repush-diskcache"), a, b, b / a, avg("our-repush-inproc"), (b <= 0.5 ? "yes" : "no");
    if (cnt["cli-zstd"]) {
      printf "\n./nix-aurora cache push (the command a user types: the launcher, its JVM flags and AppCDS archive):\n";
      printf "| case | nix copy (s) | nix-aurora CLI (s) | ratio | goal | met |\n|---|---|---|---|---|---|\n";
      a = avg("nix-zstd"); b = avg("cli-zstd");
      printf "| zstd | %.2f | %.2f | %.2f | <= 0.8x | %s |\n", a, b, b / a, (b / a <= 0.8 ? "yes" : "no");
      a = avg("nix-http"); b = avg("cli-http");
      printf "| http | %.2f | %.2f | %.2f | <= 0.5x | %s |\n", a, b, b / a, (b / a <= 0.5 ? "yes" : "no");
      a = avg("nix-repush-ttl0"); b = avg("cli-repush");
      printf "| re-push | %.2f (ttl 0) | %.2f | %.2f | <= 0.5 s | %s |\n", a, b, b / a, (b <= 0.5 ? "yes" : "no");
    }
    if (cnt["nix-xz-bytes"]) printf "xz NAR bytes: nix %d, ours %d\n", sum["nix-xz-bytes"], sum["our-xz-bytes"];
  }' "$W/times"
