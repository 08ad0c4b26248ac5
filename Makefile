# make serve | make site (BUILDER=mkdocs|zensical|properdocs) | make linkcheck | make test | make validate | make export | make bench | make audit
# make mutate
# (see README.md)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
# What is installed: building needs requirements.txt (serve, site, validate, export, bench); the
# tests and checks add requirements-test.txt (test, lint, mutate, bench-hostile). Each stamp is
# named by the checksum of its files, so an edited pin installs again.
STAMP := $(VENV)/.installed-build-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.installed-test-$(shell cat requirements*.txt | cksum | cut -d' ' -f1)
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

export NO_MKDOCS_2_WARNING := 1
export PYTHONPATH := $(CURDIR)/hooks
# Builds are reproducible: the date of the last commit stands for "now".
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve site linkcheck test validate lint clean export bench bench-hostile audit mutate print-deps bib-corpus

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	@rm -f $(VENV)/.installed-build-* && touch $@

# BUILDER: what builds the site (make site, make serve): mkdocs (the default), zensical or
# properdocs (README, "Choosing a builder"). MkDocs and ProperDocs run the hooks; for Zensical,
# which ignores hooks, the engine runs before it (the export) and after it (`briefing finish`).
# Each builder other than MkDocs has its pins in requirements-BUILDER.txt (with the build's),
# installed only when it is chosen, under a stamp of its own.
BUILDERS := mkdocs zensical properdocs
BUILDER ?= mkdocs
ifeq ($(filter $(BUILDER),$(BUILDERS)),)
$(error BUILDER=$(BUILDER) is not a builder this project knows; choose one of: $(BUILDERS))
endif
ifneq ($(words $(BUILDER)),1)
$(error BUILDER=$(BUILDER): choose one of: $(BUILDERS))
endif
builder_stamp = $(VENV)/.installed-$(1)-$(shell cat requirements.txt requirements-$(1).txt 2>/dev/null | cksum | cut -d' ' -f1)
ZENSICAL_STAMP := $(call builder_stamp,zensical)
PROPERDOCS_STAMP := $(call builder_stamp,properdocs)
BUILDER_STAMP := $(if $(filter mkdocs,$(BUILDER)),$(STAMP),$(call builder_stamp,$(BUILDER)))

$(VENV)/.installed-zensical-%: requirements.txt requirements-zensical.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-zensical.txt
	@rm -f $(VENV)/.installed-zensical-* && touch $@

$(VENV)/.installed-properdocs-%: requirements.txt requirements-properdocs.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-properdocs.txt
	@rm -f $(VENV)/.installed-properdocs-* && touch $@

# The test set includes the build's and every builder's (`-r requirements*.txt`), so it stands
# for all their stamps: the tests build with each builder.
$(TEST_STAMP): requirements.txt requirements-test.txt requirements-zensical.txt requirements-properdocs.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-test.txt
	@rm -f $(VENV)/.installed-* && touch $@ $(STAMP) $(ZENSICAL_STAMP) $(PROPERDOCS_STAMP)

# The browser tests and the audit drive Debian's Chromium (nothing downloads a browser of its
# own) with axe-core and Lighthouse from npm (package.json); each is installed when missing.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
AS_ROOT := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NPM_STAMP := node_modules/.package-lock.json

$(CHROMIUM):
	$(AS_ROOT) apt-get update
	$(AS_ROOT) apt-get install -y --no-install-recommends chromium

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { $(AS_ROOT) apt-get update && $(AS_ROOT) apt-get install -y nodejs npm; }
	npm ci --no-audit --no-fund

# The W3C HTML checker (vnu.jar, pinned in tests/vnu/package-lock.json), run on the machine's
# Java by tests/test_integrity.py. --ignore-scripts: its postinstall would fetch a Java runtime.
VNU_STAMP := tests/vnu/node_modules/.package-lock.json

$(VNU_STAMP): tests/vnu/package.json tests/vnu/package-lock.json
	@command -v npm >/dev/null || { $(AS_ROOT) apt-get update && $(AS_ROOT) apt-get install -y nodejs npm; }
	@command -v java >/dev/null || { $(AS_ROOT) apt-get update && $(AS_ROOT) apt-get install -y --no-install-recommends default-jre-headless; }
	npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund

# The PDF is printed by Debian's Chromium (above) in the print style's font (DejaVu Sans); the
# PDF tests render its pages with poppler's pdftoppm. Each is installed when missing.
PDFTOPPM := /usr/bin/pdftoppm

