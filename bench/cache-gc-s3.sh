#!/usr/bin/env bash
# Benchmarks for issue 14 (not a test):
#   1. cache gc --delete of a generated cache of GC_PATHS paths (default 10,000; 100 "jobs",
#      half of them live; every file 10 days old) on file://, HTTP (nginx: JSON index, WebDAV
#      DELETE; requests counted from its access log) and S3 (S3Proxy, filesystem backend):
#      wall time of the gc itself and the target operations it made (GcBench, test scope).
#   2. S3 push of a ~300 MB closure (bench/cache-gen.py) to S3Proxy (PushMain, a whole JVM run,
#      jobs=2, zstd) against `nix copy --to file://…?compression=zstd`, in the same run.
# Needs: mvn install of nix-binary-cache with test classes (and target/s3proxy), nginx, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${BENCH_DIR:-/tmp/nbc-gc-bench}
N=${GC_PATHS:-10000}
PIDS=()
ROOTS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "${#ROOTS[@]}" -gt 0 ] && [ -z "${BENCH_KEEP:-}" ]; then
    nix-store --delete $(nix-store -qR "${ROOTS[@]}") >/dev/null 2>&1 || true
  fi
  [ -z "${BENCH_KEEP:-}" ] && rm -rf "$W"
}
trap cleanup EXIT
rm -rf "$W"; mkdir -p "$W"
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 600); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

mvn -B -q -o dependency:build-classpath -pl nix-binary-cache -Dmdep.outputFile="$W/cp" >/dev/null
CP="nix-binary-cache/target/classes:nix-binary-cache/target/test-classes:$(cat "$W/cp")"
JAVA="java -Dsun.jnu.encoding=UTF-8 -cp $CP"
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret

SPORT=$(freeport)
mkdir -p "$W/s3data/bench" "$W/s3data/push"
cat > "$W/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$SPORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$W/s3data
CONF
java -Xmx512m -jar nix-binary-cache/target/s3proxy/s3proxy.jar --properties "$W/s3proxy.conf" >"$W/s3proxy.log" 2>&1 &
PIDS+=($!)

NPORT=$(freeport)
mkdir -p "$W/nginx/logs" "$W/www"
cat > "$W/nginx/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log $W/nginx/logs/access.log;
  client_body_temp_path $W/nginx/body;
  client_max_body_size 0;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NPORT;
    root $W/www;
    location / { dav_methods PUT DELETE; create_full_put_path on; autoindex on; autoindex_format json; }
  }
}
NGINX
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
waitport "$NPORT"; waitport "$SPORT"

echo "== gc of a $N-path cache (generated; 100 jobs, the tops of 50 are roots; 10 days old)"
python3 bench/cache-gc-gen.py "$W" "$N" "$W/file" "$W/www/gc" "$W/s3data/bench/gc"
echo "-- file://"
$JAVA io.nixaurora.nix.cache.GcBench "file://$W/file" "$W/roots"
echo "-- HTTP (nginx)"
: > "$W/nginx/logs/access.log"
$JAVA io.nixaurora.nix.cache.GcBench "http://127.0.0.1:$NPORT/gc" "$W/roots"
echo "HTTP requests (nginx access log): $(wc -l < "$W/nginx/logs/access.log")"
echo "-- S3 (S3Proxy)"
$JAVA io.nixaurora.nix.cache.GcBench "s3://bench/gc?endpoint=http://127.0.0.1:$SPORT" "$W/roots"

echo "== S3 push of a ~${BIG_MB:-300} MB closure against nix copy to file://"
nix-store --generate-binary-cache-key bench-1 "$W/sk" "$W/pk"
BIG_MB=${BIG_MB:-300} BIG_PATHS=${BIG_PATHS:-500} SMALL_PATHS=1 python3 bench/cache-gen.py "$W"
mapfile -t ROOTS < <(nix-build --no-out-link -Q --option substituters "" "$W/closures.nix" -A big 2>"$W/build.log")
BIG=${ROOTS[0]}
echo "closure: $(nix-store -qR "$BIG" | wc -l) paths, $(nix --extra-experimental-features nix-command path-info -S "$BIG" | awk '{print $2}') bytes"
for p in $(nix-store -qR "$BIG"); do nix-store --dump "$p" >/dev/null; done  # hot page cache
T0=$(date +%s.%N)
$JAVA io.nixaurora.nix.cache.PushMain "s3://push/c?endpoint=http://127.0.0.1:$SPORT" "$W/sk" zstd 2 "$BIG"
T1=$(date +%s.%N)
nix --extra-experimental-features nix-command copy --to "file://$W/nixcopy?compression=zstd" "$BIG" 2>"$W/nixcopy.log"
T2=$(date +%s.%N)
$JAVA io.nixaurora.nix.cache.PushMain "file://$W/ours" "$W/sk" zstd 2 "$BIG"
T3=$(date +%s.%N)
python3 - "$T0" "$T1" "$T2" "$T3" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:])
print("S3 push (PushMain, whole JVM run): %.1f s; nix copy --to file:// (zstd): %.1f s;"
      " PushMain to file:// (zstd): %.1f s" % (t1 - t0, t2 - t1, t3 - t2))
PY
