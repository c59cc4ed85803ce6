"""Stage 5c, render: page contexts through jinja2 templates (autoescape on) into bytes."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .deps import template_folders
from .pages import Page
from .wording import VI_LETTERS, runs

ASSETS = Path(__file__).resolve().parent / "assets"
# Static files: site path -> file under sitegen/assets/.
STATIC = {
    "assets/style.css": "style.css",
    "assets/print.css": "print.css",
    "assets/site.js": "site.js",
    "assets/charts.js": "charts.js",
    "assets/search.js": "search.js",
    "assets/compare.js": "compare.js",
    "assets/plotly-basic.min.js": "vendor/plotly-basic.min.js",
    "assets/plotly-LICENSE.txt": "vendor/plotly-LICENSE.txt",
}


def environment(templates: Path | None = None) -> jinja2.Environment:
    """The jinja2 environment: autoescape everywhere, undefined names are errors. templates: a
    folder whose files override the default templates of the same name (SiteOptions.templates)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in template_folders(templates)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["vi"] = vi_filter
    env.filters["mixed"] = mixed_filter
    return env


# On an English page, Vietnamese data is marked lang="vi" (WCAG 3.1.2) so that a screen reader
# reads it with Vietnamese rules. `|vi` marks a value that is Vietnamese as a whole (a name, a
# title, a label with no English gloss); `|mixed` marks the Vietnamese words inside English text
# (a note that quotes the plan). On a Vietnamese page both leave the text as it is.

@jinja2.pass_context
def vi_filter(ctx, value) -> Markup | str:
    """The value in <span lang="vi"> on an English page when it has a Vietnamese letter."""
    text = "" if value is None else str(value)
    if ctx["base"].lang == "vi" or not any(c in VI_LETTERS for c in text):
        return text
    return _vi_span(text)


@lru_cache(maxsize=1 << 14)
def _vi_span(text: str) -> Markup:
    return Markup('<span lang="vi">{}</span>').format(text)


@jinja2.pass_context
def mixed_filter(ctx, value) -> Markup:
    """The value with its runs of Vietnamese words in <span lang="vi"> on an English page."""
    text = "" if value is None else str(value)
    if ctx["base"].lang == "vi":
        return escape(text)  # one run: the text as it is (profiled: a million calls a build)
    return _mixed(text, ctx["base"].lang)


# The same labels and notes recur on many pages (memoised: the result is immutable).
@lru_cache(maxsize=1 << 14)
def _mixed(text: str, lang: str) -> Markup:
    out = Markup()
    for r in runs(text, lang):
        out += Markup('<span lang="{}">{}</span>').format(r.lang, r.text) if r.lang else escape(r.text)
    return out


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """One page's HTML bytes."""
    return env.get_template(page.template).render(base=page.base, page=page.page, s=page.base.s).encode("utf-8")


def static_files() -> dict[str, bytes]:
    """The site's own CSS, JS and the vendored plotly bundle."""
    return {path: (ASSETS / name).read_bytes() for path, name in STATIC.items()}
