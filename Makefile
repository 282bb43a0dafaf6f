# The README's commands. `make run` and `make test` each work alone on a fresh clone.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
BIND    ?= 127.0.0.1:8000
# The browser tests drive Debian's chromium (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
# The exports are opened in LibreOffice Calc, headless, as a spreadsheet program reads them.
SOFFICE ?= soffice
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
# `make test` runs the suite on this many processes (pytest-xdist; 0 runs it in one).
TEST_WORKERS ?= 2

.PHONY: install chromium libreoffice run test lint bench typhoon soak fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## chromium: install Debian's chromium for the browser tests, only when it is missing
chromium:
	@test -x $(CHROMIUM) || $(SUDO) sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium'

## libreoffice: install LibreOffice Calc (headless) for the exports' test, only when missing
libreoffice:
	@command -v $(SOFFICE) >/dev/null || $(SUDO) sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-calc-nogui'

## run: migrate the embedded store, load the demo data once, and serve the API
run: install
	$(BIN)/sovang migrate
	$(BIN)/sovang audit keygen --keep
	$(BIN)/sovang keys init --keep
	$(BIN)/sovang demo
	@echo "Mã truy cập quản trị của kho dữ liệu này (hãy giữ lại để dùng API):"
	@$(BIN)/sovang token create --role admin --name "make run" | tail -n 1
	$(BIN)/sovang serve --bind $(BIND)

## test: the whole suite, on SQLite and on PostgreSQL, with lint and types; the tests run
## on TEST_WORKERS processes (a module's tests on one), then those marked alone (see
## tests/conftest.py) one at a time, the restart of PostgreSQL last
test: install chromium libreoffice
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder -m "not alone and not restarts_postgres"
	$(BIN)/pytest -m "alone or restarts_postgres"

lint: install
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## fuzz: every operation of /openapi.json with many generated requests, then chains of calls
## that follow the document's links (schemathesis's stateful phase); make test runs a few
fuzz: install
	SOVANG_FUZZ_EXAMPLES=$${SOVANG_FUZZ_EXAMPLES:-200} \
	SOVANG_FUZZ_CHAINS=$${SOVANG_FUZZ_CHAINS:-100} SOVANG_FUZZ_STEPS=$${SOVANG_FUZZ_STEPS:-20} \
	$(BIN)/pytest -q tests/api/test_fuzz.py

bench: install
	$(BIN)/python -m bench

## typhoon: a million gifts of a typhoon appeal over two weeks, imported, then the peak
## replayed over HTTP at 100, 200 and 400/s (docs/SCALING.md; tens of minutes at full scale,
## SOVANG_TYPHOON_RECEIPTS and SOVANG_TYPHOON_COMMUNES to make it smaller)
typhoon: install
	SOVANG_BENCH_ONLY=typhoon $(BIN)/python -m bench

## soak: 32 clients for 60 s over HTTP against a real `sovang serve` on PostgreSQL, then
## the invariants (SOVANG_SOAK_SECONDS, SOVANG_SOAK_CLIENTS to change; a 5 s run is in `make test`)
soak: install
	$(BIN)/python -m tests.soak

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
