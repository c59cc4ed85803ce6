"""Stage 6, write: the one place that touches the output folder.

Everything is written to a staging folder beside `site/`, which replaces
`site/` in one rename at the end: a failed build leaves the previous site as it was.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A page path that would write outside the output folder."""


def safe_join(root: Path, rel: str) -> Path:
    """Join a site-relative path to root, refusing anything that could leave root."""
    if not rel or "\x00" in rel or "\\" in rel:
        raise UnsafePath(f"refusing to write {rel!r}: empty, NUL or backslash in the path")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in pure.parts):
        raise UnsafePath(f"refusing to write {rel!r}: the path must stay inside the site folder")
    target = (root / Path(*pure.parts)).resolve()
    base = root.resolve()
    if base not in target.parents:
        raise UnsafePath(f"refusing to write {rel!r}: it resolves outside {root}")
    return target


def write_site(out: Path, files: dict[str, bytes], finish=None) -> int:
    """Write all files into a fresh staging folder, then swap it in for `out`; return bytes written.

    `finish(staging)` runs on the complete staged site before the swap (the search index).
    """
    out = out.resolve()
    staging = out.with_name(f".{out.name}.staging")
    previous = out.with_name(f".{out.name}.previous")
    for leftover in (staging, previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    total = 0
    try:
        staging.mkdir(parents=True)
        for rel in sorted(files):
            target = safe_join(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
            total += len(files[rel])
        if finish is not None:
            finish(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        os.replace(out, previous)
    os.replace(staging, out)
    shutil.rmtree(previous, ignore_errors=True)
    return total
