#!/usr/bin/env bash
# Offline sync benchmark (issue 5): one phone's 8-hour shift synced over loopback, then 50 phones syncing
# at once, on SQLite and PostgreSQL; wall time and the server's CPU time (from /proc); writes its section of
# bench/RESULTS.md.
# A shift: 15 hazard reports with 10 photos of ~300 KB each (150 photos), 3 videos (VIDEO_MB each, resumable
# chunked upload) used as rectification evidence (accept + rectify of three hazards), 21 mutations in all,
# then the change feed. Inspection records do not exist yet (no inspections feature), so the shift has none.
# Backends: sqlite; postgresql (file bytes in the database, the default there); postgresql-folder (PostgreSQL with
# `--files DIR`: file bytes in a folder, as with SQLite).
# PostgreSQL runs with its production durability (fsync and full-page writes on), as a plant's server would;
# PG_DURABLE=0 measures the test cluster's fsync=off instead.
# Usage: bench/sync.sh   (PHONES=50 VIDEO_MB=8 BACKENDS="sqlite postgresql postgresql-folder" B=build NO_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."
PHONES=${PHONES:-50}
VIDEO_MB=${VIDEO_MB:-8}
VIDEO_S=${VIDEO_S:-30}
BACKENDS=${BACKENDS:-"sqlite postgresql postgresql-folder"}
export PG_DURABLE=${PG_DURABLE:-1}
if [ "$PG_DURABLE" = 1 ]; then PG_DURABILITY="fsync and full-page writes on, as in production"; else PG_DURABILITY="fsync off (a throw-away cluster; not what a plant runs)"; fi
OUT=bench/out/sync
MEDIA="$OUT/media"
mkdir -p "$OUT" "$MEDIA"
t0=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# The build `make run` serves (build/, RelWithDebInfo), as bench/hazards.sh measures; B=<dir> NO_BUILD=1 measures
# another existing build instead (its build type is written into the results).
B=${B:-build}
if [ -z "${NO_BUILD:-}" ]; then
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAFELOOP_TESTS=OFF -DSAFELOOP_BENCH=ON >/dev/null
  cmake --build "$B" --target safeloop -j "$(nproc)" >/dev/null
fi
BIN="$B"/safeloop
BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$B"/CMakeCache.txt)
VIPS=$(pkg-config --cflags --libs vips-cpp)
[ -x "$OUT"/make_video ] || c++ -O2 -std=c++20 bench/make_video.cpp -o "$OUT"/make_video $VIPS
[ -x "$OUT"/make_jpeg ] || c++ -O2 -std=c++20 bench/make_jpeg.cpp -o "$OUT"/make_jpeg $VIPS

# Ten distinct ~300 KB photos (each phone's 150 are variants of these with their own bytes) and a video.
for i in $(seq 1 10); do
  [ -s "$MEDIA/photo$i.jpg" ] || "$OUT"/make_jpeg "$MEDIA/photo$i.jpg" 300 "$i" >/dev/null
done
[ -s "$MEDIA/video.mkv" ] || "$OUT"/make_video "$MEDIA/video.mkv" "$VIDEO_S" "$VIDEO_MB"
PHOTO_KB=$(( $(stat -c %s "$MEDIA/photo1.jpg") / 1024 ))
VIDEO_BYTES=$(stat -c %s "$MEDIA/video.mkv")

WORK=$(mktemp -d /tmp/safeloop-syncbench-XXXXXX)
export PGROOT=/tmp/safeloop-syncbench-pg-$$ PGPORT=${PGPORT:-55472}
SERVER_PID=""
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi; }
cleanup() { stop_server; scripts/pg-test.sh stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 300); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }
cpu_s() { bench/proc_cpu.py "$1"; }  # user + system CPU seconds of a process

# PostgreSQL's CPU seconds (user + system), the whole cluster; "-" for SQLite, which runs inside the server.
db_cpu_s() {
  if [ "$backend" = sqlite ]; then echo -; return; fi
  bench/proc_cpu.py pg "$PGROOT"
}

# run NAME PHONES FIRST -> prints "wall_s cpu_s json"
run() {
  rm -f "$WORK/ready" "$WORK/go"
  python3 bench/sync_phone.py --port "$PORT" --phones "$2" --first "$3" --videos 3 \
    --photos "$MEDIA"/photo*.jpg --video "$MEDIA/video.mkv" --ready "$WORK/ready" --go "$WORK/go" >"$OUT/$1.json" &
  local client=$!
  while [ ! -f "$WORK/ready" ]; do sleep 0.05; if ! kill -0 "$client" 2>/dev/null; then break; fi; done
  local before; before=$(cpu_s "$SERVER_PID")
  local db_before; db_before=$(db_cpu_s)
  touch "$WORK/go"
  wait "$client" || { echo "phones failed: $(cat "$OUT/$1.json")" >&2; exit 1; }
  local after; after=$(cpu_s "$SERVER_PID")
  local db_after; db_after=$(db_cpu_s)
  python3 - "$OUT/$1.json" "$before" "$after" "$db_before" "$db_after" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert not r["errors"] and r["rejected"] == 0, r
db = "-" if sys.argv[4] == "-" else f'{float(sys.argv[5]) - float(sys.argv[4]):.2f}'
print(f'{r["wall_s"]:.2f} {float(sys.argv[3]) - float(sys.argv[2]):.2f} {r["mutations"]} {r["bytes"] / 1048576:.0f} {r["sync_s_max"]:.2f} {r["upload_s_max"]:.2f} {r["cpu_s"]:.2f} {db} {r["prepare_cpu_s"]:.1f}')
PY
}

