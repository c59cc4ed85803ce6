"""A build imports neither pandas nor numpy, full or incremental (issue 19: pandas alone was a third
of every build's start-up, and nothing in the build needs it: the tables are plain Python rows), nor
markdown-it (plan texts are parsed by textrender.blocks; markdown-it is the tests' reference), nor ssl
(xml.sax.saxutils brought urllib, http and ssl for escaping the sitemap: 20 ms of each build's start-up)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BUILD_PY, REPO

sys.path.insert(0, str(REPO / "benchmarks"))

# Runs build.py with a watch on imports: a finder first on sys.meta_path logs any import of a banned
# package (with where it came from), in this process and in the forked workers, which inherit it.
WRAPPER = r"""
import os, runpy, sys, traceback
BANNED, LOG = ("pandas", "numpy", "markdown_it", "ssl"), os.environ["IMPORT_LOG"]

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in BANNED:  # a submodule is imported after its package
            with open(LOG, "a", encoding="utf-8") as f:
                f.write(f"{name} imported in process {os.getpid()} by:\n{''.join(traceback.format_stack(limit=15))}\n")
        return None

sys.meta_path.insert(0, Watch())
sys.argv = [sys.argv[1], *sys.argv[2:]]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in BANNED)
    if loaded:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(f"loaded at the end of the build: {loaded}\n")
"""


def _build(corpus: Path, out: Path, log: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WRAPPER, str(BUILD_PY), "--corpus", str(corpus), "--out", str(out),
                           "--no-search"], capture_output=True, text=True, cwd=REPO, timeout=600,
                          env={**os.environ, "IMPORT_LOG": str(log)})


def test_the_watch_sees_an_import_of_pandas(tmp_path):
    """The wrapper itself works: a script that imports numpy is caught (else the test below proves nothing)."""
    pytest.importorskip("numpy")
    script = tmp_path / "imports.py"
    script.write_text("import numpy\n", encoding="utf-8")
    log = tmp_path / "imports.log"
    done = subprocess.run([sys.executable, "-c", WRAPPER, str(script)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "IMPORT_LOG": str(log)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "numpy imported in process" in log.read_text(encoding="utf-8")


def test_a_full_and_an_incremental_build_import_no_pandas_nor_numpy(tmp_path):
    import generate

    corpus = generate.generate(16, tmp_path / "corpus", seed=5)
    site, log = tmp_path / "site", tmp_path / "imports.log"
    full = _build(corpus, site, log)
    assert full.returncode == 0, full.stdout + full.stderr
    assert "Built 16 plans" in full.stdout and (site / "data" / "comparability.csv").is_file()
    assert not log.exists(), log.read_text(encoding="utf-8")
    # A sentence inserted into one plan's text: an incremental build (the build database is kept).
    md = sorted((corpus / "plans").glob("*.md"))[3]
    text = md.read_text(encoding="utf-8")
    cut = text.index("\n", text.index("---", 3) + 3) + 1
    md.write_text(text[:cut] + "Câu chèn thêm để kiểm tra.\n" + text[cut:], encoding="utf-8")
    again = _build(corpus, site, log)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Câu chèn thêm để kiểm tra." in (site / "plans" / f"{md.stem}.html").read_text(encoding="utf-8")
    assert not log.exists(), log.read_text(encoding="utf-8")
