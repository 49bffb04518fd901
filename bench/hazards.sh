#!/usr/bin/env bash
# Hazard benchmark (issue 4): hazard creation over HTTP next to the raw single-row insert rate of the
# same database, and the latency of the board and the overdue list at 10 k, 100 k and 1 M generated
# hazards, on SQLite and on PostgreSQL; writes its section of bench/RESULTS.md.
# Usage: bench/hazards.sh [seconds per run, default 8]   (SIZES="10000 100000 1000000" to change sizes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-8}
SIZES=${SIZES:-"10000 100000 1000000"}
CONNS=${CONNS:-16}
OUT=bench/out/hazards
mkdir -p "$OUT"
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
t0=$(date +%s)

# The build `make run` serves (build/, RelWithDebInfo): the figures are those of the binary users run.
B=build
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAFELOOP_TESTS=OFF -DSAFELOOP_BENCH=ON >/dev/null
cmake --build "$B" --target safeloop -j "$(nproc)" >/dev/null
c++ -O2 -std=c++20 bench/hazards_raw.cpp -o "$B"/hazards_raw $(pkg-config --cflags --libs sqlite3 libpq) -pthread

WORK=$(mktemp -d /tmp/safeloop-hzbench-XXXXXX)
# Not under $WORK: the cluster runs as the postgres user, who cannot enter a 0700 mktemp folder.
export PGROOT=/tmp/safeloop-hzbench-pg-$$ PGPORT=${PGPORT:-55470}
SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
cleanup() { stop_server; scripts/pg-test.sh stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 300); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }

start_server() {  # extra serve args...
  PORT=$(free_port)
  "$B"/safeloop serve --port "$PORT" --log-level warn "$@" >"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  wait_up "http://127.0.0.1:$PORT/healthz"
  TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d "{\"login\":\"$LOGIN\",\"password\":\"demo-2026\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
  export TOKEN
}

cat >"$OUT/create.lua" <<'LUA'
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
local n = 0
local tag = tostring({}):sub(8)
request = function()
  n = n + 1
  local body = '{"title":"焊机接地线破损 ' .. tag .. '-' .. n .. '","description":"基准测试","category":"电气",' ..
               '"grade":"blue","position":{"lat":30.03,"lng":120.58,"accuracy_m":5}}'
  return wrk.format("POST", "/api/v1/hazards", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), summary.errors.status))
end
LUA
cat >"$OUT/get.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), summary.errors.status))
end
LUA

# wrk_run NAME URL SCRIPT THREADS CONNS -> "rps p50_us p95_us non2xx"
wrk_run() {
  wrk -t"$4" -c"$5" -d"${DURATION}s" -s "$3" "$2" >"$OUT/$1.txt"
  awk '/^RESULT/ {print $2, $3, $4, $5}' "$OUT/$1.txt"
}
ms() { python3 -c "print(f'{int(\"$1\")/1000:.1f} ms')"; }
# CPU seconds (user + system) of a process, or of the whole PostgreSQL cluster when given "pg".
cpu_s() { if [ "$1" = pg ]; then bench/proc_cpu.py pg "$PGROOT"; else bench/proc_cpu.py "$1"; fi; }
# CPU seconds of this shell's reaped children (bash's `times`), into SELF_CPU. Not called in a pipe or $(…):
# a subshell's `times` would count its own children.
self_cpu() {
  times >"$OUT/times.txt"
  SELF_CPU=$(tail -1 "$OUT/times.txt" | python3 -c "import re,sys; print(sum(int(m)*60+float(s) for m, s in re.findall(r'(\d+)m([\d.]+)s', sys.stdin.read())))")
}
per() { python3 -c "print(f'{1000*(float(\"$2\")-float(\"$1\"))/float(\"$3\"):.2f}')"; }  # ms of CPU per op
pct() { python3 -c "print(f'{100*float(\"$1\")/float(\"$2\"):.0f} %')"; }
count_hazards() {  # total hazards of the tenant, from the stats endpoint
  curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/hazards/stats?group_by=grade" |
    python3 -c 'import sys,json; print(sum(r["count"] for r in json.load(sys.stdin)))'
}

