"""Citations a reader copies: plain text, BibTeX, RIS and CSL-JSON, with URL and access date.

The build knows no date (the output must not depend on the clock) and, without a site_url, no
absolute address. So the texts carry two kinds of blanks that site.js fills in when the page is
read: the access date, written as the tokens in ACCESS_TOKENS ("dd/mm/yyyy" ...), and site paths
("charts/x.html"), listed with the page-relative URL that reaches them in `urls`, from which the
browser makes an absolute URL with the page's own address. Without JavaScript the blanks stay
readable: the reader sees which path to put the site's address in front of and which date to fill.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .i18n import t

# The access-date blanks, per format: site.js replaces each with the reader's date in that form.
# English text reads "6 December 2026", not "06/12/2026" (which an American reads as 12 June).
ACCESS_TOKENS = {"dmy": "dd/mm/yyyy", "iso": "yyyy-mm-dd", "ris": "yyyy/mm/dd", "en": "d Month yyyy"}


def access_token(lang: str) -> str:
    """The access-date blank of a plain citation in a language."""
    return ACCESS_TOKENS["en" if lang == "en" else "dmy"]


@dataclass(frozen=True)
class CiteView:
    """A cite block as the page shows it: four formats and what the browser completes in them."""

    id: str  # element id prefix
    plain: str
    bibtex: str
    ris: str
    csl_json: str
    urls: str  # JSON [[site path, URL relative to the page], ...] to make absolute; "" when absolute already
    paths: tuple[str, ...]  # the site paths a reader without JavaScript completes by hand


@dataclass(frozen=True)
class CiteSource:
    """What a citation names: who wrote it, what it is, where it is."""

    key: str  # BibTeX key / CSL id
    kind: str  # "chart" (a dataset drawn from plans) or "plan" (a plan's page)
    title: str
    author: str  # the issuer of a plan; the publisher of a chart
    publisher: str
    site_name: str
    version: str  # the data version
    sources: str  # the source line: documents and their issuers
    url: str  # the cited page as published (urls.absolute): its site path when the site's address is unknown
    year: str = ""
    issued: str = ""  # the full date (ISO) where it is known: CSL-JSON, RIS and BibTeX give it whole
    more_paths: tuple[str, ...] = ()  # other site paths the texts contain (a download listing the sources)


def cite_view(lang: str, src: CiteSource, cite_id: str, rel_of=None) -> CiteView:
    """The cite block of one page or chart. rel_of(path), the URL of a site path relative to the page,
    is given when the site's address is unknown: the browser then completes src.url and src.more_paths."""
    url = src.url
    accessed = t(lang, "cite_accessed", date=access_token(lang))
    version_words = t(lang, "cite_version", version=src.version)
    year = f" ({src.year})" if src.year else ""
    plain = f"{src.author}{year}. {src.title}. {src.site_name}, {version_words}. {src.sources} {url} ({accessed})."
    if src.author != src.publisher:
        # "Data: X, X" when the publisher is the site itself: the name once.
        where = t(lang, "cite_data_by", publisher=src.publisher)
        if src.site_name != src.publisher:
            where += f", {src.site_name}"
        plain = f"{src.author}{year}. {src.title}. {where}, {version_words}. {src.sources} {url} ({accessed})."
    bibtex = _bibtex(src, url, lang)
    ris = _ris(src, url, lang)
    csl = _csl(src, url, lang)
    paths = (src.url, *src.more_paths) if rel_of else ()
    urls = json.dumps([[p, rel_of(p)] for p in paths], ensure_ascii=False) if rel_of else ""
    return CiteView(cite_id, plain, bibtex, ris, csl, urls, paths)


def _bib_escape(s: str) -> str:
    return s.replace("\\", "").replace("{", "(").replace("}", ")")


def _bibtex(src: CiteSource, url: str, lang: str) -> str:
    e = _bib_escape
    lines = [f"@misc{{{src.key},", f"  title = {{{e(src.title)}}},", f"  author = {{{{{e(src.author)}}}}},"]
    if src.year:
        lines.append(f"  year = {{{src.year}}},")
    if src.issued:
        lines.append(f"  date = {{{src.issued}}},")  # biblatex's full date
    lines += [f"  publisher = {{{e(src.publisher)}}},",
              f"  howpublished = {{{e(src.site_name)}, {e(t(lang, 'cite_version', version=src.version))}}},",
              f"  version = {{{e(src.version)}}},",
              f"  url = {{{e(url)}}},",
              f"  urldate = {{{ACCESS_TOKENS['iso']}}},",
              f"  language = {{{'vietnamese' if lang == 'vi' else 'english'}}},",
              f"  note = {{{e(src.sources)}}}", "}"]
    return "\n".join(lines)


def _ris(src: CiteSource, url: str, lang: str) -> str:
    # RIS: one "TAG  - value" per line, ending with ER; Zotero, Mendeley and EndNote import it.
    one_line = lambda s: " ".join(s.split())  # noqa: E731 - a value must not span lines
    rows = [("TY", "DATA" if src.kind == "chart" else "GOVDOC"), ("TI", src.title), ("AU", src.author)]
    if src.year:
        rows.append(("PY", src.year))
    if src.issued:
        rows.append(("DA", src.issued.replace("-", "/")))
    rows += [("PB", src.publisher), ("DB", src.site_name), ("ET", t(lang, "cite_version", version=src.version)),
             ("UR", url), ("Y2", ACCESS_TOKENS["ris"]), ("LA", lang), ("N1", src.sources), ("ER", "")]
    return "\n".join(f"{tag}  - {one_line(value)}".rstrip() for tag, value in rows)


def _csl(src: CiteSource, url: str, lang: str) -> str:
    item = {"id": src.key, "type": "dataset" if src.kind == "chart" else "legislation", "title": src.title,
            "author": [{"literal": src.author}], "publisher": src.publisher, "container-title": src.site_name,
            "version": src.version, "URL": url, "accessed": {"raw": ACCESS_TOKENS["iso"]}, "language": lang,
            "note": src.sources}
    if src.issued:
        item["issued"] = {"date-parts": [[int(part) for part in src.issued.split("-")]]}
    elif src.year:
        item["issued"] = {"date-parts": [[int(src.year)]]}
    return json.dumps([item], ensure_ascii=False, indent=2)
