# The two commands of the README. Both install what they need first.
PYTHON ?= python3

.PHONY: site test bench

site:
	$(PYTHON) -m pip install --quiet -e .
	$(PYTHON) build.py

test:
	$(PYTHON) -m pip install --quiet -e '.[test]'
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root and apt)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(PYTHON) -m pytest -n 2

bench:
	$(PYTHON) -m pip install --quiet -e '.[bench]'
	@command -v hugo >/dev/null 2>&1 || { \
	  echo "Installing Debian's hugo for the comparison (needs root and apt)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
	$(PYTHON) benchmarks/run.py $(BENCH_ARGS)
