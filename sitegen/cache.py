"""A cache of each plan's gathering (read, checked, citations found), for incremental builds.

Reading a plan is the largest part of gathering, and it depends only on the plan's two files,
the lookup tables, the instrument names and the code. The cache keeps, per plan, the result
(pipeline.PlanRead) in a file named by a hash of all of those, in a folder beside the output
folder (`.site.cache/` for `site/`, beside the staging folder: see sitegen.write): not in the site,
so the site stays exactly what a clean build makes. A plan whose files changed gets a new key,
so a stale entry is never read; entries no build used any more are pruned after a build.

The entries are pickles: they are as trusted as the build's own output folder (anyone who can
write there can change the published site anyway).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

from .write import safe_join, write_failure

VERSION = b"1"  # bump when PlanRead's shape changes in a way the code fingerprint would not show

# The modules a plan's reading depends on: a change to any other (pages, templates) keeps the cache.
READ_MODULES = ("cache", "citations", "lineage", "load", "model", "pipeline", "textrender", "textutil", "translation",
                "validate", "validate_scope", "wording")


def read_fingerprint() -> str:
    """A hash of the code that reads, checks and searches a plan (READ_MODULES) and of the versions of
    the parsers it uses (PyYAML, markdown-it-py)."""
    import markdown_it
    import yaml

    here = Path(__file__).resolve().parent
    h = hashlib.blake2b(f"{yaml.__version__} {markdown_it.__version__}".encode(), digest_size=16)
    for name in READ_MODULES:
        h.update(name.encode() + b"\0" + (here / f"{name}.py").read_bytes() + b"\0")
    return h.hexdigest()


class PlanCache:
    """Per-plan results beside the output folder `out`; `salt` is a hash of what every plan shares
    (lookup tables, instrument names, code). `read=False` ignores existing entries (a full build)
    but still writes new ones."""

    def __init__(self, out: Path, salt: str, *, read: bool = True):
        out = Path(out).resolve()
        self.top = out.with_name(f".{out.name}.cache")
        self.root = self.top / "plans"
        self.existed = self.top.exists()
        self.salt = salt.encode()
        self.read = read

    def key(self, *parts: bytes) -> str:
        """The key of a plan made from these bytes (its files' contents)."""
        h = hashlib.blake2b(VERSION + b"\0" + self.salt, digest_size=16)
        for part in parts:
            h.update(len(part).to_bytes(8, "little") + part)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return safe_join(self.root, f"{key[:2]}/{key}.pickle")

    def get(self, key: str):
        """The cached result for `key`, or None."""
        if not self.read:
            return None
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None  # not cached
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - damaged or from another version: read the plan again
            return None

    def put(self, key: str, value) -> bool:
        """Keep `value` under `key` (written whole or not at all: a crash leaves no half file);
        False when it replaced an entry (one that could not be read, or a full build's)."""
        path = self._path(key)
        existed = path.exists()  # and could not be read (damaged): replaced
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise write_failure(tmp, exc) from exc
        return not existed

    def discard(self, keys: set[str]) -> None:
        """Remove these entries (written by a build that then failed); the folder too if that build
        created it."""
        if not self.existed:
            shutil.rmtree(self.top, ignore_errors=True)
            return
        for key in sorted(keys):
            self._path(key).unlink(missing_ok=True)

    def prune(self, used: set[str]) -> int:
        """Delete the entries not in `used` (plans removed or changed); return how many."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for sub in sorted(self.root.iterdir()):
            for f in sorted(sub.iterdir()) if sub.is_dir() else ():
                if f.name.split(".", 1)[0] not in used:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed
