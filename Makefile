# inspection-findings: `make run` for the sample, `make test` for the tests.
# The venv is created on first use and the project installed into it (editable, with dev tools).

VENV     ?= .venv
PY       := $(VENV)/bin/python
FINDINGS := $(VENV)/bin/findings
DB       ?= findings.duckdb
STAMP    := $(VENV)/.installed
EXAMPLE_QUERY := focus_by_framework

.PHONY: install run test test-all test-slow lint clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml extract/_pdfium_chars.c | $(PY)
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(FINDINGS) ingest examples/ --db $(DB)
	$(FINDINGS) status --db $(DB)
	@echo
	@echo "Example cross-area query (sql/queries/$(EXAMPLE_QUERY).sql):"
	$(FINDINGS) query $(EXAMPLE_QUERY) --db $(DB) --format markdown

test: install
	$(PY) -m pytest -q

test-slow: install
	$(PY) -m pytest -q -m slow

test-all: install
	$(PY) -m pytest -q -m 'slow or not slow'

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -f $(DB) $(DB).wal
