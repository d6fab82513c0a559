# Two entry points for a fresh machine (Python 3.11+, make): `make demo` and `make test`.
# Each creates the virtual environment on first use from the pinned requirements.lock.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FOREBYG_HOME ?= forebyg-data
PORT ?= 3000
export UV_COMPILE_BYTECODE := 1

.PHONY: demo test test-hurtig lint dev lock

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock -e .
	touch $@

demo: $(VENV)/.installed  ## run the main job on the invented sample data
	$(BIN)/forebyg demo

# one worker per core (WORKERS=1 for a plain run); a module's tests stay on one worker, so
# its shared fixtures (a loaded data home, the rendered reports) are built once
WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(WORKERS) --dist loadscope

test: $(VENV)/.installed  ## lint and run the test suite
	$(BIN)/ruff check .
	$(PYTEST)

test-hurtig: $(VENV)/.installed  ## lint and the fast tests only (no job runs, reports or fuzzing)
	$(BIN)/ruff check .
	$(PYTEST) -m "not slow"

dev: $(VENV)/.installed  ## the Dagster UI on http://localhost:$(PORT), same instance as the CLI
	FOREBYG_HOME=$(abspath $(FOREBYG_HOME)) \
	DAGSTER_HOME=$$($(BIN)/python -m pipelines.instance "$(FOREBYG_HOME)") \
	$(BIN)/dagster dev -w workspace.yaml -p $(PORT)

lock:  ## re-pin requirements.lock after changing pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra k8s -o requirements.lock
