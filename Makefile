# Two commands do all the set-up (see README): `make run` and `make test`.
# The environment is built from uv.lock only; nothing is downloaded by the pipeline or the tests.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced-from-lock
CHROMIUM := /usr/bin/chromium

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test bench eval env quality fmt clean

run: $(STAMP)
	dvc repro

test: $(STAMP) $(CHROMIUM)
	python -m pytest

bench: $(STAMP)
	python -m bench

# Runs the pipeline on the invented dev corpus (tests/eval/corpus) in a scratch copy and scores it.
eval: $(STAMP)
	python -m tests.eval.run

quality: $(STAMP)
	python -m tests.quality.measure

env: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $$($(PYTHON) -c 'import sys; print(sys.executable)')
	touch $@

# The report's browser test needs Debian's Chromium (test set-up only; the pipeline never uses it).
$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium >/dev/null

clean:
	rm -rf $(VENV) $(TOOLS)
