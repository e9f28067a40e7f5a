# geokg: two commands a user needs (make demo, make test) and a few for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= geokg.db

.PHONY: demo test test-fast lint install system-deps bench clean model

# Debian packages that integration tests drive for real (a browser, a second triple
# store). Tests skip when they are missing, unless GEOKG_REQUIRE_SYSTEM_DEPS=1 (CI).
SYSTEM_PACKAGES ?= chromium virtuoso-opensource

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[model,test,notebooks,dask,serve,fuzz]"
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The seed article as a one-screen story; `geokg query --all --store $(STORE)` prints every query in full.
demo: $(STAMP)
	@$(BIN)/geokg demo --store $(STORE)

# The gates before the tests: lint, format and types of src/ (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not integration"

bench: $(STAMP)
	$(BIN)/python bench/throughput.py --limit 1000
	$(BIN)/python bench/memory.py --limit 1000
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/queries.py
	$(BIN)/python bench/reuters.py
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) $(STORE) $(basename $(STORE)).html build dist .pytest_cache

# Retrain the shipped event-trigger and argument-role models (src/geokg/models/event-triggers,
# event-roles) from the team-written data in src/geokg/training/data; the same data and seed
# give the same bytes.
model: $(STAMP)
	$(BIN)/geokg train
	$(BIN)/geokg train --roles
