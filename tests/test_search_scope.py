"""Which pages the search index holds (urls.searchable): the plan, province, category and instrument
pages and the site's own pages, not the pages that repeat them (chart pages, compare tables,
matrices, an instrument's parts by province). Checked on the path rule, on the built pages' HTML
and on Pagefind's own count of the pages it indexed."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from sitegen import urls


@pytest.mark.parametrize("path, searchable", [
    ("index.html", True), ("search.html", True), ("plans/index.html", True), ("plans/qn-2021.html", True),
    ("provinces/quang-ninh.html", True), ("categories/cai-nghien.html", True),
    ("categories/cai-nghien/quang-ninh.html", True), ("legal/index.html", True), ("legal/luat-phong-chong-ma-tuy.html", True),
    ("data.html", True), ("methodology.html", True),
    ("charts/cai-nghien--tinh--percent.html", False), ("compare.html", False), ("compare/quang-ninh.html", False),
    ("matrices.html", False), ("matrices/quang-ninh.html", False), ("legal/luat-phong-chong-ma-tuy/quang-ninh.html", False),
])
def test_the_pages_that_repeat_others_are_left_out_of_the_search_index(path, searchable):
    assert urls.searchable(path) is searchable


class _Main(HTMLParser):
    """The attributes of a page's <main>."""

    def __init__(self):
        super().__init__()
        self.attrs: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "main" and self.attrs is None:
            self.attrs = dict(attrs)


def _indexed_and_left_out(site) -> tuple[list[str], list[str]]:
    """The site's pages marked for the index and the others, each checked against urls.searchable;
    and Pagefind's count of the pages it indexed checked against the marked ones."""
    indexed, left_out = [], []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        parser = _Main()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.attrs is None:
            continue  # a redirect (embed/): no page of its own
        path = rel[3:] if rel.startswith("en/") else rel
        (indexed if "data-pagefind-body" in parser.attrs else left_out).append(path)
        assert ("data-pagefind-body" in parser.attrs) == urls.searchable(path), rel
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(indexed), \
        "Pagefind indexed the pages marked searchable, and only those (its glob leaves none out)"
    return indexed, left_out


def test_pagefind_indexes_exactly_the_searchable_pages(built_site):
    indexed, left_out = _indexed_and_left_out(built_site)
    assert any(p.startswith("plans/") for p in indexed) and any(p.startswith("legal/") for p in indexed)
    assert any(p.startswith("charts/") for p in left_out) and "compare.html" in left_out and "matrices.html" in left_out


def test_on_a_split_site_the_parts_by_province_are_indexed_or_left_out_as_their_kind(tmp_path):
    """Split pages (SiteOptions.split_max_plans): a category's parts by province are searchable, in
    the glob's deeper folders; an instrument's parts, compare tables and matrices by province are not."""
    from conftest import CORPUS

    from sitegen.pipeline import build

    build(CORPUS, tmp_path / "site", search=True, split_max_plans=1)
    indexed, left_out = _indexed_and_left_out(tmp_path / "site")
    assert any(p.startswith("categories/") and p.count("/") == 2 for p in indexed)
    assert any(p.startswith("legal/") and p.count("/") == 2 for p in left_out)
    assert any(p.startswith("compare/") for p in left_out) and any(p.startswith("matrices/") for p in left_out)


def test_the_search_glob_reads_only_the_folders_that_may_hold_searchable_pages(tmp_path):
    from sitegen.search import search_glob

    for folder in ("plans", "categories/ma-tuy", "legal/luat-x", "charts", "compare", "matrices", "embed",
                   "pagefind", "en/plans", "en/charts", "en/legal"):
        (tmp_path / folder).mkdir(parents=True)
    assert search_glob(tmp_path) == ("{*.html,categories/**/*.html,legal/*.html,plans/**/*.html,"
                                     "en/*.html,en/legal/*.html,en/plans/**/*.html}")
