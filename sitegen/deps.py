"""What a piece of the build is made of, derived from the sources rather than listed by hand: the
sitegen modules a module imports (read with ast, so imports inside functions count too), their
closure, the templates a template includes or extends, and digests of all of those.

A cache key built from these changes whenever the code or a template an output depends on
changes, and only then (tests/test_layout.py checks the same import graph for its layering).
"""
from __future__ import annotations

import ast
import hashlib
import sqlite3
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.meta

SITEGEN = Path(__file__).resolve().parent
TEMPLATES = SITEGEN.parent / "templates"
# Data files read by a module's code (not imported): part of that module's digest.
MODULE_DATA = {"sitegen.i18n": ("strings.yaml",)}


def modules() -> dict[str, Path]:
    """Every module of sitegen by dotted name (sitegen.pages.home, ...)."""
    out = {}
    for path in sorted(SITEGEN.rglob("*.py")):
        parts = path.relative_to(SITEGEN.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The sitegen modules (of `known`) that the module `name` at `path` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from . import urls` imports a module; `from .pages import Kit`, a name of one.
            subs = {f"{target}.{a.name}" for a in node.names} & known
            found |= subs or {target}
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """Each sitegen module -> the sitegen modules it imports."""
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


@lru_cache(maxsize=None)
def source_hash(path: Path) -> str:
    """A digest of one module's source (read once per process: a module's code cannot change under it)."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


# The build database an import graph is kept in (store_imports_in): parsing every module of sitegen
# (ast) took 0.6 s of each build; a module whose source is unchanged keeps its imports.
_STORE: list[Path] = []


def store_imports_in(db: Path) -> None:
    """Keep the import graph in the SQLite database `db` (the build database, cache.JobRecords): a later
    build parses only the modules whose source changed. Only where db's folder exists (a cache: a
    failing first build leaves nothing behind)."""
    _STORE[:] = [Path(db)]


def _stored_graph() -> dict[str, set[str]]:
    """import_graph, each module's imports taken from the store when its source (and the set of
    modules, which decides what an import names) is the one they were read from."""
    mods = modules()
    known = set(mods)
    salt = hashlib.blake2b("\0".join(sorted(known)).encode(), digest_size=8).hexdigest()
    stored = {m: v.split(" ") for m, v in _read_store("import_graph")}  # module -> [hash, imported ...]
    graph, changed = {}, []
    for name, path in mods.items():
        h = f"{salt}:{source_hash(path)}"
        row = stored.get(name)
        if row and row[0] == h:
            graph[name] = set(filter(None, row[1:])) & known
        else:
            graph[name] = imports_of(name, path, known)
            changed.append((name, " ".join([h, *sorted(graph[name])])))
    if changed:
        _write_store("import_graph", changed)
    return graph


@lru_cache(maxsize=None)
def _graph() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in _stored_graph().items()}


def closure(*names: str) -> list[str]:
    """The modules named and every sitegen module they import, directly or not (sorted). A package's
    __init__ counts only where it is imported: it is run first, but makes nothing the module uses."""
    graph = _graph()
    todo, seen = list(names), set()
    while todo:
        m = todo.pop()
        if m in seen or m not in graph:
            continue
        seen.add(m)
        todo += graph[m]
    return sorted(seen)


@lru_cache(maxsize=None)
def code_digest(*names: str) -> str:
    """A digest of the source (and data files) of the modules named and their closure, and of the
    versions of the libraries whose output the pages contain (jinja2: plan texts are rendered by
    textrender.blocks, not by markdown-it, which a build no longer imports)."""
    mods = modules()
    h = hashlib.blake2b(jinja2.__version__.encode(), digest_size=16)
    for m in closure(*names):
        h.update(m.encode() + b"\0" + source_hash(mods[m]).encode() + b"\0")
        for data in MODULE_DATA.get(m, ()):
            h.update(data.encode() + b"\0" + (SITEGEN / data).read_bytes() + b"\0")
    return h.hexdigest()


def template_folders(override: Path | None = None) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins: the override folder (SiteOptions.templates), then
    the defaults."""
    return (Path(override), TEMPLATES) if override is not None else (TEMPLATES,)


def template_file(name: str, override: Path | None = None) -> Path:
    """The file a template name renders: the override folder's if it has one, else the default."""
    return next((f / name for f in template_folders(override) if (f / name).is_file()), TEMPLATES / name)


@lru_cache(maxsize=None)
def template_closure(*names: str, override: Path | None = None) -> list[str]:
    """The templates named and every template they extend, include or import (sorted), as found with
    the override folder first."""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += _template_refs(name, template_file(name, override))
    return sorted(seen)


# The templates each template source refers to, by a digest of the source: kept in the build database
# (store_imports_in) beside the import graph, since parsing every template took a tenth of a second
# per build; a source not seen before is parsed (and a syntax error reported, naming the file).
_REFS: dict[str, tuple[str, ...]] = {}


def _template_refs(name: str, path: Path) -> tuple[str, ...]:
    source = path.read_text(encoding="utf-8")
    h = hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
    if not _REFS:
        _REFS.update({k: tuple(filter(None, v.split(" "))) for k, v in _read_store("template_refs")})
        _REFS.setdefault("", ())  # read once, even when empty
    if h not in _REFS:
        tree = jinja2.Environment().parse(source, name, str(path))  # an error names the file
        _REFS[h] = tuple(t for t in jinja2.meta.find_referenced_templates(tree) if t)
        _write_store("template_refs", [(h, " ".join(_REFS[h]))])
    return _REFS[h]


def _read_store(table: str) -> list[tuple[str, str]]:
    """The rows (key, value) of a two-column table of the store ([] without one)."""
    db = _STORE[0] if _STORE and _STORE[0].parent.is_dir() else None
    if db is None:
        return []
    try:
        conn = sqlite3.connect(db, timeout=60, isolation_level=None)
        try:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            return list(conn.execute(f"SELECT key, value FROM {table}"))
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # a cache: compute everything
        return []


def _write_store(table: str, rows: list[tuple[str, str]]) -> None:
    """Add rows (key, value) to a table of the store; kept until flush_store when the store's folder
    does not exist yet (a first build: its rows would otherwise be lost, and the next build, the first
    incremental one, would parse every module and template again)."""
    db = _STORE[0] if _STORE and _STORE[0].parent.is_dir() else None
    if db is None:
        if _STORE:
            _PENDING.append((_STORE[0], table, list(rows)))
        return
    _write_rows(db, [(table, rows)])


# Rows written while the store's folder did not exist: (store, table, rows), for flush_store.
_PENDING: list[tuple[Path, str, list[tuple[str, str]]]] = []


def _write_rows(db: Path, batches: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Write some tables' rows to the store `db` in one transaction (a cache: an error is ignored)."""
    try:
        conn = sqlite3.connect(db, timeout=60, isolation_level=None)
        try:
            for table in dict.fromkeys(t for t, _ in batches):
                conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("BEGIN IMMEDIATE")
            for table, rows in batches:
                conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
            conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass


def flush_store() -> None:
    """Write the rows kept while the store's folder did not exist, now that a build made it (after a
    successful build: pipeline)."""
    pending, _PENDING[:] = list(_PENDING), []
    for db in dict.fromkeys(d for d, _, _ in pending):
        if db.parent.is_dir() and _STORE and _STORE[0] == db:
            _write_rows(db, [(t, rows) for d, t, rows in pending if d == db])


@lru_cache(maxsize=None)
def template_digest(*names: str, override: Path | None = None) -> str:
    """A digest of the templates named and of those they use, as found with the override folder first
    (a theme's file changes the digest; where it moved from or to does not)."""
    h = hashlib.blake2b(digest_size=16)
    for name in template_closure(*names, override=override):
        h.update(name.encode() + b"\0" + template_file(name, override).read_bytes() + b"\0")
    return h.hexdigest()
