# The front door. `make book` and `make test` work on a fresh machine with python3.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: help setup system-deps book pdf lint test bench scale lock clean

help:
	@echo "make book   - set up .venv, execute every chapter, build the HTML book in _build/html"
	@echo "make pdf    - the same book as a PDF through LaTeX (xelatex) in _build/latex, linked from the HTML"
	@echo "make lint   - ruff (code and chapters) and mypy on src/; the first step of make test"
	@echo "make test   - set up .venv if needed, then lint and run every test (unit, notebooks, papermill, book)"
	@echo "make bench  - time the corpus build (each stage) and the counting engine on the full UN corpus in ../shared"
	@echo "make scale  - re-run the whole book on all 10,952 UN speeches: time and peak memory per stage"
	@echo "make lock   - re-resolve requirements.lock and environment.yml from pyproject.toml"
	@echo "make clean  - remove _build, data/processed and caches (keeps .venv)"

# Bytecode is compiled at install time: where PYTHONDONTWRITEBYTECODE is set (as on the project's
# machines) Python would otherwise recompile pandas, Altair and the rest in every kernel, adding
# seconds to each of the seven chapters of every build and re-run.
$(STAMP): pyproject.toml requirements.lock
	@echo "==> creating $(VENV) and installing the locked dependencies"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q src/fplang
	@touch $(STAMP)

setup: $(STAMP)

# Debian packages the browser and PDF tests need (run as root; CI calls this).
DEBIAN_PACKAGES := chromium fonts-freefont-otf poppler-utils latexmk texlive-xetex \
	texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
system-deps:
	@echo "==> installing Debian packages for the PDF and browser tests (if missing)"
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "    all present"; fi

# The public repository's address, for the Binder and Colab buttons (none without it).
REPOSITORY_URL ?=
export FPLANG_REPOSITORY_URL := $(REPOSITORY_URL)

book: $(STAMP)
	@echo "==> executing every chapter and building the HTML book (warnings are errors)"
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "==> the book is at $(CURDIR)/_build/html/index.html"

# The HTML is rebuilt after the PDF so that it links the PDF (Sphinx re-reads only the linking page).
pdf: $(STAMP)
	@echo "==> executing every chapter and building the PDF through xelatex"
	$(BIN)/jupyter-book build . --builder pdflatex -W -n --keep-going
	@echo "==> linking the PDF from the HTML book"
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "==> the PDF is at $(CURDIR)/_build/latex/fplang-book.pdf and $(CURDIR)/_build/html/fplang-book.pdf"

lint: $(STAMP)
	@echo "==> ruff on src, tests and benchmarks; ruff on the chapters (nbQA); mypy on src"
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/nbqa ruff notebooks
	$(BIN)/mypy

test: lint
	@echo "==> running every test: unit, notebooks (nbval), papermill, book build"
	$(BIN)/python -m pytest -n 2 --dist loadgroup tests
	$(BIN)/python -m pytest --nbval-lax -p no:cacheprovider notebooks

bench: $(STAMP)
	@echo "==> benchmarking the corpus build, stage by stage, and the counting engine on the full UN General Debate Corpus"
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_count.py

# The whole book re-run on all 10,952 UN speeches (written once to _build/ungdc_full by fplang ungdc-full).
scale: $(STAMP)
	@echo "==> re-running the whole book on the full UN General Debate Corpus (time and peak memory per stage)"
	$(BIN)/python benchmarks/scale.py

lock: $(STAMP)
	@echo "==> resolving requirements.lock and environment.yml"
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --quiet -o requirements.lock
	$(BIN)/python -m fplang.envfile requirements.lock environment.yml

clean:
	@echo "==> removing _build, data/processed and caches"
	rm -rf _build data/processed .pytest_cache .hypothesis test-artifacts
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
