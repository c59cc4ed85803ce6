"""A cache of each plan's gathering (read, checked, citations found), for incremental builds; and
the build database (JobRecords), which keeps each page job's record (the pages it made and the
charts it drew: see pipeline).

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
import re
import shutil
import sqlite3
from pathlib import Path

from .deps import code_digest
from .write import OutputError, safe_join, write_failure

_HEX = re.compile(r"[0-9a-f]{8,128}")
VERSION = b"1"
KEPT = "kept.txt"  # the keys the last successful build kept (see PlanCache.prune)
DIRTY = "dirty"  # written before a build's first entry, removed by its prune (or its discard)  # bump when PlanRead's shape changes in a way the code fingerprint would not show


def read_fingerprint() -> str:
    """A digest of the code that reads, checks and searches a plan (sitegen.reading and every module
    it imports, derived from the imports: sitegen.deps) and of this module (the cache's format), and
    of the versions of the parsers it uses (PyYAML, markdown-it-py). A change to other code (pages,
    templates) keeps the cache."""
    import yaml

    return hashlib.blake2b(f"{yaml.__version__} {code_digest('sitegen.reading', 'sitegen.cache')}".encode(),
                           digest_size=16).hexdigest()


class PlanCache:
    """Per-plan results beside the output folder `out`; `salt` is a hash of what every plan shares
    (lookup tables, instrument names, code). `read=False` ignores existing entries (a full build)
    but still writes new ones."""

    def __init__(self, out: Path, salt: str, *, read: bool = True, folder: str = "plans"):
        out = Path(out).resolve()
        self.top = out.with_name(f".{out.name}.cache")
        self.root = self.top / folder
        self.existed = self.top.exists()
        self.salt = salt.encode()
        self.read = read
        # Pruning without listing the folder (prune): the keys the last successful build kept, unless
        # a build wrote entries since and did not finish (its mark, DIRTY, is still there).
        self._dirty_at_start = (self.root / DIRTY).exists()
        self._kept = None if self._dirty_at_start else self._read_kept()
        self._marked = False

    def _read_kept(self) -> set[str] | None:
        try:
            return set((self.root / KEPT).read_text(encoding="ascii").split())
        except (OSError, ValueError):
            return None

    def key(self, *parts: bytes) -> str:
        """The key of a plan made from these bytes (its files' contents)."""
        h = hashlib.blake2b(VERSION + b"\0" + self.salt, digest_size=16)
        for part in parts:
            h.update(len(part).to_bytes(8, "little") + part)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        if _HEX.fullmatch(key):
            # A digest cannot leave the folder: no need for safe_join's checks (which resolve every
            # path: a system call per part, for every job's record of an incremental build).
            return self.root / key[:2] / f"{key}.pickle"
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
        if not self._marked:  # entries that no list names: until a prune, the folder must be listed
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                (self.root / DIRTY).touch()
            except OSError as exc:
                raise write_failure(self.root / DIRTY, exc) from exc
            self._marked = True
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
        if not self._dirty_at_start:
            (self.root / DIRTY).unlink(missing_ok=True)  # what was there before this build, no more

    def prune(self, used: set[str]) -> int:
        """Delete the entries not in `used` (plans removed or changed); return how many."""
        removed = 0
        if not self.root.is_dir():
            return 0
        if self._kept is not None:
            # Every entry is one the last build kept or one this build used: no need to list them.
            for key in sorted(self._kept - used):
                try:
                    self._path(key).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        else:
            for sub in sorted(self.root.iterdir()):
                for f in sorted(sub.iterdir()) if sub.is_dir() else ():
                    if f.name.split(".", 1)[0] not in used:
                        f.unlink(missing_ok=True)
                        removed += 1
        tmp = self.root / f"{KEPT}.{os.getpid()}.tmp"
        try:
            tmp.write_text("\n".join(sorted(used)) + "\n", encoding="ascii")
            os.replace(tmp, self.root / KEPT)
            (self.root / DIRTY).unlink(missing_ok=True)
            self._kept, self._dirty_at_start, self._marked = set(used), False, False
        except OSError:
            tmp.unlink(missing_ok=True)  # the mark stays: the next prune lists the folder
        return removed


class JobRecords:
    """The build database beside the output folder (`.site.cache/build.sqlite`): each page job's
    record (the paths of the pages it made and the charts it drew) by the job's key, which an
    incremental build reads instead of making a job whose key is unchanged (see pipeline).

    SQLite, not a pickle file per job as before: it is in the standard library; a lookup by key is an
    index search, not one file opened per job (some 11,000 at 1,000 plans); writes are transactions,
    so a killed build leaves the last committed records, never half of one; forked workers read and
    write it at once (WAL mode: readers never wait for the writer, writers take turns). Each process
    opens its own connection (a connection must not cross a fork). The records are pickles, as
    trusted as the output folder itself."""

    def __init__(self, out: Path, *, read: bool = True):
        out = Path(out).resolve()
        self.top = out.with_name(f".{out.name}.cache")
        self.path = self.top / "build.sqlite"
        self.read = read
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            if self._conn is not None:
                _FORKED.append(self._conn)  # the parent's: never used nor closed here
            try:
                self.top.mkdir(parents=True, exist_ok=True)
                self._conn = self._open()
            except sqlite3.DatabaseError:  # damaged (not a database): it is a cache, start it again
                self.path.unlink(missing_ok=True)
                self._conn = self._open()
            except OSError as exc:
                raise write_failure(self.path, exc, "open") from exc
            self._pid = os.getpid()
            shutil.rmtree(self.top / "jobs", ignore_errors=True)  # an earlier version's pickle per job
        return self._conn

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=600, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # a cache: a power cut may lose the last records, not corrupt
        conn.execute("CREATE TABLE IF NOT EXISTS jobs (key TEXT PRIMARY KEY, record BLOB NOT NULL)")
        return conn

    def get(self, key: str):
        """The record of the job with this key, or None."""
        if not self.read:
            return None
        try:
            row = self._db().execute("SELECT record FROM jobs WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # noqa: BLE001 - damaged or from another version: the job is made again
            return None

    def put(self, key: str, value) -> None:
        """Keep a job's record (replacing any under the same key)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._db().execute("INSERT OR REPLACE INTO jobs VALUES (?, ?)", (key, data))
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"cannot write the build database {self.path}: {exc}") from exc

    def prune(self, used: set[str]) -> int:
        """Delete the records of jobs not in `used` (after a successful build); return how many."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM used")
            db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in used))
            removed = db.execute("DELETE FROM jobs WHERE key NOT IN (SELECT key FROM used)").rowcount
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return removed

    def keys(self) -> set[str]:
        """The keys of every record (for tests)."""
        return {k for (k,) in self._db().execute("SELECT key FROM jobs")}

    def close(self) -> None:
        """Close this process's connection."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None


# Connections inherited from a parent process (see JobRecords._db): kept referenced so that they are
# never closed in the child.
_FORKED: list = []
