# panelsite: the two set-up commands are `make site` and `make test`.
# Every target is phony: a folder named `site` exists after a build.
.PHONY: site test test-fast serve serve-young check export schema reference docs bench lint browser-deps venv clean \
	edit editor-deps editor-screenshots

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,pdf]"
	touch $(STAMP)

# With Chromium installed the meeting packs are printed as tagged PDFs too; without it the site is
# built as before and says how to get them.
site: $(STAMP)
	@if $(BIN)/python -c "from generator.pdf_packs import available; raise SystemExit(available() is not None)"; then \
	  $(BIN)/panelsite build --pdf; \
	else \
	  $(BIN)/panelsite build && echo "panelsite: the PDF meeting packs were left out: $$($(BIN)/python -c 'from generator.pdf_packs import available; print(available())')"; \
	fi

check: $(STAMP)
	$(BIN)/panelsite check

serve: $(STAMP)
	$(BIN)/panelsite serve

serve-young: $(STAMP)
	$(BIN)/panelsite serve --edition young

export: $(STAMP)
	$(BIN)/panelsite export export

schema: $(STAMP)
	$(BIN)/panelsite schema

# The documentation's generated pages (docs/reference/ and docs/template-variables.md), from the
# models, the settings, the command line and the page kinds' contexts.
reference: $(STAMP)
	$(BIN)/python -m generator.docs_reference

# panelsite's own documentation site (mkdocs.yml, docs/), built strict into build/docs/.
docs: reference
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --config-file mkdocs.yml

# ruff (lint and format) and mypy on the whole package: every module type-checks.

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy generator

# `panelsite edit` serves Decap CMS's browser bundle from this machine. package-lock.json pins it;
# `npm ci` installs exactly that (needs Node 20 and npm, and the npm registry the first time).
EDITOR_ASSETS := generator/editor/static
EDITOR_BUNDLE := $(EDITOR_ASSETS)/node_modules/decap-cms/dist/decap-cms.js

editor-deps: $(EDITOR_BUNDLE)

$(EDITOR_BUNDLE): $(EDITOR_ASSETS)/package.json $(EDITOR_ASSETS)/package-lock.json
	cd $(EDITOR_ASSETS) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

edit: $(STAMP) editor-deps
	$(BIN)/panelsite edit

# The worker's guide's screenshots (docs/images/editor/), taken by the editor's browser tests.
editor-screenshots: $(STAMP) browser-deps
	PANELSITE_EDITOR_SCREENSHOTS=docs/images/editor $(BIN)/python -m pytest tests/test_editor_browser.py -q

# Browser tests need Debian's Chromium; installed here when missing (needs root and apt).
browser-deps: editor-deps
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# pytest-xdist: one worker per core, each test module kept on one worker (its module fixtures are
# made once); the builds conftest.py shares are made once for all workers. PYTEST_WORKERS=0 runs
# the tests in this process, one after another.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

test: $(STAMP) browser-deps
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy generator
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# Lint, types and every test except the browser and slow ones (pyproject's pytest markers): a
# minute or two, for the edit-test loop. `make test` runs them all.
test-fast: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy generator
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser and not slow"

# `make bench` times the ten-year synthetic archive (`make bench SCALE=0.25` is a quick run), then
# `panelsite import` of a national download (152 authorities x 20 indicators x 10 years).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(if $(SCALE),--scale $(SCALE))
	$(BIN)/python benchmarks/import_bench.py

clean:
	rm -rf site .cache export build/docs
