# The habits of the project, written down. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: help up demo test faults bench docs lint fmt bootstrap rabbitmq browser prometheus

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: ## create .venv and install the project (only when pyproject.toml changed)
	@scripts/bootstrap.sh

rabbitmq: ## install RabbitMQ if missing, start it if down, wait until it answers
	@scripts/ensure_rabbitmq.sh

browser: ## install Debian's Chromium for the browser tests if it is missing
	@scripts/ensure_debian_package.sh chromium "the browser tests" chromium

prometheus: ## install Debian's Prometheus (promtool, server) for the deploy tests if missing
	@scripts/ensure_debian_package.sh prometheus "the deploy tests" promtool prometheus

up: bootstrap rabbitmq ## run the five services and the gateway until Ctrl-C
	@$(PYTHON) -m devstack up

demo: bootstrap ## with `make up` running: officers, and one permit walked from draft to issued
	@$(PYTHON) -m devstack demo

# pytest exits 5 when it collects no test: not a failure while a tier is still empty.
# Benchmarks (tests/perf) belong to `make bench`, not here (ARCHITECTURE §8).
test: bootstrap rabbitmq browser prometheus lint ## lint, then run the whole test suite (PYTEST_ARGS=... to narrow)
	@$(VENV)/bin/pytest --ignore=tests/perf --ignore=tests/faults $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$status

# The fault tests stop and restart their own RabbitMQ node and kill services (minutes):
# their own target, which .ci/run calls after `test` (docs/RELIABILITY.md).
faults: bootstrap rabbitmq ## broker restart, kill -9, cut links, drains: nothing lost or doubled
	@$(VENV)/bin/pytest tests/faults $(PYTEST_ARGS)

# Minutes, not seconds, and the figures only mean something side by side: never part of `test`.
bench: bootstrap rabbitmq ## measure the platform against its ceilings (docs/PERFORMANCE.md)
	@scripts/ensure_debian_package.sh wrk "the benchmarks" wrk
	@$(PYTHON) -m tests.perf $(BENCH_ARGS)

# The manuals, printed from docs/help with the screenshots the browser tests just made.
docs: bootstrap ## PDF manuals (docs/manual/) from docs/help; after `make test` made the screenshots
	@$(PYTHON) -m devstack.manual

lint: bootstrap ## ruff (lint and format check) and the import rules
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo --no-cache

fmt: bootstrap ## format the code and apply ruff's safe fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
