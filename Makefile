# geokg: two commands a user needs (make demo, make test) and a few for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= geokg.db

.PHONY: demo test test-fast install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[model,test,notebooks]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/geokg build seeds/ --store $(STORE)
	$(BIN)/geokg validate --store $(STORE)
	@for q in $$($(BIN)/geokg query --list --names); do \
		echo; $(BIN)/geokg query $$q --store $(STORE) || exit 1; \
	done

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not integration"

bench: $(STAMP)
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/reuters.py

clean:
	rm -rf $(VENV) $(STORE) build dist .pytest_cache
