"""The build database's page side (JobRecords: each page job's record, the pages it made and the
charts it drew: see pipeline), and the fingerprint of the code that reads a plan, which the
gathering's part of the database keys its plans by (sitegen.builddb, sitegen.gather).

Both live in a folder beside the output folder (`.site.cache/` for `site/`, beside the staging folder:
see sitegen.write): not in the site, so the site stays exactly what a clean build makes.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
from pathlib import Path

from .deps import code_digest
from .write import OutputError, write_failure


def read_fingerprint() -> str:
    """A digest of the code that reads, checks and searches a plan (sitegen.reading and every module
    it imports, derived from the imports: sitegen.deps) and of sitegen.builddb (the database's format), and
    of the version of the parser it uses (PyYAML). A change to other code (pages,
    templates) keeps the cache."""
    import yaml

    return hashlib.blake2b(f"{yaml.__version__} {code_digest('sitegen.reading', 'sitegen.builddb')}".encode(),
                           digest_size=16).hexdigest()


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """A connection to the build database at `path` with `schema` made; a damaged file is started again."""
    def open_() -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=600, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # a cache: a power cut may lose the last rows, not corrupt
        conn.executescript(schema)
        return conn
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open_()
    except sqlite3.DatabaseError:  # damaged (not a database): it is a cache, start it again
        remove_database(path)
        return open_()
    except OSError as exc:
        raise write_failure(path, exc, "open") from exc


def remove_database(path: Path) -> None:
    """Delete a database file with its write-ahead log and shared-memory index (a log left beside a
    new file of the same name could be replayed into it)."""
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        name.unlink(missing_ok=True)


def database_failure(path: Path, exc: sqlite3.DatabaseError) -> OutputError:
    """A write of the build database that failed, as a message naming it. A damaged database (SQLite
    finds it malformed) is deleted: it is a cache, and without that every later build would fail the
    same way; the next build makes it again, reading every plan anew."""
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        remove_database(path)
        return OutputError(f"the build database {path} is damaged ({exc}): it has been deleted, and the next "
                           "build makes it again (reading every plan anew). Build again")
    return OutputError(f"cannot write the build database {path}: {exc}")


def delete_unused(db: sqlite3.Connection, table: str, used, column: str = "key") -> int:
    """Delete the rows of `table` whose `column` is not in `used`, in the caller's transaction; return how
    many. The keys there are read (the index alone) and compared here: inserting every used key into a
    temporary table to compare them there cost a 10,000-plan build half a second (some 80,000 keys)."""
    used = used if isinstance(used, (set, frozenset, dict)) else set(used)
    stale = [k for (k,) in db.execute(f"SELECT {column} FROM {table}") if k not in used]
    for at in range(0, len(stale), 900):  # SQLite's limit of variables per statement is 32,766 or 999
        chunk = stale[at:at + 900]
        db.execute(f"DELETE FROM {table} WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk)
    return len(stale)


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

    def compiled(self, tag: str) -> Path:
        """The folder of the templates' compiled code (render.environment) made with the settings `tag`
        names (render.environment_tag); any other, and under a full build this one too, is emptied."""
        top = self.top / "templates"
        folder = top / tag
        for old in (top.iterdir() if top.is_dir() else ()):
            if old != folder or not self.read:
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            if self._conn is not None:
                _FORKED.append(self._conn)  # the parent's: never used nor closed here
            self._conn = connect(self.path, "CREATE TABLE IF NOT EXISTS jobs (key TEXT PRIMARY KEY, record BLOB NOT NULL);"
                                            "CREATE TABLE IF NOT EXISTS digests (key TEXT PRIMARY KEY, lean TEXT NOT NULL, "
                                            "full TEXT NOT NULL);"
                                            "CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
                                            "CREATE TABLE IF NOT EXISTS parts (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            self._pid = os.getpid()
            shutil.rmtree(self.top / "jobs", ignore_errors=True)  # an earlier version's pickle per job
        return self._conn

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

    def _rows_by_key(self, table: str, column: str, keys: list[str]) -> list[tuple[str, bytes]]:
        """(key, column) of the rows of `table` with these keys, in one query ([] when the database
        cannot be read)."""
        try:
            db = self._db()
            db.execute("BEGIN")  # one transaction: the keys' inserts each took one of their own (0.3 s)
            try:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM wanted")
                db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))
                return db.execute(f"SELECT {table}.key, {table}.{column} FROM {table} "
                                  f"JOIN wanted ON {table}.key = wanted.key").fetchall()
            finally:
                db.execute("COMMIT")
        except sqlite3.DatabaseError:
            return []

    def get_many(self, keys: list[str]) -> dict:
        """The records of these keys that there are (key -> record), read in one query."""
        if not self.read or not keys:
            return {}
        return _unpickled(self._rows_by_key("jobs", "record", keys))

    def put(self, key: str, value) -> None:
        """Keep a job's record (replacing any under the same key)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._db().execute("INSERT OR REPLACE INTO jobs VALUES (?, ?)", (key, data))
        except sqlite3.DatabaseError as exc:
            raise database_failure(self.path, exc) from exc

    def prune(self, used: set[str]) -> int:
        """Delete the records of jobs not in `used` (after a successful build); return how many."""
        return self._keep_only("jobs", [], used)

    def _keep_only(self, table: str, rows: list[tuple], used: set[str]) -> int:
        """In one transaction, insert (or replace) `rows` into `table` and delete its rows whose key is
        not in `used`; return how many were deleted."""
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
                removed = delete_unused(db, table, used)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise database_failure(self.path, exc) from exc
        return removed

    def known_digests(self) -> dict[str, tuple[str, str]]:
        """token -> (lean, full) digests of a plan, as earlier builds computed them (pages.digests.Digests),
        in one query ({} when not reading)."""
        if not self.read:
            return {}
        try:
            return {k: (lean, full) for k, lean, full in self._db().execute("SELECT key, lean, full FROM digests")}
        except sqlite3.DatabaseError:
            return {}

    def keep_digests(self, new: dict[str, tuple[str, str]], used: set[str]) -> None:
        """Keep the plans' digests this build computed (`new`: token -> (lean, full)), and drop those of
        tokens not `used` (plans this site no longer has, or had other contents)."""
        self._keep_only("digests", [(k, *v) for k, v in sorted(new.items())], used)

    def known_parts(self) -> dict:
        """token -> a plan's share of the reads made of every citation (pages.digests.Digests.cite_parts),
        as earlier builds computed them, in one query ({} when not reading)."""
        if not self.read:
            return {}
        try:
            return _unpickled(self._db().execute("SELECT key, value FROM parts").fetchall())
        except sqlite3.DatabaseError:
            return {}

    def keep_parts(self, new: dict, used: set[str]) -> None:
        """Keep the plans' shares this build computed (`new`: token -> share), and drop those of tokens
        not `used` (plans this site no longer has, or had other contents)."""
        self._keep_only("parts", [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
                                  for k, v in sorted(new.items())], used)

    def kept_facts(self, tokens: list[str]) -> dict:
        """token -> the record of derived facts kept under it (pages.facts: a unit's digests), for the
        tokens there are, in one query ({} when not reading)."""
        if not self.read or not tokens:
            return {}
        return _unpickled(self._rows_by_key("facts", "value", tokens))

    def keep_facts(self, new: dict, used: set[str]) -> None:
        """Keep the records of derived facts this build computed (`new`: token -> record), and drop those
        of tokens not `used` (units this site no longer has, or whose plans changed)."""
        self._keep_only("facts", [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
                                  for k, v in sorted(new.items())], used)

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


def _unpickled(rows: list[tuple[str, bytes]]) -> dict:
    """key -> the unpickled value, for the rows that can be read (a damaged row, or one from another
    version, is left out: what it held is made again)."""
    out = {}
    for key, data in rows:
        try:
            out[key] = pickle.loads(data)
        except Exception:  # noqa: BLE001
            pass
    return out
