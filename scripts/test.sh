#!/usr/bin/env bash
# `make test`: installs what is missing, builds once with ASan+UBSan, starts a throw-away PostgreSQL,
# runs every suite (server units, API on SQLite and PostgreSQL, web units, browser e2e, lint), stops
# what it started, and ends with one line "suites: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=build/asan
JOBS=${JOBS:-$(nproc)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/server/tests/lsan.supp:print_suppressions=0}

passed=0
failed=0
failed_names=()
timings=()
t0=$(date +%s)

run_suite() {  # name, command...
  local name=$1; shift
  local s; s=$(date +%s)
  echo "==> $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failed_names+=("$name")
    echo "!!! $name FAILED"
  fi
  timings+=("$name $(( $(date +%s) - s ))s")
}

die() { echo "make test: $*" >&2; echo "suites: $passed passed, $((failed + 1)) failed"; exit 1; }

scripts/install-deps.sh test || die "installing dependencies failed"
s=$(date +%s)
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-O1" -DSAFELOOP_SANITIZE=ON -DSAFELOOP_BENCH=OFF \
  >/dev/null || die "cmake configure failed"
cmake --build "$BUILD" -j "$JOBS" || die "build failed"
timings+=("build(asan) $(( $(date +%s) - s ))s")
if [ -f web/package.json ]; then
  s=$(date +%s)
  npm --prefix web run --silent build || die "web build failed"
  timings+=("build(web) $(( $(date +%s) - s ))s")
fi

# PostgreSQL for the API suites: started here, stopped on exit whatever happens.
export PGROOT=${PGROOT:-/tmp/safeloop-pg-test-$$}
export PGPORT=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
trap 'scripts/pg-test.sh stop >/dev/null 2>&1 || true' EXIT
scripts/pg-test.sh start >/dev/null || die "could not start PostgreSQL"
SAFELOOP_TEST_PG_URL=$(scripts/pg-test.sh url)
export SAFELOOP_TEST_PG_URL

run_suite "server unit tests" "$BUILD/unit_tests" --gtest_brief=1
if [ -x "$BUILD/api_tests" ]; then
  run_suite "API tests (SQLite + PostgreSQL)" "$BUILD/api_tests" --gtest_brief=1
fi
if [ -f web/package.json ]; then
  run_suite "web typecheck" npm --prefix web run --silent typecheck
  run_suite "web unit tests" npm --prefix web run --silent test:unit
  run_suite "browser e2e tests" env SAFELOOP_BIN="$ROOT/$BUILD/safeloop" npm --prefix web run --silent test:e2e
fi
run_suite "lint (clang-format, clang-tidy)" scripts/lint.sh

echo
echo "timings: ${timings[*]}; total $(( $(date +%s) - t0 ))s"
((failed)) && echo "failed: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
((failed == 0))
