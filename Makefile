# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-unit test-integration test-e2e bench lint lock clean venv

venv: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# a local administrator for `make run` (the README's curl journey signs in as it); change it
run: export ADMIN_USERNAME ?= admin
run: export ADMIN_PASSWORD ?= youthcity-admin
run: $(STAMP)
	$(BIN)/youthcity up

# the fault tests restart infrastructure: they run alone, after everything else
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not faults"
	$(BIN)/pytest -s -m faults tests/faults

test-unit: $(STAMP)
	$(BIN)/pytest tests/unit

test-integration: $(STAMP)
	$(BIN)/pytest tests/integration

test-e2e: $(STAMP)
	$(BIN)/pytest tests/e2e

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# re-resolve the lock files after changing pyproject.toml
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra test --output-file requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis bench/results
