"""What the browser tests share: which page of the built site stands for each page type, and
small helpers to open a page while recording every console error, page error and failed request.
"""
from __future__ import annotations

import functools
import json
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CHROMIUM = Path("/usr/bin/chromium")  # the same as tests/conftest.py launches
LANGS = ("vi", "en")
PLAN_IDS = tuple(sorted(p.stem for p in (CORPUS / "plans").glob("*.md")))
# Every page type of sitegen/pages.py; "plan:<id>" is each plan page.
KINDS = ("home", "plan-list", *(f"plan:{pid}" for pid in PLAN_IDS), "province-list", "province", "province-present",
         "category-list", "category-chart", "category-nochart", "matrices", "legal-index", "instrument",
         "data", "compare", "methodology", "search", "chart", "embed")
# Pages a reader sees in the browser: the page types a test is parametrized over.
PAGES = tuple((kind, lang) for kind in KINDS for lang in LANGS)
PAGE_IDS = tuple(f"{lang}-{kind}" for kind, lang in PAGES)

WAIT_CHARTS = ("() => [...document.querySelectorAll('[data-chart]')]"
               ".every(e => e.getAttribute('data-drawn') === 'true')")

# Everything about the charts of the open page that the tests compare.
CHARTS_JS = """() => [...document.querySelectorAll('figure.chart')].map(fig => {
  const plot = fig.querySelector('[data-chart]');
  const block = plot && document.getElementById(plot.getAttribute('data-chart'));
  // The table equivalent: the figure's own, or the table of the page it points to (a row per bar,
  // and the targets' parts as rows of class "child", which are not bars).
  const ref = fig.querySelector('.chart-table-ref a');
  const table = fig.querySelector('.chart-table table') || (ref && document.querySelector(ref.getAttribute('href')));
  const rows = table ? [...table.tBodies[0].rows].filter(r => !r.classList.contains('child')) : [];
  return {
    id: fig.id,
    drawn: plot ? plot.getAttribute('data-drawn') : null,
    svg: plot ? plot.querySelectorAll('svg.main-svg').length : 0,
    spec: block ? JSON.parse(block.textContent) : null,
    drawnData: plot && plot.data ? plot.data.map(t => ({type: t.type, name: t.name || null, mode: t.mode || null,
                                                        x: Array.from(t.x || []), y: Array.from(t.y || [])})) : null,
    tableRows: table ? rows.length : -1,
    tableVisible: table ? table.checkVisibility() : false,
  };
})"""


def html_files(site: Path) -> list[str]:
    """Site paths of every HTML page (Pagefind's own files excluded)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] != "pagefind")


@functools.lru_cache(maxsize=None)
def _choices(site: str) -> dict[str, str]:
    root = Path(site)

    def first(folder: str, want=lambda text: True) -> str:
        for p in sorted((root / folder).glob("*.html")):
            if p.name != "index.html" and want(p.read_text("utf-8")):
                return f"{folder}/{p.name}"
        raise AssertionError(f"the built site has no page in {folder}/ of the kind a test needs")

    chart = first("charts", lambda t: '"type":"bar"' in t)  # a comparison or counts chart
    return {
        "home": "index.html", "plan-list": "plans/index.html", "province-list": "provinces/index.html",
        # a province with two plans: its page shows the comparison table
        "province": first("provinces", lambda t: ('class="change-' in t or "<table" in t)
                          and 'class="present"' not in t),
        # a province formed on 01/07/2025: the plans of the provinces merged into it
        "province-present": first("provinces", lambda t: 'class="present"' in t),
        "category-list": "categories/index.html",
        "category-chart": first("categories", lambda t: "data-chart=" in t),
        "category-nochart": first("categories", lambda t: "data-chart=" not in t),
        "matrices": "matrices.html", "legal-index": "legal/index.html", "instrument": first("legal"),
        "data": "data.html", "compare": "compare.html", "methodology": "methodology.html", "search": "search.html",
        "chart": chart, "embed": chart + "#embed",  # the chart page shown as its embed
        **{f"plan:{pid}": f"plans/{pid}.html" for pid in PLAN_IDS},
    }


def page_path(site: Path, kind: str, lang: str) -> str:
    """The site path of the page standing for `kind` in `lang` (English under en/)."""
    path = _choices(str(site))[kind]
    return path if lang == "vi" else f"en/{path}"


def resolve(page_path_: str, href: str) -> tuple[str, str] | None:
    """(site path, fragment) an internal href points at from a page, or None if it leaves the site."""
    u = urlsplit(href)
    if u.scheme or u.netloc or href.startswith("//"):
        return None
    if not u.path:
        return page_path_, unquote(u.fragment)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path_), unquote(u.path)))
    if href.endswith("/") or u.path.endswith("/"):
        target = posixpath.join(target, "index.html")
    return target, unquote(u.fragment)


@dataclass
class Problems:
    """Console errors, uncaught page errors and failed requests seen while a page was open."""

    items: list[str] = field(default_factory=list)

    def watch(self, page) -> "Problems":
        page.on("console", lambda m: m.type == "error" and self.items.append(f"console.error: {m.text} "
                                                                             f"({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.items.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.items.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.items.append(f"HTTP {r.status}: {r.url}"))
        return self

    def __bool__(self) -> bool:
        return bool(self.items)

    def __str__(self) -> str:
        return "\n".join(self.items)


def expected_table_rows(spec: dict) -> int:
    """How many rows a chart's table equivalent has: one per bar (plan), one per network edge, or one per
    category of the categories chart (its dots: plan x category)."""
    traces = spec["data"]
    if all(t["type"] == "scatter" and t.get("mode") == "markers+text" for t in traces) and \
            spec["layout"]["yaxis"].get("type") == "category":
        return len(spec["layout"]["yaxis"]["categoryarray"])
    if all(t["type"] == "bar" for t in traces):
        lengths = {len(t["x"]) for t in traces}
        assert len(lengths) == 1, f"stacked bars of different lengths: {lengths}"
        return lengths.pop()
    lines = [t for t in traces if t.get("mode") == "lines"]
    assert lines, f"unknown kind of chart: {json.dumps([t['type'] for t in traces])}"
    return sum(1 for v in lines[0]["x"] if v is None)


QN_2021 = "quang-ninh-2021-27-kh-ubnd"


def build_split_site(tmp: Path, later: tuple[tuple[str, str, str], ...], **limits: int) -> Path:
    """The real corpus plus later plans of Quảng Ninh (copies of its 2021 plan with another id,
    number and issue date: (id, number, quoted ISO date)), built with the search index and with
    the site options' limits lowered (split_max_plans=2 ...), so that pages are split as for a national
    corpus."""
    from sitegen.options import SiteOptions
    from sitegen.pipeline import build

    corpus = shutil.copytree(CORPUS, tmp / "corpus")
    source = (corpus / "plans" / f"{QN_2021}.md").read_text("utf-8")
    for pid, number, issued in later:
        md = source
        for name, value in (("id", pid), ("number", number), ("issued", issued), ("period", issued[1:5])):
            md, n = re.subn(rf"^{name}: .*$", f"{name}: {value}", md, count=1, flags=re.M)
            assert n == 1, name
        (corpus / "plans" / f"{pid}.md").write_text(md, "utf-8")
        shutil.copy(corpus / "plans" / f"{QN_2021}.yaml", corpus / "plans" / f"{pid}.yaml")
    build(corpus, tmp / "site", SiteOptions(search=True, **limits))
    return tmp / "site"
