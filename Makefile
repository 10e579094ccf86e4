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

.PHONY: run test lint typecheck layers unit bench bench-understanding bench-first-message setup system-deps constraints diagram clean

run: $(STAMP)
	$(BIN)/mailmove serve

test: system-deps $(STAMP) $(NODE_STAMP) lint typecheck layers unit

setup: $(STAMP) $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh $(TEST_DEBS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench.webchat_throughput

# The labelled corpus read per class and per stage, and the time one message takes to read.
bench-understanding: $(STAMP)
	$(BIN)/python -m bench.understanding

# Navigation to the first bot message on loopback in headless Chromium: p50/p95 (target < 1 s).
bench-first-message: $(STAMP)
	$(BIN)/python -m bench.first_message

diagram: $(STAMP)
	$(BIN)/python -m dialogs.diagram < bot/ops/default_profile.toml > docs/questionnaire.md

# Refresh the pinned versions after changing pyproject.toml's dependencies.
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^mailmove' > constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
