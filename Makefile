# The commands of the README. Each runs in the project's own virtual environment (.venv), made on first
# use with $(PYTHON) and filled from pyproject.toml: Debian 12 and Ubuntu 23.04+ mark their system Python
# "externally managed" (PEP 668), so pip may not install into it, and nothing here asks it to.
PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: site serve test bench

site: $(VENV)/.installed-site
	$(VPY) build.py

# Preview while editing: http://127.0.0.1:8000/, rebuilt and reloaded on every change (PORT=0: any free port).
serve: $(VENV)/.installed-site
	$(VPY) build.py serve $(if $(PORT),--port $(PORT))

test: $(VENV)/.installed-test
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root and apt)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@{ command -v soffice && tesseract --list-langs 2>&1 | grep -qx vie; } >/dev/null 2>&1 || { echo "Installing Debian's tesseract-ocr (Vietnamese) and LibreOffice Writer for the ingest tests (needs root and apt)..."; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui >/dev/null; }
	$(VPY) -m pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	@command -v hugo >/dev/null 2>&1 || { \
	  echo "Installing Debian's hugo for the comparison (needs root and apt)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
	$(VPY) benchmarks/run.py $(BENCH_ARGS)

# One stamp per set of extras (site: none): made after pip installed them, older than pyproject.toml when
# a dependency changed, so that the next command installs again. An environment without a working pip
# (a venv cut short, or copied from elsewhere) is made anew first.
$(VENV)/.installed-site $(VENV)/.installed-test $(VENV)/.installed-bench: $(VENV)/.installed-%: pyproject.toml
	@$(VPY) -m pip --version >/dev/null 2>&1 || $(MAKE) --no-print-directory venv
	$(VPY) -m pip install --quiet -e '.$(if $(filter-out site,$*),[$*])'
	@touch $@

# The environment itself. `python3 -m venv` fails on Debian and Ubuntu until python3-venv (ensurepip) is
# installed: as root with apt it is installed then; without apt, pip comes from the system's own pip
# (python3-pip), which may install into the new environment though not into the system.
.PHONY: venv
venv:
	@rm -rf $(VENV)
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "$(PYTHON) is not installed: install Python 3.11 or later (Debian, Ubuntu: apt-get install python3)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "$(PYTHON) is Python `$(PYTHON) -c 'import platform; print(platform.python_version())'`: Python 3.11 or later is needed (make PYTHON=python3.11 ...)." >&2; exit 1; }
	@echo "Making the virtual environment $(VENV) with $(PYTHON) (once; the commands use it from now on)..."
	@$(PYTHON) -m venv $(VENV) >/dev/null 2>&1 || { \
	  rm -rf $(VENV); \
	  if command -v apt-get >/dev/null 2>&1 && [ "`id -u`" = 0 ]; then \
	    pkg=python`$(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'`-venv; \
	    echo "$(PYTHON) -m venv needs Debian's $$pkg: installing it..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkg >/dev/null \
	      && $(PYTHON) -m venv $(VENV); \
	  else false; fi || { \
	    rm -rf $(VENV); \
	    $(PYTHON) -m venv --without-pip $(VENV) && $(PYTHON) -m pip --python $(VPY) install --quiet pip; } || { \
	    rm -rf $(VENV); \
	    echo "Cannot make $(VENV): $(PYTHON) has neither venv with ensurepip nor pip. On Debian or Ubuntu: apt-get install python3-venv" >&2; \
	    exit 1; }; }
