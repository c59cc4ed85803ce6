"""Every path and anchor of the site, in one place, and the only place the base URL is joined.

Paths are site-relative POSIX paths ("plans/x.html"); a page links to another with rel(), and
a permalink (a URL copied elsewhere: citations, the sitemap) is made with absolute(). Pages,
the data export and the release files all ask here, so that a link and the file it points to
cannot disagree.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache

from .textutil import slugify

# The site's top-level pages, in the order of the navigation bar: (UI string key, path).
NAV = (("home", "index.html"), ("plans", "plans/index.html"), ("provinces", "provinces/index.html"),
       ("categories", "categories/index.html"), ("legal", "legal/index.html"), ("matrices", "matrices.html"),
       ("compare", "compare.html"), ("data", "data.html"), ("methodology", "methodology.html"),
       ("search", "search.html"))
HOME = "index.html"
PLAN_LIST = "plans/index.html"
PROVINCE_LIST = "provinces/index.html"
CATEGORY_LIST = "categories/index.html"
LEGAL_INDEX = "legal/index.html"
MATRICES = "matrices.html"
DATA_PAGE = "data.html"
METHODOLOGY = "methodology.html"
COMPARE = "compare.html"
SEARCH = "search.html"

# Assets and the search bundle.
STYLE = "assets/style.css"
PRINT_STYLE = "assets/print.css"
SITE_JS = "assets/site.js"
# charts.js loads the chart library (assets/plotly-basic.min.js) itself, after the page: see chartsvg.py.
CHART_SCRIPTS = ("assets/charts.js",)
CHART_LIBRARY = "assets/plotly-basic.min.js"
SEARCH_SCRIPTS = ("pagefind/pagefind-ui.js", "assets/search.js")
COMPARE_SCRIPTS = ("assets/compare.js",)
PAGEFIND = "pagefind"
PAGEFIND_CSS = "pagefind/pagefind-ui.css"
SITEMAP = "sitemap.xml"

# Anchors of a matrix's rows by the kind of row.
MATRIX_ROW_KINDS = {"agencies": "agency", "themes": "theme", "commitments": "commitment"}


# ---------------------------------------------------------------- joining


def lang_path(lang: str, path: str) -> str:
    """The site path of a page in a language: Vietnamese at the root, English under en/."""
    return path if lang == "vi" else f"en/{path}"


def absolute(base_url: str, path: str) -> str:
    """The URL of a site path as published: under the base URL when there is one, else the path itself."""
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


def rel(from_path: str, to_path: str) -> str:
    """A relative URL from one page to another site path (keeps #fragments)."""
    target, _, frag = to_path.partition("#")
    # rpartition is posixpath.dirname/basename for the site's own paths, at a fraction of the cost.
    folder, _, name = from_path.rpartition("/")
    if frag and target == from_path:  # a link within the page: the fragment alone
        return f"#{frag}"
    url = _relpath(target, folder) if target else name
    return url + (f"#{frag}" if frag else "")


@lru_cache(maxsize=1 << 16)
def _relpath(target: str, base: str) -> str:
    """posixpath.relpath(target, base or ".") for the site's own clean relative paths, without its
    os.getcwd() call per link (profiled: the most frequent call of the context stage)."""
    if not base or target.startswith("/") or "/." in f"/{target}" or "/." in f"/{base}" or "//" in target:
        return posixpath.relpath(target, base or ".")
    t_parts, b_parts = target.split("/"), base.split("/")
    n = 0
    while n < len(t_parts) and n < len(b_parts) and t_parts[n] == b_parts[n]:
        n += 1
    return "/".join([".."] * (len(b_parts) - n) + t_parts[n:]) or "."


# ---------------------------------------------------------------- pages


def plan_path(plan_id: str) -> str:
    """Site path of a plan page."""
    return f"plans/{plan_id}.html"


def plan_list_path(number: int) -> str:
    """Site path of a page of the plan list: plans/index.html, then plans/page-2.html, ..."""
    return PLAN_LIST if number == 1 else f"plans/page-{number}.html"


def is_plan_list_name(name: str) -> bool:
    """Whether plans/<name>.html is a page of the plan list (index, page-2 ...): no plan may have that id."""
    return name == "index" or (name.startswith("page-") and name[5:].isdigit() and name[5:].isascii())


def province_path(province: str) -> str:
    """Site path of a province page."""
    return f"provinces/{slugify(province)}.html"


def category_path(cat: str) -> str:
    """Site path of a category page."""
    return f"categories/{cat.replace('_', '-')}.html"


def category_province_path(cat: str, unit: str) -> str:
    """Site path of a category page restricted to one provincial unit's plans (when category pages are
    split), keyed by the unit's id (corpus/provinces.yaml), as province pages are."""
    return f"categories/{cat.replace('_', '-')}/{unit}.html"


COMPARE_UNITS = "compare/"  # one compare table per provincial unit, on a split site (also the compare page's data)


def compare_unit_path(unit: str) -> str:
    """Site path of the compare table of one provincial unit's plans (on a split site)."""
    return f"{COMPARE_UNITS}{unit}.html"


def instrument_path(legal_id: str) -> str:
    """Site path of a legal instrument page."""
    return f"legal/{legal_id}.html"


def instrument_province_path(legal_id: str, unit: str) -> str:
    """Site path of an instrument page restricted to one provincial unit's plans (when instrument pages
    are split), keyed by the unit's id."""
    return f"legal/{legal_id}/{unit}.html"


def matrices_path(unit: str | None = None) -> str:
    """Site path of the matrices page, or of one provincial unit's (when the matrices are split)."""
    return MATRICES if unit is None else f"matrices/{unit}.html"


def chart_path(chart_id: str) -> str:
    """Site path of a chart's permalink page."""
    return f"charts/{chart_id}.html"


def searchable(path: str) -> bool:
    """Whether the search index holds the page at (language-free) `path`. Not the chart pages, the
    compare tables, the matrices and the parts of an instrument page by province: they repeat what
    the category, plan and instrument pages say (search listed each chart beside its category page,
    every compare table for any province's name), and were three fifths of Pagefind's pages, time
    and memory at 1,000 plans (benchmarks/results.md, Notes). The old embed pages are redirects."""
    return not (path.startswith(("charts/", COMPARE_UNITS, "matrices/", EMBEDS)) or path in (COMPARE, MATRICES)
                or (path.startswith("legal/") and path.count("/") == 2))


EMBEDS = "embed/"  # the folder of the old embed pages' redirects (left out of the sitemap)
EMBED_FRAGMENT = "embed"  # a chart page opened at #embed shows the chart alone (style.css): the embed


def embed_path(chart_id: str) -> str:
    """Site path of the redirect left where a chart's embed page was (embed codes copied before it
    merged into the chart page still work)."""
    return f"{EMBEDS}{chart_id}.html"


def embed_url(chart_id: str) -> str:
    """Site path and fragment of a chart's embed: its own page, shown as the chart alone."""
    return f"{chart_path(chart_id)}#{EMBED_FRAGMENT}"


# ---------------------------------------------------------------- anchors


def quote_anchor(target_id: str) -> str:
    """The default anchor of a target's quote in its plan's text (textrender may give another)."""
    return f"q-{target_id}"


def target_anchor(target_id: str) -> str:
    """The anchor of a target's row in a table."""
    return f"target-{target_id}"


def group_anchor(group_key: str) -> str:
    """The anchor of a comparability group's section on a category page."""
    return f"g-{group_key}"


def matrix_row_anchor(matrix: str, key: str) -> str:
    """The anchor of a row of a matrix ("agencies", "themes", "commitments"): 'agency-police'."""
    return f"{MATRIX_ROW_KINDS[matrix]}-{key}"


# ---------------------------------------------------------------- data files


DATA = "data/"
PLAN_DATA = "data/plans/"  # each plan's own JSON record
CHART_DATA = "data/charts/"  # each chart's data as drawn


def data_path(name: str) -> str:
    """Site path of a file of the data folder: data_path('plans.csv') is 'data/plans.csv'."""
    return f"{DATA}{name}"


def in_data(site_path: str) -> str:
    """A data file's path inside the data folder (as the data package and the ZIP name it)."""
    if not site_path.startswith(DATA):
        raise ValueError(f"{site_path} is not in the data folder")
    return site_path[len(DATA):]


def table_csv_path(table: str) -> str:
    """Site path of a download table's CSV."""
    return data_path(f"{table}.csv")


def table_json_path(table: str) -> str:
    """Site path of a download table's JSON."""
    return data_path(f"{table}.json")


def plan_json_path(plan_id: str) -> str:
    """Site path of one plan's JSON record."""
    return f"{PLAN_DATA}{plan_id}.json"


def source_path(source_file: str) -> str:
    """Site path of a source document (the corpus path's file name, under data/sources/)."""
    return data_path(f"sources/{source_file.rsplit('/', 1)[-1]}")


def chart_csv_path(chart_id: str, lang: str) -> str:
    """Site path of the CSV of a chart's data as drawn in one language."""
    return f"{CHART_DATA}{chart_id}.csv" if lang == "vi" else f"{CHART_DATA}{chart_id}.en.csv"


def release_zip_path(version: str) -> str:
    """Site path of the data release ZIP of a data version."""
    return data_path(f"ke-hoach-so-sanh-data-{version}.zip")


CHANGELOG = data_path("CHANGELOG.md")
DATAPACKAGE = data_path("datapackage.json")
DATA_README = data_path("README.md")
DATA_LICENCE = data_path("LICENSE.txt")
