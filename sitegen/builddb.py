"""The gathering's part of the build database (`.site.cache/build.sqlite` beside the output folder, the
file whose `jobs` table sitegen.cache.JobRecords keeps): what an incremental build needs so that a
one-plan edit re-reads, re-resolves and re-exports that plan only.

Its tables:

- `inputs`: each corpus file read by path, with its stat (size, mtime, ctime, inode) and the hash of
  its bytes. A file is hashed again only when its stat changed (or when it changed so soon before it
  was hashed that a later edit within the file system's clock step could keep the same stat: such a
  row is "racy" and never trusted, as git does with its index).
- `plans`: each plan read, checked and searched for citations (sitegen.reading.PlanRead) by a key of
  its two files' hashes and of what every plan shares (lookup tables, names, code): a plan whose
  files changed gets a new key, so a stale row is never read. Without its text nor the citations
  found in it, in rows of their own by the plan's key, read only when needed:
- `found`: those citations, read only for a plan whose resolved citations are not kept (an unchanged
  plan's resolution usually is: its row is then only kept, never read nor unpickled).
- `texts`: its text, read by a page that shows it (sitegen.texts) or to resolve its citations again.
- `blocks`: per-plan derived blocks by a key of what they are made of: a plan's resolved citations
  (the plan and the registry entries they can resolve to), its rows of every download table with
  their CSV and JSON bytes. Whole-corpus files are assembled from these blocks.
- `zip`: compressed members of the data release ZIP by the hash of their bytes (sitegen.publish), so
  that an unchanged member is not compressed again.

Why SQLite: it is in the standard library; a lookup by key is an index search, not a file opened per
plan (the pickle folder it replaces held one file per plan); a build's new rows are written in one
transaction after the build succeeded, so a failed or killed build leaves the last good rows, never
half of one. The rows are pickles, as trusted as the output folder itself (anyone who can write there
can change the published site anyway). Rows no successful build used any more are pruned.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import tempfile
import time
import weakref
from pathlib import Path

from .cache import connect, database_failure, delete_unused
from .write import OutputError

# A file modified less than this before it was hashed may change again within the same clock step
# of a coarse file system (FAT: 2 s) without its stat changing: its hash is kept but not trusted.
RACY_NS = 2_000_000_000
TABLES = ("plans", "found", "texts", "blocks", "zip")
# Keys per query of BuildDB.get_many: below SQLite's oldest limit on bound parameters (999).
GET_CHUNK = 900
SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, stat TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plans (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS found (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS texts (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS zip (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""
# A build's new rows wait in a file of their own until commit (BuildDB._pending), named by the
# building process's id: a file left by a killed build is removed by the next one.
PENDING = "pending-"


def file_hash(data: bytes) -> str:
    """The hash the inputs table keeps of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _stat_text(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


class BuildDB:
    """The gathering's tables of the build database beside the output folder `out`. `read=False`
    (a full build) ignores what is there but still records what this build makes.

    Reads go to the database (the inputs table whole, when first asked; a row by its key);
    writes wait in a pending file beside it until `commit` (after the build succeeded), which moves
    them in and deletes the rows this build did not use. Not in memory: a full build's new rows are
    every plan read (its text), its blocks and the ZIP's members, hundreds of MB at 10,000 plans,
    that the page workers forked later would carry too. Written by the parent process only; a worker
    forked after `close` may read rows (sitegen.texts: a plan's text), through its own connections."""

    def __init__(self, out: Path, *, read: bool = True):
        out = Path(out).resolve()
        self.top = out.with_name(f".{out.name}.cache")
        self.path = self.top / "build.sqlite"
        self.read = read
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._pend: sqlite3.Connection | None = None  # the pending file's connection (_pending)
        self._pend_pid = 0
        self._pend_path: Path | None = None
        self._inputs: dict[str, tuple[str, str]] | None = None
        self._new_inputs: dict[str, tuple[str, str]] = {}
        self._seen_inputs: set[str] = set()
        self._new: dict[str, set[str]] = {t: set() for t in TABLES}  # the keys put, their rows pending
        self.used: dict[str, set[str]] = {t: set() for t in TABLES}

    # ---------------------------------------------------------------- the connection

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            if self._conn is not None:
                _FORKED.append(self._conn)  # the parent's (a forked worker's copy): never used nor closed here
            self._conn = connect(self.path, SCHEMA)
            self._pid = os.getpid()
            shutil.rmtree(self.top / "plans", ignore_errors=True)  # an earlier version's pickle per plan
        return self._conn

    def _pending(self) -> sqlite3.Connection:
        """The connection to the file this build's new rows wait in (made at the first put)."""
        if self._pend is not None and self._pend_pid == os.getpid():
            return self._pend
        if self._pend is not None:
            _FORKED.append(self._pend)
            self._pend = None
        if self._pend_path is None:
            self.top.mkdir(parents=True, exist_ok=True)
            _remove_stale(self.top)
            fd, name = tempfile.mkstemp(prefix=f"{PENDING}{os.getpid()}-", suffix=".sqlite", dir=self.top)
            os.close(fd)
            self._pend_path = Path(name)
            weakref.finalize(self, _remove_pending, self._pend_path, os.getpid())
        try:
            conn = sqlite3.connect(self._pend_path, timeout=600, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")  # a worker reads while the parent writes
            conn.execute("PRAGMA synchronous=OFF")  # thrown away if the build stops: never needs to survive a crash
            conn.executescript(SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise OutputError(f"cannot write the build database {self._pend_path}: {exc}") from exc
        self._pend, self._pend_pid = conn, os.getpid()
        return conn

    def _flush(self) -> None:
        """Commit the rows put so far into the pending file (readable by other connections)."""
        if self._pend is not None and self._pend_pid == os.getpid() and self._pend.in_transaction:
            self._pend.execute("COMMIT")


    def _select(self, sql: str, args=()) -> list:
        try:
            return self._db().execute(sql, args).fetchall()
        except sqlite3.DatabaseError:
            return []

    # ---------------------------------------------------------------- inputs: stat, then hash

    def file_hash(self, path: Path | str, st: os.stat_result | None = None) -> tuple[str, bytes | None]:
        """The hash of a file's bytes and, when it had to be read for it, the bytes (else None);
        OSError when it cannot be stat'ed or read. st: its stat, when already known."""
        st = st or os.stat(path)
        stat = _stat_text(st)
        name = os.fspath(path)
        self._seen_inputs.add(name)
        if self._inputs is None:
            self._inputs = dict(((p, (s, h)) for p, s, h in self._select("SELECT path, stat, hash FROM inputs"))
                                if self.read else ())
        known = self._inputs.get(name)
        if known is not None and known[0] == stat:
            return known[1], None
        with open(path, "rb") as fh:
            data = fh.read()
        h = file_hash(data)
        # A file modified just before it was hashed may change again without its stat changing (the
        # same mtime on a coarse clock, the same size): record it as racy, to be hashed again.
        racy = time.time_ns() - st.st_mtime_ns < RACY_NS
        self._new_inputs[name] = ("racy" if racy else stat, h)
        return h, data

    # ---------------------------------------------------------------- rows by key

    def get(self, table: str, key: str):
        """The value kept under `key` (unpickled), or None; marks the row as used by this build."""
        data = None
        if key in self._new[table]:
            row = self._pending().execute(f"SELECT value FROM {table} WHERE key = ?", (key,)).fetchone()
            data = row[0] if row else None
        elif self.read:
            # One query per key (an index search): a whole table would be every plan's bytes at once.
            row = self._select(f"SELECT value FROM {table} WHERE key = ?", (key,))
            data = row[0][0] if row else None
        if data is None:
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - damaged or from another version: made again
            return None
        self.used[table].add(key)
        return value

    def get_many(self, table: str, keys) -> dict:
        """key -> value (unpickled) for those of `keys` that are kept, as `get` finds and marks each, in
        one query per GET_CHUNK keys instead of one per key (a build reads every plan's rows: 40,000
        queries at 10,000 plans). A key missing or whose row cannot be unpickled is left out."""
        new = self._new[table]
        wanted = list(dict.fromkeys(k for k in keys if k))
        # A row put by this build is in the pending file only.
        rows = self._in_chunks(lambda sql, args: self._pending().execute(sql, args).fetchall(), table, "key, value",
                               [k for k in wanted if k in new])
        if self.read:
            rows += self._in_chunks(self._select, table, "key, value", [k for k in wanted if k not in new])
        out = {}
        used = self.used[table]
        for key, data in rows:
            try:
                out[key] = pickle.loads(data)
            except Exception:  # noqa: BLE001 - damaged or from another version: made again (as get)
                continue
            used.add(key)
        return out

    def keep(self, table: str, keys) -> set[str]:
        """Those of `keys` that have a row, marked as used by this build without being read or
        unpickled (kept by `commit`): a few queries of the keys alone."""
        wanted = list(dict.fromkeys(k for k in keys if k))
        new = self._new[table]
        there = {k for k in wanted if k in new}
        if self.read:
            there.update(k for (k,) in self._in_chunks(self._select, table, "key", [k for k in wanted if k not in new]))
        self.used[table].update(there)
        return there

    @staticmethod
    def _in_chunks(query, table: str, columns: str, keys: list[str]) -> list:
        """The rows (`columns`) of `table` with these keys, one query per GET_CHUNK keys; query(sql, args):
        the connection's to ask (the database's, or the pending file's)."""
        rows: list = []
        for at in range(0, len(keys), GET_CHUNK):
            chunk = keys[at:at + GET_CHUNK]
            rows += query(f"SELECT {columns} FROM {table} WHERE key IN ({', '.join('?' * len(chunk))})", chunk)
        return rows

    def put(self, table: str, key: str, value) -> None:
        """Keep `value` under `key` (written by `commit`)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        pending = self._pending()
        try:
            if not pending.in_transaction:
                pending.execute("BEGIN")
            pending.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (key, data))
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"cannot write the build database {self._pend_path}: {exc}") from exc
        self._new[table].add(key)
        self.used[table].add(key)

    def put_count(self, table: str) -> int:
        """How many rows this build put into a table so far (made anew: not found as they were)."""
        return len(self._new[table])

    def commit(self) -> None:
        """Write this build's new rows and delete the rows it did not use, in one transaction (after
        a successful build: a failed one leaves the database as it was)."""
        db = self._db()
        pending = self._pend_path if any(self._new.values()) else None
        try:
            if pending is not None:
                self._flush()
                db.execute("ATTACH DATABASE ? AS pending", (str(pending),))
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO inputs VALUES (?, ?, ?)",
                               ((p, s, h) for p, (s, h) in sorted(self._new_inputs.items())))
                for table, keys in (("inputs", self._seen_inputs), *self.used.items()):
                    delete_unused(db, table, keys, "path" if table == "inputs" else "key")
                for table, keys in self._new.items():
                    if keys:
                        db.execute(f"INSERT OR REPLACE INTO main.{table} SELECT key, value FROM pending.{table} "
                                   "ORDER BY key")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            finally:
                if pending is not None:
                    db.execute("DETACH DATABASE pending")
        except sqlite3.DatabaseError as exc:
            raise database_failure(self.path, exc) from exc
        self.read = True  # what this build wrote is there to read now
        for keys in self._new.values():
            keys.clear()
        self._close_pending()
        self._inputs = {**(self._inputs or {}), **self._new_inputs}
        self._new_inputs = {}

    def store(self, table: str) -> "Store":
        """One table as a store with get(key) and put(key, value) (for code that must not know the
        database: sitegen.publish)."""
        return Store(self, table)

    def keys(self, table: str) -> set[str]:
        """The keys of every row of a table in the database (for tests)."""
        return {k for (k,) in self._select(f"SELECT key FROM {table}")}

    def close(self) -> None:
        """Close the connections (the rows put so far stay pending, readable, until commit)."""
        self._flush()
        for conn, pid in ((self._conn, self._pid), (self._pend, self._pend_pid)):
            if conn is not None and pid == os.getpid():
                conn.close()
        self._conn = self._pend = None

    def _close_pending(self) -> None:
        """Close and remove the pending file (its rows are in the database now)."""
        if self._pend is not None and self._pend_pid == os.getpid():
            self._pend.close()
        self._pend = None
        if self._pend_path is not None:
            _remove_pending(self._pend_path, os.getpid())
        self._pend_path = None


# The connections a forked worker inherited from its parent: kept (never used, never closed: closing
# one would touch the parent's files' locks), so that they are not closed when collected.
_FORKED: list = []


def _remove_pending(path: Path, pid: int) -> None:
    """Remove a pending file and its WAL (in the process that made it only)."""
    if os.getpid() != pid:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _remove_stale(top: Path) -> None:
    """Remove the pending files of builds that are no longer running (killed: they never committed)."""
    for f in top.glob(f"{PENDING}*.sqlite"):
        try:
            pid = int(f.name[len(PENDING):].split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            _remove_pending(f, os.getpid())
        except OSError:
            pass  # another user's process: alive


class Store:
    """A table of a BuildDB, seen as get(key) and put(key, value)."""

    def __init__(self, db: BuildDB, table: str):
        self.db, self.table = db, table

    def get(self, key: str):
        """The value under `key`, or None."""
        return self.db.get(self.table, key)

    def get_many(self, keys) -> dict:
        """key -> value of those of `keys` kept (BuildDB.get_many: a few queries)."""
        return self.db.get_many(self.table, keys)

    def put(self, key: str, value) -> None:
        """Keep `value` under `key`."""
        self.db.put(self.table, key, value)

    def keep(self, keys) -> None:
        """Keep the rows of `keys` there are (BuildDB.keep), unread."""
        self.db.keep(self.table, keys)
