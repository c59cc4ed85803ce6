"""What each kind of file of a built site costs: files and bytes by kind, both languages together.

    python benchmarks/sizes.py site/

The kinds follow the site's URL scheme (sitegen/urls.py); a path no rule claims is counted as
"other", so the table always adds up to the whole output.
"""
from __future__ import annotations

import re
import sys
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
    ("data tables", r"data/[^/]+\.(csv|json)"),
    ("legal per province", r"legal/[^/]+/[^/]+\.html"),
    ("legal pages", r"legal/.+\.html"),
    ("province pages", r"provinces/.+\.html"),
    ("category pages", r"categories/.+\.html"),
    ("compare", r"compare(/.+)?\.(html|json)"),
    ("matrices", r"matrices(/.+)?\.html"),
    ("search index", r"pagefind/.+"),
)
_RULES = [(kind, re.compile(pattern)) for kind, pattern in KINDS]
ORDER = [kind for kind, _ in KINDS] + ["other"]


def kind_of(path: str) -> str:
    """The kind of a site path ("en/plans/x.html" -> "plan pages")."""
    bare = path[3:] if path.startswith("en/") else path
    return next((kind for kind, rule in _RULES if rule.fullmatch(bare)), "other")


def by_kind(site: Path) -> dict[str, dict[str, int]]:
    """kind -> {"files": n, "bytes": n} for every file under site, in ORDER (kinds with no file left out)."""
    out: dict[str, dict[str, int]] = {}
    for f in site.rglob("*"):
        if f.is_file():
            slot = out.setdefault(kind_of(f.relative_to(site).as_posix()), {"files": 0, "bytes": 0})
            slot["files"] += 1
            slot["bytes"] += f.stat().st_size
    return {k: out[k] for k in ORDER if k in out}


def kinds_table(results: list[dict]) -> str:
    """A Markdown table: one row per kind, a column pair (files, MB) per size measured."""
    sizes = [r for r in results if r.get("kinds")]
    kinds = [k for k in ORDER if any(k in r["kinds"] for r in sizes)]
    head = "| kind | " + " | ".join(f"files at {r['n']:,} | MB at {r['n']:,} | KB per file" for r in sizes) + " |"
    lines = [head, "|---|" + "---|---|---|" * len(sizes)]
    for kind in kinds + ["total"]:
        cells = []
        for r in sizes:
            if kind == "total":
                files, size = (sum(v[x] for v in r["kinds"].values()) for x in ("files", "bytes"))
            else:
                files, size = r["kinds"].get(kind, {}).get("files", 0), r["kinds"].get(kind, {}).get("bytes", 0)
            cells.append(f"{files:,} | {size / 1e6:.1f} | {size / 1e3 / files:.1f}" if files else "0 | 0 | —")
        lines.append(f"| {'**total**' if kind == 'total' else kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    print(kinds_table([{"n": 0, "kinds": by_kind(site)}]).replace("at 0", ""))
