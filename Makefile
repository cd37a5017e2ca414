# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-unit test-integration test-e2e bench lint lock audit clean venv

venv: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
		-e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# a local administrator for `make run` (the README's curl journey signs in as it); change it
run: export ADMIN_USERNAME ?= admin
run: export ADMIN_PASSWORD ?= youthcity-admin
# a local run's administrator keeps the password above (anywhere else it must change at once)
run: export ADMIN_PASSWORD_CHANGE_REQUIRED ?= false
# a local run has no SMS provider: young people register without proving their phone
run: export REGISTRATION_PHONE_PROOF_REQUIRED ?= false
# and its officers and administrators sign in without an authenticator app unless they enrol one
run: export STAFF_SECOND_FACTOR_REQUIRED ?= false
# development only: webhooks to receivers on this machine, over plain http (never in production)
run: export WEBHOOK_ALLOW_LOOPBACK ?= true
run: $(STAMP)
	$(BIN)/youthcity up

# Two sessions side by side: the platform's tests (e2e, browser: one platform for them all) in the
# background, their output printed when they end; in the foreground the unit and integration
# tests, then the fault tests (they restart a RabbitMQ node of their own, disturbing nothing else).
test: $(STAMP)
	$(BIN)/ruff check .
	@$(BIN)/pytest -p no:cacheprovider -m "not faults" tests/e2e tests/browser \
		> $(VENV)/platform-tests.log 2>&1 & \
	platform=$$!; \
	$(BIN)/pytest -m "not faults" tests/unit tests/integration; code=$$?; \
	$(BIN)/pytest -s -m faults tests/faults || code=1; \
	wait $$platform || code=1; \
	echo "== tests/e2e and tests/browser (the session's platform)"; cat $(VENV)/platform-tests.log; \
	exit $$code

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

# re-resolve the lock files after changing pyproject.toml: every package, the build backend and pip
# itself, each with the hashes of its files, so an install takes exactly what was reviewed
LOCK_FLAGS := --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	--generate-hashes --allow-unsafe --all-build-deps
lock: $(STAMP)
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra test --output-file requirements-dev.lock pyproject.toml

# known vulnerabilities of the locked packages, where the package index answers such queries
audit: $(STAMP)
	$(BIN)/python .ci/audit_dependencies.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis bench/results
