# SafeLoop — the two commands: `make run` and `make test` (both install what is missing first).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PORT ?= 8080
DATA ?= data

.PHONY: all deps build server web run test lint format clean bench

all: build

deps:
	@scripts/install-deps.sh server

# Release-ish build: the server binary lands at build/safeloop, the web app at web/dist.
build: deps server web

server:
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAFELOOP_TESTS=OFF >/dev/null
	@cmake --build build --target safeloop -j $(JOBS)

web:
	@if [ -f web/package.json ]; then npm --prefix web run --silent build; fi

# Serves http://127.0.0.1:$(PORT) with the demo tenant on an embedded SQLite in ./$(DATA).
run: build
	@if [ ! -d "$(DATA)" ] || [ -z "$$(ls -A "$(DATA)" 2>/dev/null)" ]; then build/safeloop demo --data "$(DATA)"; fi
	build/safeloop serve --data "$(DATA)" --port $(PORT)

# Every suite, on one ASan+UBSan build, against SQLite and a PostgreSQL that this starts and stops.
test:
	@scripts/test.sh

lint:
	@scripts/lint.sh

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

bench:
	@bench/run.sh

clean:
	rm -rf build web/dist
