"""Stage 11, search: the Pagefind index of the staged site (Pagefind reads the built HTML).

Run after every page is staged and before the swap, holding the output folder's lock.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from . import urls
from .write import OutputError, held_locks, write_failure


def search_glob(site: Path) -> str:
    """The Pagefind glob of the site's files that may be searchable pages (urls.searchable, asked of
    each folder of the site and of its English edition at two depths): the folders of pages left out
    are not even read (Pagefind parsed every page to find the marked ones: a third of its time and a
    quarter of its memory at 1,000 plans). The top level's pages are all read; its unmarked ones
    (compare, matrices) are skipped by Pagefind."""
    parts = []
    for prefix in ("", "en/"):
        parts.append(f"{prefix}*.html")
        top = site / prefix if prefix else site
        folders = sorted(d.name for d in top.iterdir() if d.is_dir()) if top.is_dir() else []
        for name in folders:
            if not prefix and name in ("en", urls.PAGEFIND):
                continue
            one, deeper = urls.searchable(f"{name}/x.html"), urls.searchable(f"{name}/x/y.html")
            if one and deeper:
                parts.append(f"{prefix}{name}/**/*.html")
            elif one:
                parts.append(f"{prefix}{name}/*.html")
            elif deeper:
                parts.append(f"{prefix}{name}/*/**/*.html")
    return "{" + ",".join(parts) + "}"


def index_search(staging: Path) -> None:
    """Build the Pagefind search index into the staged site (before it is swapped in)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-subdir", "pagefind",
           "--glob", search_glob(staging), "--quiet"]
    # It holds the output folder's lock too: were this build killed, the next one would wait for it.
    result = subprocess.run(cmd, capture_output=True, text=True, pass_fds=held_locks())
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    # Pagefind lists the index's languages in no fixed order: sort them so builds are identical.
    entry = staging / "pagefind" / "pagefind-entry.json"
    if entry.exists():
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except ValueError:
            # Pagefind exits 0 when the disk fills up under it, leaving this file empty or cut short.
            raise OutputError(f"cannot write the search index: {entry} is incomplete (is the disk full? "
                              "free some space, or build with --no-search)") from None
        try:
            entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
                             encoding="utf-8")
        except OSError as exc:
            raise write_failure(entry, exc) from exc
