# make serve | make site | make test | make validate  (see README.md)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

export NO_MKDOCS_2_WARNING := 1
export PYTHONPATH := $(CURDIR)/hooks
export PYTHONDONTWRITEBYTECODE := 1
# Builds are reproducible: the date of the last commit stands for "now".
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve site test validate lint clean

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --strict

# Build into a temporary folder and swap it in: a failed build never leaves half a site.
site: $(STAMP)
	rm -rf site.tmp
	$(VENV)/bin/mkdocs build --strict --site-dir site.tmp
	rm -rf site.old && { [ ! -d site ] || mv site site.old; } && mv site.tmp site && rm -rf site.old

validate: $(STAMP)
	$(PY) -m briefing validate --strict .

lint: $(STAMP)
	$(VENV)/bin/ruff check hooks tests
	$(VENV)/bin/ruff format --check hooks tests
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest

clean:
	rm -rf site site.tmp site.old .pytest_cache .mypy_cache .ruff_cache