seconds() { if [ "$1" = - ]; then echo "—"; else echo "$1 s"; fi; }  # "-" (no such figure) -> "—"

ROWS=""
for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    DATA="$WORK/sqlite"
    $BIN demo --data "$DATA" >/dev/null
    SERVE=(--data "$DATA")
  else
    URL=$(scripts/pg-test.sh start)
    FILES=()
    [ "$backend" = postgresql-folder ] && FILES=(--files "$WORK/pgfiles")
    $BIN demo --db "$URL" >/dev/null
    SERVE=(--data "$WORK/pgdata" --db "$URL" "${FILES[@]}")
  fi
  sync  # the previous run's files written back to disk now, not during this one
  PORT=$(free_port)
  $BIN serve --port "$PORT" --log-level warn "${SERVE[@]}" ${SERVE_ARGS:-} >"$OUT/server-$backend.log" 2>&1 &
  SERVER_PID=$!
  wait_up "http://127.0.0.1:$PORT/healthz"
  echo "sync bench: $backend, one phone" >&2
  read -r w1 c1 m1 b1 s1 u1 p1 d1 _ <<<"$(run "one-$backend" 1 0)"
  echo "sync bench: $backend, $PHONES phones" >&2
  read -r wn cn mn bn sn un pn dn prep <<<"$(run "many-$backend" "$PHONES" 1000)"
  stop_server
  ROWS+="| $backend | 1 | $m1 | $b1 MB | ${w1} s | ${u1} s | ${s1} s | ${c1} s | $(seconds "$d1") | ${p1} s |"$'\n'
  ROWS+="| $backend | $PHONES | $mn | $bn MB | ${wn} s | ${un} s | ${sn} s | ${cn} s | $(seconds "$dn") | ${pn} s (+ ${prep} s before) |"$'\n'
  [ "$backend" != sqlite ] && scripts/pg-test.sh stop >/dev/null 2>&1 || true
done

elapsed=$(( $(date +%s) - t0 ))
section=$(cat <<MD
## Offline sync: one phone's shift, and $PHONES phones at once (bench/sync.sh)

$(date -u +%Y-%m-%d), $(nproc) cores shared by the server, the phones (Python, bench/sync_phone.py) and the
database; ${BUILD_TYPE} build ($B); total ${elapsed}s; load average at the start: ${LOAD0}. A phone's 8-hour shift: 150 photos of ~${PHOTO_KB} KB (HEAD by hash,
then \`POST /files\`: each is sniffed, decoded and thumbnailed), 3 videos of $((VIDEO_BYTES / 1048576)) MB (resumable
upload in 4 MB chunks, each hashed on arrival; completion probes and stores them), then \`POST /sync\` with 15 \`hazard.create\`
(10 photos each) and \`hazard.accept\` + \`hazard.rectify\` (after photo + the video as evidence) for three of
them, then the full \`GET /sync/changes\`. No inspection records: the inspections feature does not exist yet.
Every phone's files are distinct bytes, made and hashed before the start (on a real phone its own CPU's work,
hours before the network returns; that CPU is shown as "before"). \`postgresql\` keeps file bytes in the database
(the default there), \`postgresql-folder\` in a folder (\`serve --files DIR\`, as SQLite does). SQLite with the
server's settings (WAL, synchronous=NORMAL; every file and its folder \`fsync\`ed); PostgreSQL 15 from
scripts/pg-test.sh with ${PG_DURABILITY}. Each database starts after a \`sync\`. Wall time from the first upload to the last change received;
server CPU = user + system time of the \`safeloop serve\` process over that interval (/proc/PID/stat);
PostgreSQL CPU likewise for the postmaster and its processes (SQLite runs inside the server).
Slowest phone's upload and sync phases shown separately. Applying the mutations is the \`POST /sync\` column; the
server's CPU goes almost entirely to the files module (sniffing, decoding and thumbnailing every photo, hashing
every photo and video), and the phones' Python shares the same two cores.

| database | phones | mutations | uploaded | wall time | uploads (slowest phone) | POST /sync (slowest phone) | server CPU | PostgreSQL CPU | phones' CPU |
|---|---|---|---|---|---|---|---|---|---|
${ROWS}
Aim (issue 5): one phone's shift applied in ≤ 5 s; 50 phones in ≤ 60 s, on this 2-core machine.
MD
)
bench/results_section.py "## Offline sync: one phone's shift" "$section"
echo "$section"
