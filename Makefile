.PHONY: demo test lint

# Runs Amanah with demo data on the embedded SQLite database at http://127.0.0.1:8000
demo:
	@bash scripts/bootstrap.sh
	@.venv/bin/amanah demo

# Runs the whole test suite (SQLite and PostgreSQL), installing what it needs first
test:
	@bash scripts/bootstrap.sh
	@bash scripts/test.sh

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .
