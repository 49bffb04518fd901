#!/usr/bin/env bash
# Throw-away PostgreSQL 15 cluster for tests and CI. Never touches /var/lib or the system cluster.
#
#   scripts/pg-test.sh start    # initialise (first time) and start; prints the URL on stdout
#   scripts/pg-test.sh url      # prints the URL
#   scripts/pg-test.sh status   # exit 0 when running
#   scripts/pg-test.sh stop     # fast shutdown, then removes $PGROOT
#
#   export SAFELOOP_TEST_PG_URL=$(scripts/pg-test.sh start)
#
# Environment: PGROOT (default /tmp/safeloop-pg), PGPORT (default 55432), PGBIN (default
# /usr/lib/postgresql/15/bin), PG_DURABLE=1 (keep PostgreSQL's default fsync and full-page writes, as a production
# server has them: benchmarks), PG_OPTS (more server options, e.g. "-c max_wal_size=4GB"). Run as root, the server runs as the `postgres` user (runuser); run as any
# other user, it runs as that user. Progress goes to stderr so stdout carries only the URL.
set -euo pipefail

PGROOT=${PGROOT:-/tmp/safeloop-pg}
PGPORT=${PGPORT:-55432}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DBNAME=safeloop
MARKER="$PGROOT/.safeloop-pg-test"  # proves the directory is ours before `stop` deletes it

log() { echo "pg-test: $*" >&2; }
die() { log "error: $*"; exit 1; }

url() { echo "postgresql://postgres@127.0.0.1:$PGPORT/$DBNAME"; }

# Runs a PostgreSQL tool as the cluster owner, from a directory that owner can read.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

is_running() {
    [[ -f "$PGROOT/data/PG_VERSION" ]] && as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1
}

check_tools() {
    [[ -x "$PGBIN/initdb" && -x "$PGBIN/pg_ctl" ]] ||
        die "PostgreSQL 15 server binaries not found in $PGBIN (apt-get install postgresql, or set PGBIN)"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "user 'postgres' does not exist (install the postgresql package)"
        command -v runuser >/dev/null || die "runuser not found (util-linux)"
    fi
    [[ "$PGPORT" =~ ^[0-9]+$ ]] || die "PGPORT must be a number, got '$PGPORT'"
    # Unix socket paths are limited to 107 bytes.
    (( ${#PGROOT} + 24 < 107 )) || die "PGROOT path too long for a Unix socket: $PGROOT"
}

init_cluster() {
    if [[ -e "$PGROOT" && ! -f "$MARKER" ]]; then
        die "$PGROOT exists but was not created by this script; remove it or choose another PGROOT"
    fi
    rm -rf "$PGROOT"  # a partial earlier attempt (marker present, no PG_VERSION)
    local owner_opts=()
    if [[ $(id -u) -eq 0 ]]; then owner_opts=(-o postgres -g postgres); fi
    install -d "${owner_opts[@]}" -m 0700 "$PGROOT"
    install -d "${owner_opts[@]}" -m 0700 "$PGROOT/sock"
    touch "$MARKER"
    log "initdb in $PGROOT/data"
    if ! as_owner "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            >"$PGROOT/initdb.log" 2>&1; then
        cat "$PGROOT/initdb.log" >&2
        die "initdb failed (log above)"
    fi
}

start() {
    check_tools
    if is_running; then
        log "already running on port $PGPORT"
        url
        return 0
    fi
    [[ -f "$PGROOT/data/PG_VERSION" ]] || init_cluster
    log "starting on 127.0.0.1:$PGPORT (socket dir $PGROOT/sock)"
    # fsync=off: a test cluster is thrown away, durability only costs time here (not so in a benchmark).
    local durability="-c fsync=off -c full_page_writes=off"
    [[ "${PG_DURABLE:-}" == 1 ]] && durability=""
    if ! as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
            -o "-p $PGPORT -k $PGROOT/sock -c listen_addresses=127.0.0.1 $durability ${PG_OPTS:-}" \
            start >/dev/null; then
        tail -n 20 "$PGROOT/server.log" >&2 || true
        die "pg_ctl start failed (is port $PGPORT already in use? set PGPORT)"
    fi
    local exists
    exists=$(as_owner "$PGBIN/psql" -h "$PGROOT/sock" -p "$PGPORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")
    if [[ "$exists" != 1 ]]; then
        as_owner "$PGBIN/createdb" -h "$PGROOT/sock" -p "$PGPORT" -U postgres "$DBNAME" ||
            die "createdb $DBNAME failed"
    fi
    url
}

stop() {
    if [[ ! -e "$PGROOT" ]]; then
        log "nothing to stop ($PGROOT does not exist)"
        return 0
    fi
    [[ -f "$MARKER" ]] || die "$PGROOT was not created by this script; refusing to delete it"
    if is_running; then
        log "stopping"
        # Wait on pg_ctl -w, not on a PID: stopped postmasters can linger as zombies on this machine.
        as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w -t 60 stop >/dev/null ||
            die "pg_ctl stop failed; see $PGROOT/server.log"
    fi
    rm -rf "$PGROOT"
    log "removed $PGROOT"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    status)
        if is_running; then log "running on port $PGPORT"; else log "not running"; exit 3; fi
        ;;
    *)
        echo "usage: $0 start|stop|url|status" >&2
        exit 2
        ;;
esac
