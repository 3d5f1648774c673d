.PHONY: demo test lint

# The repository's folder, so that 'make -f path/to/Makefile' works from anywhere.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
# The demo's port on 127.0.0.1 ('make demo PORT=8080' when 8000 is taken).
PORT ?= 8000

# Runs Amanah with demo data on the embedded SQLite database at http://127.0.0.1:$(PORT)
demo:
	@cd "$(ROOT)" && bash scripts/bootstrap.sh
	@cd "$(ROOT)" && .venv/bin/amanah demo --port $(PORT)

# Runs the whole test suite (SQLite and PostgreSQL), installing what it needs first
test:
	@cd "$(ROOT)" && bash scripts/bootstrap.sh
	@cd "$(ROOT)" && bash scripts/test.sh

lint:
	@cd "$(ROOT)" && .venv/bin/ruff check . && .venv/bin/ruff format --check .
