#!/usr/bin/env bash
# Foundation benchmark (issue 2): SafeLoop next to a bare Beast "hello" server on the same machine,
# measured with wrk over loopback, written to bench/RESULTS.md. Not a test: the figures are noisy,
# the ratios are what we watch. Usage: bench/run.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
OUT=bench/out
mkdir -p "$OUT"
scripts/install-deps.sh test >/dev/null

# The build `make run` serves (build/, RelWithDebInfo): the figures are those of the binary users run.
B=build
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAFELOOP_TESTS=OFF -DSAFELOOP_BENCH=ON >/dev/null
cmake --build "$B" --target safeloop bench_hello bench_make_jpeg -j "$(nproc)" >/dev/null

DATA=$(mktemp -d /tmp/safeloop-bench-XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }

"$B"/bench_make_jpeg "$OUT/photo.jpg" 200 >/dev/null
"$B"/safeloop demo --data "$DATA/data" >/dev/null
SL_PORT=$(free_port); HELLO_PORT=$(free_port)
"$B"/safeloop serve --data "$DATA/data" --port "$SL_PORT" --log-level warn >"$OUT/server.log" 2>&1 &
PIDS+=($!)
"$B"/bench_hello "$HELLO_PORT" 2 &
PIDS+=($!)
wait_up "http://127.0.0.1:$SL_PORT/healthz"
wait_up "http://127.0.0.1:$HELLO_PORT/"

TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d '{"login":"admin","password":"demo-2026"}' \
  "http://127.0.0.1:$SL_PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
export TOKEN PHOTO="$ROOT/$OUT/photo.jpg"

cat >"$OUT/auth.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
LUA
cat >"$OUT/upload_same.lua" <<'LUA'
local f = io.open(os.getenv("PHOTO"), "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body
wrk.headers["Content-Type"] = "image/jpeg"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
LUA
cat >"$OUT/upload_new.lua" <<'LUA'
-- Every request a different photo: bytes appended after the JPEG's end marker change its SHA-256,
-- so the server sniffs, decodes, thumbnails and stores each one.
local f = io.open(os.getenv("PHOTO"), "rb"); local body = f:read("*a"); f:close()
local headers = {["Content-Type"] = "image/jpeg", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
local n = 0
local id = tostring({}):sub(8) .. tostring(os.time())  -- distinct per wrk thread
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/files", headers, body .. id .. "-" .. n)
end
LUA

# run NAME URL [script] -> "rps p50 p99"
run() {
  local name=$1 url=$2 script=${3:-}
  local args=(-t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" >"$OUT/$name.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.txt")
  echo "$rps $p50 $p99 ${non2xx:-0}"
}

H="http://127.0.0.1:$HELLO_PORT"
S="http://127.0.0.1:$SL_PORT"
read -r hello_rps hello_p50 hello_p99 _ <<<"$(run hello "$H/")"
read -r hpost_rps hpost_p50 hpost_p99 _ <<<"$(run hello_post "$H/" "$OUT/upload_same.lua")"
read -r health_rps health_p50 health_p99 health_bad <<<"$(run healthz "$S/healthz")"
read -r me_rps me_p50 me_p99 me_bad <<<"$(run me "$S/api/v1/me" "$OUT/auth.lua")"
read -r same_rps same_p50 same_p99 same_bad <<<"$(run upload_same "$S/api/v1/files" "$OUT/upload_same.lua")"
read -r new_rps new_p50 new_p99 new_bad <<<"$(run upload_new "$S/api/v1/files" "$OUT/upload_new.lua")"

ratio() { python3 -c "print(f'{100*float(\"$1\")/float(\"$2\"):.0f} %')"; }
photo_kb=$(( $(stat -c %s "$OUT/photo.jpg") / 1024 ))
section=$(cat <<MD
## Foundation: HTTP, auth, files (bench/run.sh)

$(date -u +%Y-%m-%d), $(nproc) cores, wrk -t$THREADS -c$CONNS -d${DURATION}s over loopback (wrk shares the cores),
RelWithDebInfo build (build/, as \`make run\`), SQLite in a fresh demo data folder. Ceiling: bench/hello_server.cpp, a bare Beast server
with SafeLoop's threading model that answers every request with a fixed body.

| request | req/s | p50 | p99 | non-2xx | vs ceiling |
|---|---|---|---|---|---|
| ceiling: bare Beast GET | $hello_rps | $hello_p50 | $hello_p99 | 0 | 100 % |
| \`GET /healthz\` (DB ping) | $health_rps | $health_p50 | $health_p99 | $health_bad | $(ratio "$health_rps" "$hello_rps") |
| \`GET /api/v1/me\` (bearer token → principal, remembered up to 5 s, + profile lookup) | $me_rps | $me_p50 | $me_p99 | $me_bad | $(ratio "$me_rps" "$hello_rps") |
| ceiling: bare Beast POST of the ${photo_kb} KB JPEG | $hpost_rps | $hpost_p50 | $hpost_p99 | 0 | 100 % |
| \`POST /api/v1/files\` same ${photo_kb} KB JPEG again (hash, dedupe) | $same_rps | $same_p50 | $same_p99 | $same_bad | $(ratio "$same_rps" "$hpost_rps") |
| \`POST /api/v1/files\` a new ${photo_kb} KB JPEG each time (sniff, decode, thumbnail, store) | $new_rps | $new_p50 | $new_p99 | $new_bad | $(ratio "$new_rps" "$hpost_rps") |

Aim (issue 2): authenticated small requests at ≥ 50 % of the bare ceiling.
MD
)
# Replace this section in RESULTS.md, keep the others.
bench/results_section.py "## Foundation: HTTP, auth, files" "$section"
echo "$section"
