# fraudlab: the two commands that matter are `make demo` and `make test`, and `make lab` to work in (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SHARED ?= $(abspath ..)/shared
DATA   ?=
SECURITY ?= none
PYTEST_ARGS ?=

.PHONY: setup jars peers demo test test-unit test-integration lint client-suite lab stack-up stack-down clean

setup: $(VENV)/.installed jars peers  ## create .venv, install fraudlab with its extras, fetch the jars

$(VENV)/.installed: pyproject.toml
	@scripts/setup.sh "$(PYTHON)" "$(VENV)"
	@touch $@

jars: $(VENV)/.installed
	@$(VENV)/bin/fraudlab stack fetch

peers: $(VENV)/.installed  ## the benchmark peers: Kafka Streams jar (Maven) and Quix Streams venv, in git-ignored dirs
	@$(PY) benchmarks/peers.py --build-only

demo: setup  ## stack up, Connect ingestion, then the five notebooks (DATA=... for the real data, SECURITY=sasl_ssl)
	@SECURITY="$(SECURITY)" scripts/demo.sh "$(DATA)"

lab: setup  ## JupyterLab on the notebooks, with the embedded stack running
	@scripts/lab.sh "$(VENV)"

test: setup  ## set-up plus the whole test suite
	@scripts/test.sh $(PYTEST_ARGS)

test-unit: setup
	@$(VENV)/bin/pytest tests/unit $(PYTEST_ARGS)

test-integration: setup
	@$(VENV)/bin/pytest tests/integration $(PYTEST_ARGS)

client-suite: setup  ## ksql-python-ng's own test suite (downloaded from PyPI) against ksqlserver on the embedded stack
	@$(VENV)/bin/python scripts/client_suite.py $(PYTEST_ARGS)

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check src tests benchmarks

stack-up: setup
	@$(VENV)/bin/fraudlab stack up

stack-down:
	@$(VENV)/bin/fraudlab stack down

clean:
	rm -rf .state .cache build dist
