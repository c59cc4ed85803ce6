"""Shared fixtures: the real corpus built once per test session (per xdist worker), served over
HTTP on 127.0.0.1, and one headless Chromium (Playwright, /usr/bin/chromium) per worker.

Every fixture here is session-scoped and lazy: a test that uses none of them starts nothing.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the project's own package, installed or not
    sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browser here: always the system Chromium, with these flags.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The sub-path the site is also served under, to catch links that assume the site root is "/".
SUB_PATH = "sub/path"


def build_site(out: Path, *, search: bool) -> Path:
    """Build the real corpus into `out` (which must not be shared between workers)."""
    from sitegen.pipeline import build

    build(CORPUS, out, search=search)
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real corpus built once, with the Pagefind search index, into a per-worker tmp dir."""
    return build_site(tmp_path_factory.mktemp("built") / "site", search=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a directory; no request log on stderr; correct types for the site's files."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".csv": "text/csv; charset=utf-8",
                      ".md": "text/markdown; charset=utf-8", ".svg": "image/svg+xml",
                      ".pf_meta": "application/octet-stream", ".pf_fragment": "application/octet-stream",
                      ".pf_index": "application/octet-stream", ".pf_filter": "application/octet-stream"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _serve(directory: Path):
    """Start a threaded HTTP server for `directory` on a free port of 127.0.0.1; return (server, thread)."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name=f"http-{directory.name}", daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (ending in /) of the built site served at the root of a local HTTP server."""
    server, thread = _serve(built_site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def subpath_url(built_site, tmp_path_factory):
    """Base URL of the same site served under /sub/path/ (the server serves the folder's parent)."""
    parent = tmp_path_factory.mktemp("subpath")
    shutil.copytree(built_site, parent / SUB_PATH)
    server, thread = _serve(parent)
    yield f"http://127.0.0.1:{server.server_port}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def playwright_instance():
    """Playwright's driver, started once per worker."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """One headless Chromium per worker. Missing Chromium is a failure, never a skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: the browser tests need it. "
                    "Install it with `apt-get install chromium` (Debian).", pytrace=False)
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                                  headless=True)
    yield browser
    browser.close()