LOGIN=admin
ROWS=""
CREATE_ROWS=""
for backend in sqlite postgresql; do
  if [ "$backend" = sqlite ]; then
    DATA="$WORK/sqlite"
    "$B"/safeloop demo --data "$DATA" >/dev/null
    DBFILE=$(ls "$DATA"/*.db | head -1)
    URL="sqlite:$DBFILE"
    SERVE=(--data "$DATA")
    GEN=(--sqlite "$DBFILE")
    Q() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$DBFILE" "$1"; }
  else
    PGURL=$(scripts/pg-test.sh start)
    URL="$PGURL"
    "$B"/safeloop demo --db "$URL" >/dev/null
    SERVE=(--data "$WORK/pgdata" --db "$URL")
    GEN=(--pg "$URL" --psql "$PGBIN/psql")
    Q() { "$PGBIN/psql" "$URL" -tAc "$1"; }
  fi
  TENANT=$(Q "SELECT id FROM tenants WHERE code = 'demo'")
  WELDER=$(Q "SELECT id FROM users WHERE login = 'welder1'")

  echo "hazards bench: $backend" >&2
  # 1. Creation over HTTP (as welder1: assigned to his team leader, escalation checks scheduled, audited)
  #    next to the raw insert rate, on the demo database.
  #    CPU is counted per operation: the server's (SQLite runs inside it), PostgreSQL's (postmaster and backends),
  #    and for the raw rate the client's plus the database's; "-" where a part does not exist.
  LOGIN=welder1 start_server "${SERVE[@]}"
  s0=$(cpu_s "$SERVER_PID"); d0=$(cpu_s pg)
  read -r c_rps c_p50 c_p95 c_bad <<<"$(wrk_run "create-$backend" "http://127.0.0.1:$PORT/api/v1/hazards" "$OUT/create.lua" 2 "$CONNS")"
  s1=$(cpu_s "$SERVER_PID"); d1=$(cpu_s pg)
  creates=$(python3 -c "print(float('$c_rps') * $DURATION)")
  stop_server
  raw1=$("$B"/hazards_raw "$URL" "$TENANT" "$WELDER" "$DURATION" 1 | awk '{print $2}')
  self_cpu; r0=$SELF_CPU; e0=$(cpu_s pg)
  rawn=$("$B"/hazards_raw "$URL" "$TENANT" "$WELDER" "$DURATION" 4 | awk '{print $2}')
  self_cpu; r1=$SELF_CPU; e1=$(cpu_s pg)
  raw=$(python3 -c "print(max(float('$raw1'), float('$rawn')))")
  raw_rows=$(python3 -c "print(float('$rawn') * $DURATION)")
  if [ "$backend" = postgresql ]; then
    db_cpu=$(per "$d0" "$d1" "$creates"); raw_cpu=$(python3 -c "print(f'{1000*(float(\"$r1\")-float(\"$r0\")+float(\"$e1\")-float(\"$e0\"))/float(\"$raw_rows\"):.3f}')")
    # Creates per second if the server, wrk and the kernel's round trips cost nothing: all cores for PostgreSQL.
    db_ceiling=$(python3 -c "print(f'{$(nproc)*1000/float(\"$db_cpu\"):.0f} ({100*$(nproc)*1000/float(\"$db_cpu\")/float(\"$raw\"):.0f} %)')")
  else
    db_cpu="-"; raw_cpu=$(python3 -c "print(f'{1000*(float(\"$r1\")-float(\"$r0\"))/float(\"$raw_rows\"):.3f}')"); db_ceiling="-"
  fi
  CREATE_ROWS+="| $backend | $c_rps | $(ms "$c_p50") | $(ms "$c_p95") | ${c_bad} | ${raw1} | ${rawn} | $(pct "$c_rps" "$raw") | $(per "$s0" "$s1" "$creates") | ${db_cpu} | ${raw_cpu} | ${db_ceiling} |"$'\n'

  # 2. Board and overdue list latency as the tenant administrator, at each size.
  for size in $SIZES; do
    echo "hazards bench: $backend, $size generated hazards" >&2
    python3 bench/hazards_gen.py "${GEN[@]}" --total "$size" 2>>"$OUT/gen.log"
    LOGIN=admin start_server "${SERVE[@]}"
    total=$(count_hazards)
    read -r b_rps b_p50 b_p95 b_bad <<<"$(wrk_run "board-$backend-$size" "http://127.0.0.1:$PORT/api/v1/hazards/board" "$OUT/get.lua" 1 2)"
    read -r o_rps o_p50 o_p95 o_bad <<<"$(wrk_run "overdue-$backend-$size" "http://127.0.0.1:$PORT/api/v1/hazards?overdue=true&sort=due_at&limit=50" "$OUT/get.lua" 1 2)"
    read -r l_rps l_p50 l_p95 l_bad <<<"$(wrk_run "list-$backend-$size" "http://127.0.0.1:$PORT/api/v1/hazards?limit=50" "$OUT/get.lua" 1 2)"
    stop_server
    ROWS+="| $backend | $size ($total in all) | $(ms "$b_p50") | $(ms "$b_p95") | $(ms "$o_p50") | $(ms "$o_p95") | $(ms "$l_p50") | $(ms "$l_p95") | $((b_bad + o_bad + l_bad)) |"$'\n'
  done
  [ "$backend" = postgresql ] && scripts/pg-test.sh stop >/dev/null 2>&1 || true
done

elapsed=$(( $(date +%s) - t0 ))
section=$(cat <<MD
## Hazards: creation, board and overdue list (bench/hazards.sh)

$(date -u +%Y-%m-%d), $(nproc) cores (wrk and the database share them), RelWithDebInfo build (build/, as \`make run\`), ${DURATION}s per run, total
${elapsed}s. SQLite in WAL mode with synchronous=NORMAL (the server's settings); PostgreSQL 15 from
scripts/pg-test.sh (fsync off: a throw-away cluster). Hazards are generated by bench/hazards_gen.py over
three years (≈2.8 % awaiting rectification, mostly overdue; ≈0.5 % awaiting verification; the rest closed or
archived) on top of the demo tenant's own history; on PostgreSQL the generator then runs VACUUM (ANALYZE), as
autovacuum would on a live database.

**Creation.** \`POST /api/v1/hazards\` as welder1 (wrk -t2 -c$CONNS): each request authenticates, finds the
reporter's team leader, takes the year's code number (on PostgreSQL in its own statement just before the
transaction), writes the hazard, its two events, its first escalation check (a job), an in-app message and an audit entry in one
transaction, and answers with the hazard's detail. Raw: bench/hazards_raw.cpp inserting hazard-width rows into
the same table (same indexes), one INSERT per transaction, prepared, with 1 and 4 client threads; the better of the
two is the baseline. CPU per operation (user + system, from /proc): the server's per create (SQLite runs inside
it), PostgreSQL's per create (postmaster and backends), and per raw row the client's plus PostgreSQL's (4 threads).
"PostgreSQL alone" is the creation rate if all $(nproc) cores went to PostgreSQL and the server, wrk and their round
trips cost nothing, next to the raw rate: the most any server could reach with these writes per create.

| database | creates/s | p50 | p95 | non-2xx | raw rows/s (1 thread) | raw rows/s (4 threads) | creates vs raw | server CPU / create (ms) | PostgreSQL CPU / create (ms) | CPU / raw row (ms) | PostgreSQL alone: creates/s (vs raw) |
|---|---|---|---|---|---|---|---|---|---|---|---|
${CREATE_ROWS}
Aim (issue 4): creates ≥ 30 % of the raw single-row insert rate.

**Reads** as the tenant administrator (tenant-wide scope), wrk -t1 -c2: \`GET /api/v1/hazards/board\` (active
hazards by status × grade, the overdue count and the 20 most overdue), the overdue list
\`GET /api/v1/hazards?overdue=true&sort=due_at&limit=50\`, and the newest-first list \`GET /api/v1/hazards?limit=50\`.

| database | generated hazards | board p50 | board p95 | overdue p50 | overdue p95 | list p50 | list p95 | non-2xx |
|---|---|---|---|---|---|---|---|---|
${ROWS}
Aim (issue 4): board and overdue list p95 ≤ 20 ms at 1 M hazards on SQLite.
MD
)
bench/results_section.py "## Hazards: creation, board and overdue list" "$section"
echo "$section"
