"""The build's options, chosen by whoever runs the build (build.py), passed down to every stage that
needs them: never module globals, so that a test sets them by passing its own."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SiteOptions:
    """How to build the site (not what it shows: that is the corpus)."""

    # Absolute URL the site is published at, for citations, permalinks and the sitemap ("" = relative).
    base_url: str = ""
    # Build the Pagefind search index.
    search: bool = True
    # Above this many plans, pages that list every plan are split into a page per province: the
    # matrices (one column per plan), the category and instrument pages (one row per target or
    # citing plan), and the home page, plan list and methodology sum up instead of listing.
    split_max_plans: int = 60
    # Above split_max_plans plans, the plan list is cut into pages of this many rows.
    plan_list_page_size: int = 500
    # Above split_max_plans plans, a province page sets this many pairs of successive plans side by
    # side, the latest (each pair repeats both plans' targets and quotes; every plan has its page).
    province_pairs_max: int = 5
    # A folder of templates overriding the default ones (templates/) by name, like a theme: a file
    # there is used instead of the default of the same name (a partial too: "_partials/x.html"), the
    # others are the defaults. None = the defaults only.
    templates: Path | None = None

    def split(self, n_plans: int) -> bool:
        """Whether a corpus of n_plans plans gets the split site design."""
        return n_plans > self.split_max_plans


def check_templates(folder: Path | None) -> str:
    """What is wrong with a templates folder option ("" when it is fine or not given)."""
    if folder is None:
        return ""
    if not Path(folder).is_dir():
        return f"{str(folder)!r} is not a folder: give a folder of templates overriding the default ones by name"
    return ""


_URL_UNSAFE = frozenset("\\\"'<>`{}|^")


def check_base_url(url: str) -> str:
    """What is wrong with a site's base URL ("" when it is fine or not given): the one check of every
    published absolute URL (the --base-url option, and any setting that gives the same thing).

    It lands in canonical links, the sitemap, citations and the embed code's <iframe src>: only an
    absolute http(s) URL of a host, with nothing that could change what those mean, is accepted."""
    if not url:
        return ""
    fix = "give the absolute http(s) address the site is published at, e.g. https://example.org/ke-hoach/"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return f"{url!r} is not a valid URL: {fix}."
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"the scheme {parts.scheme + ':'!r}" if parts.scheme else "no scheme (http:// or https://)"
        return f"{url!r} has {shown}; only http and https are allowed: {fix}."
    if any(c in _URL_UNSAFE or ord(c) < 0x21 or 0x7f <= ord(c) <= 0x9f or unicodedata.category(c) == "Cf"
           for c in url):
        return f"{url!r} contains a space, quote, angle bracket, backslash or control character: {fix}."
    if not parts.hostname or not url.lower().startswith(parts.scheme.lower() + "://"):
        return f"{url!r} names no host: {fix}."
    if parts.username is not None or parts.password is not None:
        return f"{url!r} contains a user name or password, which would be published on every page: {fix}."
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return f"{url!r} has a query (?) or fragment (#), which page paths cannot follow: {fix}."
    return ""
