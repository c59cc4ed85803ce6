"""What each kind of file of a built site costs: files, bytes and gzipped bytes by kind, both languages
together.

    python benchmarks/sizes.py site/
    python benchmarks/sizes.py site/ --parts     # also the bytes of each part of a chart inside the pages

The kinds follow the site's URL scheme (sitegen/urls.py); a path no rule claims is counted as
"other", so the table always adds up to the whole output. "gzip" is each file compressed alone at
gzip's default level (what a web server sends when it compresses; PNG cards and the ZIP barely shrink).
"""
from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

# (kind, pattern on the site path with any en/ prefix removed), first match wins.
KINDS: tuple[tuple[str, str], ...] = (
    ("plan lists", r"plans/(index|page-\d+)\.html"),
    ("plan pages", r"plans/[^/]+\.html"),
    ("chart pages", r"charts/[^/]+\.html"),
    ("embeds", r"embed/[^/]+\.html"),
    ("cards", r"cards/.+\.png"),
    ("chart data", r"data/charts/.+"),
    ("per-plan data", r"data/plans/.+"),
    ("sources", r"data/sources/.+"),
    ("ZIP", r"data/.+\.zip"),
    ("data tables CSV", r"data/[^/]+\.csv"),
    ("data tables JSON", r"data/(?!datapackage\.json)[^/]+\.json"),  # the same tables as JSON (issue 19)
    ("legal per province", r"legal/[^/]+/[^/]+\.html"),
    ("legal pages", r"legal/.+\.html"),
    ("province pages", r"provinces/.+\.html"),
    ("category pages", r"categories/.+\.html"),
    ("compare", r"compare(/.+)?\.(html|json)"),  # (compare/<unit>.json until 12/2026)
    ("matrices", r"matrices(/.+)?\.html"),
    ("search index", r"pagefind/.+"),
)
_RULES = [(kind, re.compile(pattern)) for kind, pattern in KINDS]
ORDER = [kind for kind, _ in KINDS] + ["other"]


def kind_of(path: str) -> str:
    """The kind of a site path ("en/plans/x.html" -> "plan pages")."""
    bare = path[3:] if path.startswith("en/") else path
    return next((kind for kind, rule in _RULES if rule.fullmatch(bare)), "other")


def gzipped_size(data: bytes) -> int:
    """The size of data as gzip (level 6) would send it: the deflate stream plus gzip's 18 bytes of frame."""
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return len(z.compress(data)) + len(z.flush()) + 18


def by_kind(site: Path, gzip: bool = True) -> dict[str, dict[str, int]]:
    """kind -> {"files": n, "bytes": n, "gzip": n} for every file under site, in ORDER (kinds with no file
    left out); gzip=False skips compressing (no "gzip")."""
    out: dict[str, dict[str, int]] = {}
    for f in site.rglob("*"):
        if f.is_file():
            slot = out.setdefault(kind_of(f.relative_to(site).as_posix()), {"files": 0, "bytes": 0})
            slot["files"] += 1
            slot["bytes"] += f.stat().st_size
            if gzip:
                slot["gzip"] = slot.get("gzip", 0) + gzipped_size(f.read_bytes())
    return {k: out[k] for k in ORDER if k in out}


def kinds_table(results: list[dict]) -> str:
    """A Markdown table: one row per kind, columns (files, MB, KB per file, MB gzipped when measured) per
    size measured."""
    sizes = [r for r in results if r.get("kinds")]
    kinds = [k for k in ORDER if any(k in r["kinds"] for r in sizes)]
    gz = {id(r): any("gzip" in v for v in r["kinds"].values()) for r in sizes}
    head = "| kind | " + " | ".join(f"files at {r['n']:,} | MB at {r['n']:,} | KB per file"
                                    + (f" | MB gzip at {r['n']:,}" if gz[id(r)] else "") for r in sizes) + " |"
    lines = [head, "|---|" + "".join("---|---|---|" + ("---|" if gz[id(r)] else "") for r in sizes)]
    for kind in kinds + ["total"]:
        cells = []
        for r in sizes:
            slots = list(r["kinds"].values()) if kind == "total" else [r["kinds"].get(kind, {})]
            files, size, packed = (sum(v.get(x, 0) for v in slots) for x in ("files", "bytes", "gzip"))
            cell = f"{files:,} | {size / 1e6:.1f} | {size / 1e3 / files:.1f}" if files else "0 | 0 | —"
            cells.append(cell + (f" | {packed / 1e6:.1f}" if gz[id(r)] else ""))
        lines.append(f"| {'**total**' if kind == 'total' else kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# The parts of a chart inside a page (templates/_partials/chart.html), to see what a page ships twice.
PARTS: tuple[tuple[str, str], ...] = (
    ("figure JSON", r'<script type="application/json" id="chart-[^"]*-data">.*?</script>'),
    ("image JSON", r'<script type="application/json" id="chart-[^"]*-image">.*?</script>'),
    ("static SVG", r'<div class="chart-static".*?</svg></div>'),
    ("table equivalent", r'<details class="chart-table".*?</details>'),
    ("text alternative", r'<p class="visually-hidden" id="chart-[^"]*-desc">.*?</p>'),
)
_PARTS = [(name, re.compile(pattern.encode(), re.S)) for name, pattern in PARTS]


def chart_parts(site: Path) -> dict[str, dict[str, int]]:
    """part -> {"charts": n, "bytes": n, "gzip": n} over every HTML page under site ("gzip": each part
    compressed alone, an upper bound of what it adds to its page gzipped)."""
    out = {name: {"charts": 0, "bytes": 0, "gzip": 0} for name, _ in _PARTS}
    for f in site.rglob("*.html"):
        data = f.read_bytes()
        if b'class="chart"' not in data:
            continue
        for name, rule in _PARTS:
            for m in rule.finditer(data):
                slot = out[name]
                slot["charts"] += 1
                slot["bytes"] += len(m.group())
                slot["gzip"] += gzipped_size(m.group())
    return out


def parts_table(parts: dict[str, dict[str, int]]) -> str:
    """A Markdown table of chart_parts: charts, MB, MB gzipped (each part alone)."""
    lines = ["| part of a chart in the pages | charts | MB | MB gzip (each alone) |", "|---|---|---|---|"]
    lines += [f"| {name} | {v['charts']:,} | {v['bytes'] / 1e6:.2f} | {v['gzip'] / 1e6:.2f} |" for name, v in parts.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--parts"]
    site = Path(args[0] if args else "site")
    print(kinds_table([{"n": 0, "kinds": by_kind(site)}]).replace("at 0", ""))
    if "--parts" in sys.argv[1:]:
        print()
        print(parts_table(chart_parts(site)))