print-deps: $(CHROMIUM)
	@fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || { $(AS_ROOT) apt-get update && $(AS_ROOT) apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core; }

$(PDFTOPPM):
	$(AS_ROOT) apt-get update
	$(AS_ROOT) apt-get install -y --no-install-recommends poppler-utils

# The real-.bib corpus of tests/test_bib.py (tests/corpus/bib/SOURCES.md): the .bib files of
# Debian's texlive-bibtex-extra, pinned by version and checksum, unpacked (not installed: no
# TeX comes with it) into .corpus/bib/. Every file under 100 KB but bib2gls's glossaries.
# Where apt knows no such version (another distribution, e.g. Ubuntu), it says so and the
# corpus tests skip; where it does, a failed download stops `make test`.
BIB_DEB := texlive-bibtex-extra
BIB_DEB_VERSION := 2022.20230122-4
BIB_DEB_SHA256 := 66eee0362a9db0408d5fb436ba7e8bd57e0e87441eeb9f8ec0166fbb4aa5be6d
BIB_CORPUS := $(CURDIR)/.corpus/bib
BIB_STAMP := $(BIB_CORPUS)/.installed-$(BIB_DEB)-$(BIB_DEB_VERSION)

bib-corpus:
	@[ -f "$(BIB_STAMP)" ] || { apt-cache show $(BIB_DEB)=$(BIB_DEB_VERSION) >/dev/null 2>&1 || \
	  $(AS_ROOT) apt-get update -q >/dev/null || true; }
	@if [ -f "$(BIB_STAMP)" ]; then :; \
	elif ! apt-cache show $(BIB_DEB)=$(BIB_DEB_VERSION) >/dev/null 2>&1; then \
	  echo "no $(BIB_DEB) $(BIB_DEB_VERSION) in apt here: the .bib corpus tests will skip"; \
	else \
	  tmp=$$(mktemp -d) && chmod 755 "$$tmp" && trap 'rm -rf "$$tmp"' EXIT && cd "$$tmp" && \
	  apt-get download -q $(BIB_DEB)=$(BIB_DEB_VERSION) && \
	  echo "$(BIB_DEB_SHA256)  $$(ls *.deb)" | sha256sum -c --quiet && \
	  dpkg-deb -x *.deb unpacked && \
	  rm -rf "$(BIB_CORPUS)" && mkdir -p "$(BIB_CORPUS)/$(BIB_DEB)" && cd unpacked/usr/share && \
	  find . -name '*.bib' -size -102400c -not -path '*/bib2gls/*' \
	    -exec cp --parents {} "$(BIB_CORPUS)/$(BIB_DEB)/" \; && \
	  cp doc/$(BIB_DEB)/copyright doc/$(BIB_DEB)/Licenses.gz "$(BIB_CORPUS)/$(BIB_DEB)/" && \
	  touch "$(BIB_STAMP)"; \
	fi

# PORT: where `make serve` listens (8000 unless given). A port another program holds is named
# before anything is built, instead of MkDocs' traceback after the first build.
# BUILDER=properdocs serves with ProperDocs (the hooks watch data/ and references.bib);
# BUILDER=zensical runs `python -m briefing serve --builder zensical`: the export kept current,
# `zensical serve` on it, each rebuild finished (README, "Choosing a builder").
PORT ?= 8000
SERVE_mkdocs = $(VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT)
SERVE_properdocs = $(VENV)/bin/properdocs serve --strict -f mkdocs.yml --dev-addr 127.0.0.1:$(PORT)
SERVE_zensical = $(PY) -m briefing serve --builder zensical --dev-addr 127.0.0.1:$(PORT)
serve: $(BUILDER_STAMP) print-deps
	@$(PY) -c 'import socket, sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' "$(PORT)" 2>/dev/null || \
	  { echo "make serve: port $(PORT) is in use by another program; try: make serve PORT=$$(( $(PORT) + 1 ))" >&2; exit 1; }
	$(SERVE_$(BUILDER))

