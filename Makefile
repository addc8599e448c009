# panelsite: the two set-up commands are `make site` and `make test`.
# Every target is phony: a folder named `site` exists after a build.
.PHONY: site test serve serve-young check export schema bench lint browser-deps venv clean

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/panelsite build

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

# mypy checks the modules that already type-check cleanly; the rest of the package is to follow.
TYPED := generator/settings.py generator/comparators.py generator/configured.py generator/theme.py \
	generator/branding.py generator/colours.py generator/scaffold.py generator/new_site.py \
	generator/schemas/__init__.py generator/export.py generator/mkdocs_plugin.py generator/cli.py \
	generator/dataset.py generator/building.py generator/private_cache.py

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy --follow-imports=silent $(TYPED)

# Browser tests need Debian's Chromium; installed here when missing (needs root and apt).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: $(STAMP) browser-deps
	$(BIN)/ruff check generator tests
	$(BIN)/mypy --follow-imports=silent $(TYPED)
	$(BIN)/python -m pytest

# `make bench` times the ten-year synthetic archive; `make bench SCALE=0.25` is a quick run.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(if $(SCALE),--scale $(SCALE))

clean:
	rm -rf site .cache export
