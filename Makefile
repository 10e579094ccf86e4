# Two commands: `make run` and `make test`. Everything else here is what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core from npm for the accessibility tests, at the version package-lock.json pins.
NODE_STAMP := node_modules/.package-lock.json
# Debian packages the test suite drives for real (browser, fonts for Japanese screenshots,
# the mail and Redis servers started on loopback by the tests).
TEST_DEBS := chromium fonts-noto-cjk dovecot-core dovecot-pop3d dovecot-imapd postfix redis-server

.PHONY: run test lint typecheck layers unit unit-ready bench bench-understanding bench-first-message setup system-deps constraints diagram clean

run: $(STAMP)
	$(BIN)/mailmove serve

# The static checks run beside the test suite, not before it: mypy alone took 30 s of a fresh
# clone's ten minutes, and the suite's two workers often wait (browsers' timers, a server's
# Retry-After), so its time hides theirs. Any of them failing fails `make test`. They run
# niced (CHECKS_NICE): at the same priority they took the cores from the suite's two workers
# while both were busy, and a fresh clone's pytest took 513 s beside them against 486 s alone;
# niced, they use the moments the workers wait.
# The checks need only the Python packages, so on a fresh machine they run while apt is still
# installing the Debian packages (some 30 s there, mostly download and unpacking) and npm
# its own: before, they waited for both and then took CPU from the suite's first minute.
CHECKS_NICE ?=
test:
	$(MAKE) --no-print-directory -j 4 lint typecheck layers unit-ready CHECKS_NICE="nice -n 19"

# The suite, once everything it drives is installed.
unit-ready: system-deps $(STAMP) $(NODE_STAMP)
	$(MAKE) --no-print-directory unit

setup: $(STAMP) $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Hashed installs: every package (pip and setuptools too) exactly as constraints.txt pins it,
# checked against the SHA-256 of its file on PyPI, wheels only (an sdist's build would fetch
# unhashed build tools); then mailmove itself, editable, with nothing more to fetch. A
# dependency of pyproject.toml that constraints.txt lacks stops here: run `make constraints`.
# pip installs uv alone (its pin and hashes cut out of constraints.txt), and uv the rest: pip
# fetches one file after another and this network's index lets it cache none of them (minutes
# on every fresh clone); uv fetches in parallel and keeps its own cache (seconds).
# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (this machine sets it), nothing
# ever wrote the libraries' bytecode, so every `make run` compiled them again: 11-16 s to
# the first answer instead of 5-7 s (measured on the shared 2-core machine).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	awk '/^uv==/ {pin = 1} pin {print} pin && !/\\$$/ {exit}' constraints.txt > $(VENV)/uv-pin.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps --only-binary :all: \
	    -r $(VENV)/uv-pin.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --no-deps \
	    --compile-bytecode --only-binary :all: -r constraints.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check || { echo "constraints.txt lacks a dependency: make constraints" >&2; exit 1; }
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh $(TEST_DEBS)

lint: $(STAMP)
	$(CHECKS_NICE) $(BIN)/ruff check .
	$(CHECKS_NICE) $(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(CHECKS_NICE) $(BIN)/mypy

layers: $(STAMP)
	$(CHECKS_NICE) $(BIN)/lint-imports

# Both cores: two pytest-xdist workers, each test file whole on one of them (a module's servers
# and browser start once, as without xdist). `make unit PYTEST_WORKERS=0` runs in one process.
# The files go out longest first (tests/scheduling.py; `--no-loadscope-reorder` keeps that
# order), so both workers end together instead of one running the drills alone at the end.
# Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set: without it both workers and
# every replica and CLI process the tests start compiled (and rewrote the asserts of) every
# module they imported again, seconds per process.
# The tests' own temporary files (pytest's tmp_path: SQLite stores above all, 565 opened in
# tests/bot alone, and replicas' logs) go to tmpfs when /dev/shm has a gigabyte free: on
# disk, opening and closing a store waited for its fsyncs (WAL set-up, the closing
# checkpoint), 70-180 ms here against 4-12 ms on tmpfs, with the CPU idle. The mail and
# Redis servers and Chromium keep TMPDIR. A failed run's files are kept, and named.
PYTEST_WORKERS ?= 2
TEST_TMP := $(shell test "$$(df --output=avail -k /dev/shm 2>/dev/null | tail -n 1)" -gt 1048576 \
    2>/dev/null && echo /dev/shm)
unit: $(STAMP)
	basetemp=$$(mktemp -d $(if $(TEST_TMP),-p $(TEST_TMP)) mailmove-tests.XXXXXX) && \
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile \
	    --no-loadscope-reorder --basetemp=$$basetemp; \
	status=$$?; \
	if [ $$status -eq 0 ]; then rm -rf $$basetemp; else echo "the tests' files: $$basetemp" >&2; fi; \
	exit $$status

bench: $(STAMP)
	$(BIN)/python -m bench.webchat_throughput

# The labelled corpus read per class and per stage, and the time one message takes to read.
bench-understanding: $(STAMP)
	$(BIN)/python -m bench.understanding

# Navigation to the first bot message on loopback in headless Chromium: p50/p95 (target < 1 s).
bench-first-message: $(STAMP)
	$(BIN)/python -m bench.first_message

diagram: $(STAMP)
	$(BIN)/mailmove profile diagram bot/ops/default_profile.toml > docs/questionnaire.md

# After changing pyproject.toml's dependencies: pin them all again, with hashes, for every
# platform and Python 3.11+ (uv comes with the dev extras, so it is there even when setup
# stopped at a missing dependency). Versions already pinned stay; `make constraints
# UPGRADE=1` moves every package to its newest release. Then `make setup`.
constraints:
	test -x $(BIN)/uv || $(MAKE) $(STAMP) || test -x $(BIN)/uv
	printf 'pip>=24\nsetuptools>=69\n' | $(BIN)/uv pip compile --quiet pyproject.toml - \
	    --extra dev --universal --python-version 3.11 --generate-hashes \
	    $(if $(UPGRADE),--upgrade) --output-file constraints.txt
	# The image's lock: the runtime dependencies only, at exactly constraints.txt's pins.
	printf 'pip>=24\nsetuptools>=69\n' | $(BIN)/uv pip compile --quiet pyproject.toml - \
	    --universal --python-version 3.11 --generate-hashes --constraint constraints.txt \
	    --output-file deploy/requirements.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
