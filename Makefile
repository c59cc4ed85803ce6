# The commands of the README. Each installs what it needs first.
PYTHON ?= python3

.PHONY: site serve test bench

site:
	$(PYTHON) -m pip install --quiet -e .
	$(PYTHON) build.py

# Preview while editing: http://127.0.0.1:8000/, rebuilt and reloaded on every change (PORT=0: any free port).
serve:
	$(PYTHON) -m pip install --quiet -e .
	$(PYTHON) build.py serve $(if $(PORT),--port $(PORT))

test:
	$(PYTHON) -m pip install --quiet -e '.[test]'
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root and apt)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@{ command -v soffice && tesseract --list-langs 2>&1 | grep -qx vie; } >/dev/null 2>&1 || { echo "Installing Debian's tesseract-ocr (Vietnamese) and LibreOffice Writer for the ingest tests (needs root and apt)..."; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui >/dev/null; }
	$(PYTHON) -m pytest -n 2

bench:
	$(PYTHON) -m pip install --quiet -e '.[bench]'
	@command -v hugo >/dev/null 2>&1 || { \
	  echo "Installing Debian's hugo for the comparison (needs root and apt)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
	$(PYTHON) benchmarks/run.py $(BENCH_ARGS)
