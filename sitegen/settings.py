"""corpus/site.yaml, the site's settings: who publishes the site, where, under which licence.

check_site_url is the one rule for the site's address, whether it comes from site.yaml's
`site_url` or from `build.py --base-url`: an absolute http(s) URL.
"""
from __future__ import annotations

import re

from .model import Problem, SiteSettings


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _where(field: str, line: int | None) -> str:
    return f"line {line} (field {field})" if line else f"field {field}"


def _line(mapping, key) -> int | None:
    lines = getattr(mapping, "lines", None)
    return lines.get(key) if isinstance(lines, dict) else getattr(mapping, "line", None)


def check_site_url(url: str) -> str:
    """Why `url` cannot be the address the site is published at ("" when it can): it must be an
    absolute http(s) URL with a host, and nothing that would break out of an attribute or a citation."""
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url:
        return "is empty: give the absolute address the site is published at, e.g. https://example.org/kehoach/"
    if any(c.isspace() or c in "\"'<>`{}|\\^" or ord(c) < 32 for c in url):
        return (f"{_short(url)!r} contains a space, a quote, <, >, a backslash or a control character: "
                "give a plain absolute URL such as https://example.org/kehoach/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.netloc.startswith("@"):
        return (f"{_short(url)!r} is not an absolute http(s) URL: it must start with https:// (or http://) "
                "and a host name, e.g. https://example.org/kehoach/")
    if parts.query or parts.fragment or "@" in parts.netloc:
        return (f"{_short(url)!r} has a query (?), a fragment (#) or a user name (@): give only the "
                "scheme, host and folder, e.g. https://example.org/kehoach/")
    return ""


SITE_FIELDS = ("name", "site_url", "publisher", "licence", "contact")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


def validate_site(data: dict | None, shown: str) -> tuple[SiteSettings, list[Problem]]:
    """corpus/site.yaml as SiteSettings (the defaults when the file is absent), with its problems."""
    problems: list[Problem] = []
    if data is None:
        return SiteSettings(), problems

    def err(key: str, message: str, mapping=data) -> None:
        problems.append(Problem("error", shown, _where(key, _line(mapping, key.split(".")[-1])), message))

    for key in data:
        if key not in SITE_FIELDS:
            err(str(key), f"is not a setting: the settings are {', '.join(SITE_FIELDS)} (see corpus/README.md).")
    values: dict[str, str] = {}
    for key in ("name", "publisher"):
        entry = data.get(key)
        if not isinstance(entry, dict) or set(entry) != {"vi", "en"}:
            err(key, "must have exactly two fields, `vi:` and `en:`, the text in Vietnamese and in English.")
            continue
        for lang in ("vi", "en"):
            text = entry[lang]
            if not isinstance(text, str) or not text.strip() or len(text) > 120:
                err(f"{key}.{lang}", "must be a text of 1 to 120 characters.", entry)
            else:
                values[f"{key}_{lang}"] = text.strip()
    url = data.get("site_url")
    if url not in (None, ""):
        why = check_site_url(url) if isinstance(url, str) else "must be a text (an absolute http(s) URL) or empty."
        if why:
            err("site_url", why + " Leave it empty to publish with relative links.")
        else:
            values["site_url"] = url.rstrip("/") + "/"
    licence = data.get("licence")
    if not isinstance(licence, dict) or set(licence) != {"id", "title", "url"}:
        err("licence", "must have exactly three fields: `id:` (an SPDX id such as CC-BY-4.0), `title:` and `url:`.")
    else:
        for key in ("id", "title"):
            if not isinstance(licence[key], str) or not licence[key].strip():
                err(f"licence.{key}", "must be a non-empty text.", licence)
        why = check_site_url(licence["url"]) if isinstance(licence["url"], str) else "must be a URL."
        if why:
            err("licence.url", why, licence)
        if not problems:
            values.update(licence_id=licence["id"].strip(), licence_title=licence["title"].strip(),
                          licence_url=licence["url"])
    contact = data.get("contact")
    if contact not in (None, ""):
        if isinstance(contact, str) and (EMAIL.match(contact) or not check_site_url(contact)):
            values["contact"] = contact
        else:
            err("contact", "must be an e-mail address (name@example.org) or an absolute http(s) URL, or empty.")
    if problems:
        return SiteSettings(), problems
    return SiteSettings(**values), problems
