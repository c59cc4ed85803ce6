"""Every HTML file of the built site, read as files (no browser): well-formed HTML, one <h1>, a lang
and a <title>; unique ids; every internal link and #anchor resolves; every Vietnamese page has its
English twin at en/<same path>, and the language switch links the two both ways."""
from __future__ import annotations

import html5lib
import pytest

from .helpers import html_files, resolve

LINKING = {"a": "href", "area": "href", "link": "href", "script": "src", "img": "src", "iframe": "src",
           "source": "src", "form": "action"}
ID_REFS = ("aria-labelledby", "aria-describedby", "aria-controls", "for", "data-chart", "data-copy",
           "data-target", "data-filter-table", "list")


@pytest.fixture(scope="module")
def documents(built_site):
    """site path -> html5lib tree (lenient parse) of every page."""
    return {path: html5lib.parse((built_site / path).read_bytes(), namespaceHTMLElements=False)
            for path in html_files(built_site)}


@pytest.fixture(scope="module")
def ids(documents):
    """site path -> every id in the page."""
    return {path: {e.get("id") for e in doc.iter() if e.get("id")} for path, doc in documents.items()}


def _report(problems: list[str], what: str, limit: int = 60) -> str:
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} {what}:\n  " + "\n  ".join(problems[:limit]) + more


def test_every_page_is_well_formed_html(built_site):
    problems = []
    for path in html_files(built_site):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            parser.parse((built_site / path).read_bytes())
        except html5lib.html5parser.ParseError as exc:
            (line, col), code, _ = parser.errors[0]
            problems.append(f"{path}:{line}:{col}: {code}: {exc}")
    assert not problems, _report(problems, "pages are not well-formed HTML (html5lib strict)")


def test_every_page_has_one_h1_a_lang_and_a_title(documents):
    problems = []
    for path, doc in documents.items():
        if (n := len(doc.findall(".//h1"))) != 1:
            problems.append(f"{path}: {n} <h1> elements")
        lang = doc.get("lang")
        if lang != ("en" if path.startswith("en/") else "vi"):
            problems.append(f"{path}: <html lang={lang!r}>")
        title = doc.find("./head/title")
        if title is None or not "".join(title.itertext()).strip():
            problems.append(f"{path}: no <title>")
    assert not problems, _report(problems, "page problems")


def test_ids_are_unique_and_id_references_resolve(documents, ids):
    problems = []
    for path, doc in documents.items():
        seen: dict[str, int] = {}
        for e in doc.iter():
            if e.get("id"):
                seen[e.get("id")] = seen.get(e.get("id"), 0) + 1
        problems += [f"{path}: id {i!r} used {n} times" for i, n in seen.items() if n > 1]
        for e in doc.iter():
            for attr in ID_REFS:
                for ref in (e.get(attr) or "").split():
                    if ref not in ids[path]:
                        problems.append(f"{path}: <{e.tag} {attr}={ref!r}> names no element")
    assert not problems, _report(problems, "id problems")


def test_every_internal_link_and_anchor_resolves(built_site, documents, ids):
    problems, checked = [], 0
    for path, doc in documents.items():
        for e in doc.iter():
            attr = LINKING.get(e.tag)
            href = e.get(attr) if attr else None
            if href is None or href.startswith(("data:", "mailto:", "javascript:")):
                continue
            target = resolve(path, href)
            if target is None:
                continue  # another site
            checked += 1
            file, fragment = target
            if file.startswith("../") or not (built_site / file).is_file():
                problems.append(f"{path}: <{e.tag} {attr}={href!r}>: {file} does not exist")
            elif fragment and file.endswith(".html") and fragment not in ids.get(file, ()):
                problems.append(f"{path}: <{e.tag} {attr}={href!r}>: no id {fragment!r} in {file}")
    assert checked > 1000, f"only {checked} internal links: is the site empty?"
    assert not problems, _report(problems, f"broken internal links (of {checked} checked)")


def _switch(doc) -> list[str]:
    """The language switch of a page: the visible link, or the hreflang alternate of an embed page."""
    visible = [a.get("href") for a in doc.iter("a") if "lang-switch" in (a.get("class") or "").split()]
    alternate = [link.get("href") for link in doc.iter("link")
                 if link.get("rel") == "alternate" and link.get("hreflang")]
    return visible or alternate


def test_every_vietnamese_page_has_an_english_twin_linked_both_ways(built_site, documents):
    problems = []
    vi_pages = [p for p in documents if not p.startswith("en/")]
    assert len(vi_pages) > 20
    for vi in vi_pages:
        en = f"en/{vi}"
        if en not in documents:
            problems.append(f"{vi}: no English twin {en}")
            continue
        for here, there in ((vi, en), (en, vi)):
            doc = documents[here]
            switch = _switch(doc)
            if not switch:
                problems.append(f"{here}: no language switch")
            elif any((resolve(here, href) or ("", ""))[0] != there for href in switch):
                problems.append(f"{here}: the language switch goes to {switch}, not {there}")
            if not here.startswith("embed/") and not here.startswith("en/embed/") and \
                    not any("lang-switch" in (a.get("class") or "") for a in doc.iter("a")):
                problems.append(f"{here}: no visible language switch (a.lang-switch)")
    english_only = [p for p in documents if p.startswith("en/") and p[3:] not in documents]
    problems += [f"{p}: English page without a Vietnamese original" for p in english_only]
    assert not problems, _report(problems, "language twin problems")
