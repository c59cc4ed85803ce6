"""Stage 5c, render: page contexts through jinja2 templates (autoescape on) into bytes."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .deps import source_hash, template_folders
from .i18n import LANGS, t
from .pages import Page
from .wording import VI_LETTERS, runs

ASSETS = Path(__file__).resolve().parent / "assets"
# Static files: site path -> file under sitegen/assets/.
STYLE = "assets/style.css"
STATIC = {
    STYLE: "style.css",
    "assets/print.css": "print.css",
    "assets/site.js": "site.js",
    "assets/charts.js": "charts.js",
    "assets/search.js": "search.js",
    "assets/compare.js": "compare.js",
    "assets/plotly-basic.min.js": "vendor/plotly-basic.min.js",
    "assets/plotly-LICENSE.txt": "vendor/plotly-LICENSE.txt",
}


def environment(templates: Path | None = None, compiled: Path | None = None) -> jinja2.Environment:
    """The jinja2 environment: autoescape everywhere, undefined names are errors. templates: a
    folder whose files override the default templates of the same name (SiteOptions.templates);
    compiled: a folder keeping each template's compiled code for the next build (JobRecords.compiled)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in template_folders(templates)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: its templates cannot change during it. Without this, every
        # get_template (each include, per target of a plan page) stats the template's file.
        auto_reload=False,
        # Compiling the templates a rebuild renders was a tenth of it (0.2 s at 1,000 plans): their code is
        # kept, checked against each template's source (jinja2 recompiles a template whose source differs).
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
    )
    env.filters["vi"] = vi_filter
    env.filters["mixed"] = mixed_filter
    return env


# On an English page, Vietnamese data is marked lang="vi" (WCAG 3.1.2) so that a screen reader
# reads it with Vietnamese rules. `|vi` marks a value that is Vietnamese as a whole (a name, a
# title, a label with no English gloss); `|mixed` marks the Vietnamese words inside English text
# (a note that quotes the plan). On a Vietnamese page both leave the text as it is.

def environment_tag() -> str:
    """What the templates' compiled code depends on besides their sources (this module's settings of the
    environment, jinja2's version): the name of the folder keeping it (JobRecords.compiled)."""
    return f"{jinja2.__version__}-{source_hash(Path(__file__))[:16]}"


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


# On a phone, the rows of these tables become cards, each cell named by its column (style.css). The
# names are written once, as CSS rules appended to style.css in each language, instead of a data-label
# on every cell of every row: (the rows of a kind of table, the strings.yaml key of each of their cells
# in order, None for a cell without a name).
CELL_LABELS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("table.targets.by-plan > tbody > tr", ("col_plan", "col_subject", "col_value", "col_direction", "col_deadline",
                                            "col_quote")),
    ("table.targets:not(.by-plan) > tbody > tr", ("col_category", "col_subject", "col_value", "col_direction",
                                                  "col_deadline", "col_quote")),
    ("table.compare-table > tbody > tr.target", ("col_province", "col_year", "col_plan", "col_category",
                                                 "col_subject_written", "col_value", "col_deadline",
                                                 "compare_col_comparability", "col_quote")),
    ("table.compare-table > tbody > tr.part", (None, "col_subject_written", "col_value", "col_deadline",
                                               "compare_col_comparability", "col_quote")),
    ("table.sides > tbody > tr", ("col_category", "col_subject_written", "col_value", "col_deadline")),
)


def _css_string(text: str) -> str:
    """text as a CSS string literal (quotes, backslashes and line ends escaped)."""
    return '"' + "".join("\\" + c if c in '"\\' else "\\a " if c == "\n" else c for c in text) + '"'


def cell_label_css() -> str:
    """The CSS naming each cell of a phone's table cards (CELL_LABELS), in every language."""
    lines = ["", "/* Generated by the build (sitegen/render.py, CELL_LABELS, from strings.yaml): the name of each",
             "   cell of a table shown as cards on a phone. */", "@media (max-width: 40rem) {"]
    for lang in LANGS:
        for rows, keys in CELL_LABELS:
            for n, key in enumerate(keys, 1):
                if key is not None:
                    lines.append(f'  html[lang="{lang}"] {rows} > :nth-child({n})::before {{ content: '
                                 f'{_css_string(t(lang, key))}; }}')
    return "\n".join(lines) + "\n}\n"


def static_files() -> dict[str, bytes]:
    """The site's own CSS (with its generated cell names), JS and the vendored plotly bundle."""
    out = {path: (ASSETS / name).read_bytes() for path, name in STATIC.items()}
    out[STYLE] += cell_label_css().encode("utf-8")
    return out
