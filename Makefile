# fraudlab: the two commands that matter are `make demo` and `make test`, and `make lab` to work in (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SHARED ?= $(abspath ..)/shared
DATA   ?=
SECURITY ?= none
PYTEST_ARGS ?=

.PHONY: setup jars peers demo test test-unit test-integration lint client-suite client-suite-npm client-readme-ksqldb lab stack-up stack-down clean

setup: $(VENV)/.installed jars peers  ## create .venv, install fraudlab with its extras, fetch the jars

$(VENV)/.installed: pyproject.toml
	@scripts/setup.sh "$(PYTHON)" "$(VENV)"
	@touch $@

# `jars` and `peers` keep their own stamps of their inputs' digests; these make rules only spare the Python
# start-up (peers.py imports the benchmarks, ~10-20 s on a busy machine) when no input is newer than a stamp.
JARS_STAMP   := .cache/jars/.fetched
JARS_INPUTS  := connectors/pom.xml $(shell find connectors/csv-source -path '*/target' -prune -o -type f -print 2>/dev/null)
PEERS_STAMPS := benchmarks/peers/kafka-streams/target/.built .cache/peers/quix-venv/.installed
PEERS_INPUTS := connectors/pom.xml benchmarks/peers/build.sh benchmarks/peers/quix-requirements.txt \
                $(shell find benchmarks/peers/kafka-streams -path '*/target' -prune -o -type f -print 2>/dev/null)

jars: $(JARS_STAMP)

$(JARS_STAMP): $(VENV)/.installed $(JARS_INPUTS)
	@$(VENV)/bin/fraudlab stack fetch
	@touch $@

peers: $(PEERS_STAMPS)  ## the benchmark peers: Kafka Streams jar (Maven) and Quix Streams venv, in git-ignored dirs

$(PEERS_STAMPS) &: $(VENV)/.installed $(PEERS_INPUTS)
	@$(PY) benchmarks/peers.py --build-only
	@touch $(PEERS_STAMPS)

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

client-suite-npm: setup  ## the npm ksqldb-client package's own mocha suite (downloaded from the npm registry) against ksqlserver
	@$(VENV)/bin/python scripts/client_suite_npm.py

client-readme-ksqldb: setup  ## the PyPI ksqldb client's README calls (downloaded from PyPI) against ksqlserver
	@$(VENV)/bin/python scripts/client_readme_ksqldb.py

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check src tests benchmarks

stack-up: setup
	@$(VENV)/bin/fraudlab stack up

stack-down:
	@$(VENV)/bin/fraudlab stack down

clean:
	rm -rf .state .cache build dist