# Build into a folder of its own and swap it in: a failed build never leaves half a site, and
# two builds at once never leave none (each builds in its own site.tmp.XXXXXX; the swap holds
# site.lock, util-linux's flock, so one build's swap never runs inside another's).
# The build prints downloads/briefing.pdf with headless Chromium. SITE_BUILD is the command,
# given the folder to build into.
# SITE_URL is the address the site is served at, when it is not a host's root (GitHub Pages'
# project address): `make site SITE_URL=https://user.github.io/repo/`. The 404 page, the feed and
# the head tags need it; the publish workflow passes GitHub Pages' address. It is given to MkDocs
# as mkdocs.yml's site_url, through a settings file that inherits mkdocs.yml.
SITE_URL ?=
SITE_CONFIG := $(if $(SITE_URL),.site-url.mkdocs.yml,mkdocs.yml)
# BUILDER=properdocs: the same hooks under ProperDocs. BUILDER=zensical: the briefing exported
# (kept in .zensical/ for Zensical's cache), built by Zensical, finished by the engine
# (`python -m briefing build --builder zensical`), given SITE_URL itself.
SITE_BUILD_mkdocs = $(VENV)/bin/mkdocs build --strict -f $(SITE_CONFIG) --site-dir
SITE_BUILD_properdocs = $(VENV)/bin/properdocs build --strict -f $(SITE_CONFIG) --site-dir
SITE_BUILD_zensical = $(PY) -m briefing build --builder zensical $(if $(SITE_URL),--site-url "$(SITE_URL)")
SITE_BUILD = $(SITE_BUILD_$(BUILDER))
site: $(BUILDER_STAMP) print-deps
	@[ -z "$(SITE_URL)" ] || $(PY) -c 'import json, sys; print("INHERIT: mkdocs.yml\nsite_url: " + json.dumps(sys.argv[1]))' "$(SITE_URL)" > $(SITE_CONFIG)
	@tmp=$$(mktemp -d site.tmp.XXXXXX) && trap 'rm -rf "$$tmp"' EXIT && \
	echo "$(SITE_BUILD) $$tmp" && $(SITE_BUILD) "$$tmp" && chmod 755 "$$tmp" && \
	flock site.lock bash -euo pipefail -c \
	  'old=$$(mktemp -d site.old.XXXXXX); [ ! -d site ] || mv site "$$old/"; mv "$$1" site; rm -rf "$$old"' \
	  swap "$$tmp"

# Follow every internal link and anchor of the site built in site/, served at SITE_URL's path (a
# host's root without it): `make site SITE_URL=X && make linkcheck SITE_URL=X`.
linkcheck: $(STAMP)
	$(PY) -m briefing linkcheck site --base "$(or $(SITE_URL),/)"

validate: $(STAMP)
	$(PY) -m briefing validate --strict .

# The rendered pages as a plain MkDocs project in export/: `mkdocs build -f export/mkdocs.yml`
# (or any builder that ignores hooks) publishes it.
export: $(STAMP)
	$(PY) -m briefing export --strict export

# Build cost at 1x, 10x and 50x the briefing (a few minutes); prints one table.
# Options through ARGS, e.g. make bench ARGS="--scales 1,10 --no-shared --hooks".
bench: $(STAMP)
	$(PY) tests/bench.py $(ARGS)

# Mutation testing of the engine's stages (checks, rendering, downloads) with mutmut and the fast
# tests that cover each: score and surviving mutants per module. Slow (tens of minutes); not part
# of `make test`. One stage: make mutate ARGS=downloads; the last figures again: ARGS=--report.
mutate: $(TEST_STAMP)
	$(PY) tests/mutate.py $(ARGS)

# What validating each hostile file of tests/test_hostile.py costs (seconds, peak MB): one table.
bench-hostile: $(TEST_STAMP)
	$(PY) tests/bench_hostile.py $(ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check hooks tests
	$(VENV)/bin/ruff format --check hooks tests
	$(VENV)/bin/mypy

test: lint print-deps $(PDFTOPPM) $(CHROMIUM) $(NPM_STAMP) $(VNU_STAMP) bib-corpus
	BRIEFING_BIB_CORPUS=$$([ ! -f "$(BIB_STAMP)" ] || echo "$(BIB_CORPUS)") $(VENV)/bin/pytest

# Lighthouse scores (mobile profile) of the home page and a recommendation page: one table.
audit: site $(CHROMIUM) $(NPM_STAMP)
	$(PY) tests/audit.py site

clean:
	rm -rf site site.tmp.* site.old.* site.lock export .zensical .zensical-serve .zensical.lock test-artifacts .pytest_cache .mypy_cache .ruff_cache .mutate .corpus
