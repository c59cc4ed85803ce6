"""Stage 11, search: the Pagefind index of the staged site (Pagefind reads the built HTML).

Run after every page is staged and before the swap, holding the output folder's lock.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .write import OutputError, held_locks, write_failure


def index_search(staging: Path) -> None:
    """Build the Pagefind search index into the staged site (before it is swapped in)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-subdir", "pagefind", "--quiet"]
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
