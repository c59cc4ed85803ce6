"""Stage 5c, render: page contexts through jinja2 templates (autoescape on) into bytes."""
from __future__ import annotations

from pathlib import Path

import jinja2

from .pages import Page

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ASSETS = Path(__file__).resolve().parent / "assets"
# Static files: site path -> file under sitegen/assets/.
STATIC = {
    "assets/style.css": "style.css",
    "assets/print.css": "print.css",
    "assets/site.js": "site.js",
    "assets/charts.js": "charts.js",
    "assets/search.js": "search.js",
    "assets/plotly-basic.min.js": "vendor/plotly-basic.min.js",
    "assets/plotly-LICENSE.txt": "vendor/plotly-LICENSE.txt",
}


def environment() -> jinja2.Environment:
    """The jinja2 environment: autoescape everywhere, undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """One page's HTML bytes."""
    return env.get_template(page.template).render(base=page.base, page=page.page, s=page.base.s).encode("utf-8")


def fingerprint() -> str:
    """A hash of everything besides the corpus that a page's bytes depend on: the code of sitegen,
    its UI strings and assets, and the templates. Part of every page's input key, so that any
    change to them rebuilds every page."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    files = sorted([*here.rglob("*.py"), *here.rglob("*.yaml"), *ASSETS.rglob("*"), *TEMPLATES.rglob("*")])
    for f in files:
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(here.parent)).encode() + b"\0" + f.read_bytes() + b"\0")
    import markdown_it

    h.update(jinja2.__version__.encode() + markdown_it.__version__.encode())
    return h.hexdigest()


def static_files() -> dict[str, bytes]:
    """The site's own CSS, JS and the vendored plotly bundle."""
    return {path: (ASSETS / name).read_bytes() for path, name in STATIC.items()}
