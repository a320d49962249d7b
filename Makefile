# Two commands set filmcrew up and run it on a fresh machine:
#   make demo   creates .venv, installs filmcrew, plans the bundled short film
#   make test   creates .venv (if needed), installs the test extras, runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO ?= examples/the-lighthouse-key.fountain

.PHONY: demo test eval bench clean

$(BIN)/filmcrew: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/filmcrew
	$(BIN)/filmcrew plan $(DEMO) --out out/demo
	@echo "open out/demo/storyboard.html (shot list: out/demo/shotlist.csv)"

test: $(BIN)/filmcrew
	$(BIN)/python -m pytest -q

eval: $(BIN)/filmcrew
	$(BIN)/filmcrew eval

bench: $(BIN)/filmcrew
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf out .filmcrew examples/*.filmcrew
