"""Page weights of a built site: the largest plan page, which pages load chart code, and a
category page over a throttled connection in headless Chromium (time to its first chart).

The site is served on 127.0.0.1 by a small HTTP server that gzips text files when the
browser asks for it, as any static host does.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import re
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Chrome DevTools' presets: "Slow 4G" (formerly "Fast 3G") and "3G" (formerly "Slow 3G").
PROFILES = {
    "Slow 4G": {"latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
                "uploadThroughput": 750 * 1024 / 8 * 0.9},
    "3G": {"latency": 2000, "downloadThroughput": 500 * 1024 / 8 * 0.8, "uploadThroughput": 500 * 1024 / 8 * 0.8},
}
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".csv", ".xml", ".svg", ".md", ".txt")
CHART_SCRIPT = re.compile(rb'<script src="[^"]*charts\.js"')
CHART_DIV = re.compile(rb'class="chart-plot"')


def html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


def static_weights(site: Path) -> dict:
    """Largest plan page, largest category page, and pages that load chart code without a chart."""
    # Plan pages only: not the plan list (plans/index.html, plans/page-2.html, ...).
    list_page = re.compile(r"^(index|page-\d+)\.html$")
    plans = [p for d in (site / "plans", site / "en" / "plans") for p in d.glob("*.html")
             if not list_page.match(p.name)]
    largest_plan = max(plans, key=lambda p: p.stat().st_size)
    cats = [p for p in (site / "categories").glob("*.html") if p.name != "index.html"]
    with_chart = [p for p in cats if CHART_DIV.search(p.read_bytes())]
    largest_cat = max(with_chart or cats, key=lambda p: p.stat().st_size)
    stray, missing = [], []
    for page in html_pages(site):
        data = page.read_bytes()
        has_script, has_chart = bool(CHART_SCRIPT.search(data)), bool(CHART_DIV.search(data))
        if has_script and not has_chart:
            stray.append(str(page.relative_to(site)))
        if has_chart and not has_script:
            missing.append(str(page.relative_to(site)))
    return {
        "largest_plan": str(largest_plan.relative_to(site)), "largest_plan_kb": largest_plan.stat().st_size / 1024,
        "largest_category": str(largest_cat.relative_to(site)),
        "largest_category_kb": largest_cat.stat().st_size / 1024,
        "largest_category_gzip_kb": len(gzip.compress(largest_cat.read_bytes(), 6)) / 1024,
        "chart_code_without_chart": stray, "chart_without_chart_code": missing,
    }


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".csv": "text/csv; charset=utf-8"}
    _cache: dict = {}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
                and path.is_file()):
            body = self._cache.get(path)
            if body is None:
                body = self._cache[path] = gzip.compress(path.read_bytes(), 6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600")
            self.end_headers()
            import io
            return io.BytesIO(body)
        return super().send_head()


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# In the page, at the first animation frame where it holds: the time (ms from navigation) at which
# something is visible. The static chart is the one drawn at build time (sitegen/chartsvg.py); the
# interactive one is plotly's, drawn once charts.js has loaded the library.
_VISIBLE_AT = """sel => { const e = document.querySelector(sel);
  return e && e.getBoundingClientRect().height > 0 ? performance.now() : false; }"""
_DRAWN_AT = """() => { const e = document.querySelector('.chart-plot');
  return e && e.getAttribute('data-drawn') === 'true' ? performance.now() : false; }"""


def first_chart(site: Path, page: str, profile: str = "Slow 4G", timeout_s: float = 180) -> dict:
    """Load `page` in a fresh (cold-cache) Chromium context over a throttled network; return the
    bytes transferred, the first contentful paint (text), the time until the first chart is visible
    (the static SVG drawn at build time: `static_chart_s`) and until it is interactive (drawn by the
    chart library: `first_chart_s`), all from the start of navigation."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    url = f"http://127.0.0.1:{server.server_port}/{page}"
    wait = timeout_s * 1000
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            ctx = browser.new_context()
            tab = ctx.new_page()
            cdp = ctx.new_cdp_session(tab)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **PROFILES[profile]})
            transferred = {"bytes": 0}
            cdp.on("Network.loadingFinished",
                   lambda e: transferred.__setitem__("bytes", transferred["bytes"] + e.get("encodedDataLength", 0)))
            tab.goto(url, wait_until="commit", timeout=wait)
            static_ms = tab.wait_for_function(_VISIBLE_AT, arg=".chart-plot .chart-static, .chart-plot .main-svg",
                                              polling="raf", timeout=wait).json_value()
            drawn_ms = tab.wait_for_function(_DRAWN_AT, polling="raf", timeout=wait).json_value()
            tab.wait_for_load_state("load", timeout=wait)
            timing = tab.evaluate("""() => ({
              fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null,
              load: performance.getEntriesByType('navigation')[0].loadEventEnd })""")
            time.sleep(0.5)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"profile": profile, "page": page, "transfer_kb": transferred["bytes"] / 1024,
            # Laid out is not yet painted: the static chart is on screen from the first paint on.
            "text_s": (timing["fcp"] or 0) / 1000, "static_chart_s": max(static_ms, timing["fcp"] or 0) / 1000,
            "first_chart_s": drawn_ms / 1000, "load_s": timing["load"] / 1000}


if __name__ == "__main__":  # python benchmarks/weights.py SITE [PAGE] [PROFILE]: one page, throttled
    import json
    import sys

    built = Path(sys.argv[1])
    print(json.dumps(first_chart(built, sys.argv[2] if len(sys.argv) > 2 else static_weights(built)["largest_category"],
                                 sys.argv[3] if len(sys.argv) > 3 else "Slow 4G"), indent=1))
