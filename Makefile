# The two commands of the README: `make run` and `make test`. Each creates or refreshes its own virtual environment
# and installs the Debian packages it needs, so a fresh machine needs nothing installed by hand.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-vie fonts-dejavu-core chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup system-packages bench clean

run: setup
	$(BIN)/thanhtra run corpus/docs

test: setup
	$(BIN)/python -m pytest -q

setup: system-packages $(VENV)/.installed

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; }; \
	fi

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

bench: setup
	$(BIN)/python benchmarks/bench_extract.py --files 1000
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_flow.py

clean:
	rm -rf $(VENV) data/*.sqlite data/*.jsonl
