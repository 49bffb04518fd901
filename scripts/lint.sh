#!/usr/bin/env bash
# clang-format (every C++ file) and clang-tidy (bugprone/performance/modernize/readability, .clang-tidy)
# on the server sources, using the compile database of the test build.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files 'server/*.cpp' 'server/*.hpp' 'bench/*.cpp'; git ls-files --others --exclude-standard 'server/*.cpp' 'server/*.hpp' 'bench/*.cpp')
if ! clang-format --dry-run --Werror $files; then
  echo "lint: clang-format would change the files above (run: make format)"
  status=1
fi
db=${COMPILE_DB:-build/asan}
if [ -f "$db/compile_commands.json" ]; then
  srcs=$(echo "$files" | grep '^server/src/.*\.cpp$')
  if ! echo "$srcs" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$db" --quiet --warnings-as-errors='*' >/tmp/safeloop-tidy.log 2>&1; then
    grep -E "warning|error" /tmp/safeloop-tidy.log | grep -v "warnings generated" | head -50
    echo "lint: clang-tidy found problems (full log: /tmp/safeloop-tidy.log)"
    status=1
  fi
else
  echo "lint: no compile database in $db; clang-tidy skipped" && status=1
fi
exit $status
