"""The build's first half, gathering: load the lookup tables, read every plan, resolve the citations,
compute the tables and the download rows; incremental through the build database (sitegen.builddb).

A plan's files are hashed only when their stat changed; a plan whose files' hashes are those of a
plan read before is taken from the database as it was read then (read, checked, its citations found);
its citations are resolved again only when it or the registry entries they can resolve to changed;
its rows of the download tables, with their CSV and JSON bytes, are made again only when it, its
citations or the labels they show changed. What depends on the whole corpus (the corpus' checks,
the registry completed from the citations, the tidy tables) is computed from these per-plan parts.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import citations as cite
from . import deps, lineage, reading, translation, urls, validity
from .builddb import GET_CHUNK, BuildDB
from .cache import read_fingerprint
from .checks import duplicate_ids, province_clashes
from .export import PlanBlock, plan_block, tables_for_download
from .heap import gc_paused
from .load import MAX_FILE_BYTES, load_corpus, plan_files
from .model import Citation, Corpus, Instrument, Problem
from .normalize import tables as make_tables
from .pages import SiteData
from .pages.reads import value_digest, without_offsets
from .reading import PlanRead
from .texts import PlanTexts, textless
from .settings import validate_site
from .validate_corpus import LookupTables, finish_corpus, validate_tables

# Below this many plans to read, they are read in this process: forking costs more than it saves.
PARALLEL_MIN_PLANS = 40
CHUNK = 16  # plans per task sent to a worker


@dataclass
class Report:
    """What a build did: counts, warnings and the time of each stage."""

    plans: int = 0
    targets: int = 0
    parts: int = 0  # parts of targets ("trong đó ..."), never counted as targets
    pages: int = 0
    files: int = 0
    bytes: int = 0
    written: int = 0  # files whose bytes were written; the others were carried over unchanged
    cards: int = 0  # social cards in the site
    cards_drawn: int = 0  # of which drawn by this build (the others were unchanged)
    warnings: list[Problem] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    recovered: list[str] = field(default_factory=list)  # what a killed build had left, and what was done
    site_url: str = ""  # the address the site was built for ("": relative links only)


class BuildError(Exception):
    """The corpus has errors: nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} error(s)")
        self.problems = problems


def _timed(report: Report, stage: str, fn, *args, **kw):
    start = time.perf_counter()
    result = fn(*args, **kw)
    report.stages[stage] = report.stages.get(stage, 0.0) + time.perf_counter() - start
    return result


# ---------------------------------------------------------------- reading the plans

_WORKER: dict = {}  # a reading worker's state, set by the pool's initializer (forked: inherited)


def _init_reader(state: dict) -> None:
    _WORKER.update(state)


def _read_chunk(pairs: list[tuple[Path, Path | None]]) -> list[PlanRead]:
    """read_plan for some plans (in a worker with the root, tables and names)."""
    w = _WORKER
    return [reading.read_plan(md, data, w["root"], w["tables"], w["names"]) for md, data in pairs]


def read_plans(pairs: list[tuple[Path, Path | None]], root: Path, tables: LookupTables, names: dict,
               workers: int) -> Iterator[PlanRead]:
    """read_plan for every plan, in order; in worker processes when there are many (each plan is
    independent of the others here: resolving citations and cross-plan checks come after)."""
    if workers <= 1 or len(pairs) < PARALLEL_MIN_PLANS:
        for md, data in pairs:
            yield reading.read_plan(md, data, root, tables, names)
        return
    state = dict(root=root, tables=tables, names=names)
    with multiprocessing.get_context("fork").Pool(workers, _init_reader, (state,)) as pool:
        for chunk in pool.imap(_read_chunk, [pairs[i:i + CHUNK] for i in range(0, len(pairs), CHUNK)]):
            yield from chunk


def _source_signature(root: Path, read: PlanRead) -> tuple:
    """What a plan's checks saw of its source document (validate_plan checks it exists and its size)."""
    source = read.claim[2].get("source_file") if read.claim else None
    if not isinstance(source, str):
        return ()
    try:
        return source, (root / source).stat().st_size
    except (OSError, ValueError):
        return source, -1


def _plan_key(db: BuildDB, salt: bytes, md: Path, data: Path | None) -> str:
    """The database key of a plan read from these files ("" when one cannot be used: read_plan
    reports why)."""
    h = hashlib.blake2b(salt + b"\0" + md.name.encode(), digest_size=16)
    try:
        for f in (md, data):
            if f is None:
                h.update(b"\0no data file")
                continue
            st = f.stat()
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                return ""
            h.update(b"\0" + db.file_hash(f, st)[0].encode())
    except OSError:
        return ""
    return h.hexdigest()


def read_all(pairs: list[tuple[Path, Path | None]], root: Path, tables: LookupTables, names: dict,
             workers: int, db: BuildDB | None, salt: bytes) -> list[tuple[str, PlanRead]]:
    """Every plan read, in order, with its database key ("" without one): from the database when its
    files are those of a plan read before, else read (in workers when there are many). A plan taken
    from the database comes without its found citations (PlanRead.citations None, its `cited` numbers
    only) and without its text (PlanRead.plan textless): they are kept in the tables `found` and
    `texts` under its key, read by link_citations only when its resolved citations are not kept, and
    the text by the page that shows it (sitegen.texts). Every build unpickled both for every plan
    before: ~60 and ~35 µs a plan, of ~230."""
    out: list[tuple[str, PlanRead] | None] = [None] * len(pairs)
    todo: list[int] = []
    keys = [_plan_key(db, salt, md, data) if db is not None else "" for md, data in pairs]
    kept = db.get_many("plans", keys) if db is not None else {}  # a few queries, not one per plan
    # A plan's found citations and text are read only when needed, but they must be there: a plan
    # whose rows of them are missing is read again.
    whole = set(kept)
    for table in ("found", "texts"):
        whole &= db.keep(table, whole) if db is not None else set()
    for i, key in enumerate(keys):
        hit = kept.pop(key, None) if key in whole else None
        if hit is not None and hit[0] == _source_signature(root, hit[1]):
            out[i] = key, hit[1]
        else:
            todo.append(i)
    for i, read in zip(todo, read_plans([pairs[i] for i in todo], root, tables, names, workers)):
        if keys[i]:
            plan = read.plan
            db.put("plans", keys[i], (_source_signature(root, read),
                                      replace(read, citations=None, plan=plan and textless(plan))))
            db.put("found", keys[i], read.citations)
            db.put("texts", keys[i], plan.text if plan is not None else "")
        out[i] = keys[i], read
    return out


# ---------------------------------------------------------------- citations


def link_citations(corpus: Corpus, root_registry: dict[str, Instrument], names: dict | None = None, *,
                   found_in: Mapping[str, tuple[Citation, ...]] | None = None,
                   cited: Mapping[str, frozenset[str]] | None = None, shown: str = "corpus",
                   db: BuildDB | None = None, keys: Mapping[str, str] | None = None,
                   block_keys: dict[str, str] | None = None, texts: PlanTexts | None = None,
                   ) -> tuple[tuple[Citation, ...], dict[str, Instrument], list[Problem]]:
    """Resolve every citation of every plan to one instrument, and complete the registry.

    found_in: the citations already found in each plan (by plan id); those of other plans are found here.
    cited: the numbers cited by each plan (PlanRead.cited) of those whose found citations are not in
    found_in but kept in the database under its key (gather.read_all): read from there only when its
    resolved citations are not kept.
    shown: the corpus folder's name, as the warnings name its files (the --corpus in use).
    db, keys: the build database and each plan's key in it: a plan's resolved citations are kept
    under a key of the plan and of the registry entries they can resolve to (those with the numbers
    it cites), and taken from there while both are unchanged; block_keys, when given, gets each plan's
    key of them ("" when not kept). texts: the texts of the plans that come without (sitegen.texts)."""
    registry: dict[str, Instrument] = dict(root_registry)
    # resolve() only ever looks at entries with a citation's own number: hand it those (a scan of
    # the whole registry per citation grows with plans x instruments).
    by_number: dict[str, dict[str, Instrument]] = {}
    for k, e in registry.items():
        if e.number:
            by_number.setdefault(e.number, {})[k] = e
    problems: list[Problem] = []
    found: list[Citation] = []
    found_in, cited, keys = found_in or {}, cited or {}, keys or {}
    entry_digest: dict[str, str] = {}  # each registry entry's digest (an entry never changes once in)
    code = deps.code_digest("sitegen.gather") if db is not None else ""
    block_keys = {} if block_keys is None else block_keys
    digests: dict[str, str] = {}  # each plan's resolved citations' digest (citations_digest: their value)

    def near_of(numbers: set[str]) -> dict[str, Instrument]:
        """The registry entries with these numbers, as it is now (all that resolve() looks at)."""
        return {k: e for n in numbers for k, e in by_number.get(n, {}).items()}

    def numbers_of(pid: str) -> set[str] | frozenset[str]:
        """The numbers a plan cites, of those whose citations were found or are kept."""
        numbers = cited.get(pid)
        return numbers if numbers is not None else {c.number for c in found_in[pid] if c.number}

    def text_of(p) -> str:
        """A plan's text, its own or, for a plan taken from the database without it, from there."""
        return texts.text(p.id) if texts is not None and p.id in texts else p.text

    def found_of(p) -> tuple[Citation, ...]:
        """A plan's citations as found, from found_in, else from the database, else found now."""
        raw = found_in.get(p.id)
        if raw is None and db is not None and p.id in cited and keys.get(p.id):
            raw = db.get("found", keys[p.id])  # None if not there (damaged): found again below, the same
        if raw is None:
            raw = tuple(cite.extract(text_of(p), own_number=p.number, province=p.province, names=names or {}))
        return raw

    def block_key(p, near: dict[str, Instrument]) -> str:
        """The key a plan's resolved citations are kept under."""
        for k in near.keys() - entry_digest.keys():
            entry_digest[k] = value_digest(near[k])
        return value_digest("citations", code, keys[p.id], shown, sorted((k, entry_digest[k]) for k in near))
    # The kept blocks are read GET_CHUNK plans at a time (BuildDB.get_many: one query, not one per plan),
    # by the keys the plans have with the registry as it is before their chunk. An instrument that a plan
    # of the chunk adds to the registry (cited, not in legal.yaml) changes the key of a later plan citing
    # its number: that plan's key is made again and its block read alone.
    read_by: dict[str, str] = {}  # plan id -> the key its block was read by
    kept: dict = {}
    grown: set[str] = set()  # the numbers of the entries added to the registry since that read
    for i, p in enumerate(corpus.plans):
        if db is not None and i % GET_CHUNK == 0:
            read_by = {q.id: block_key(q, near_of(numbers_of(q.id)))
                       for q in corpus.plans[i:i + GET_CHUNK] if keys.get(q.id) and (q.id in found_in or q.id in cited)}
            kept, grown = db.get_many("blocks", read_by.values()), set()
        raw = None
        if p.id in cited or p.id in found_in:
            numbers = numbers_of(p.id)
        else:
            raw = found_of(p)
            numbers = {c.number for c in raw if c.number}
        near = near_of(numbers)
        key = hit = None
        if p.id in read_by:
            key = block_key(p, near) if numbers & grown else read_by[p.id]
            if key == read_by[p.id]:
                hit = kept.get(key)
            else:
                db.used["blocks"].discard(read_by[p.id])  # read by a key it no longer has: not used
                hit = db.get("blocks", key)
        if hit is not None:
            mine, msgs, digest = hit
        else:
            resolved, msgs = cite.resolve(raw if raw is not None else found_of(p), near, province=p.province,
                                          plan_id=p.id)
            # Citations found by read_plan have their sentence and (resolve) plan id: no copy needed.
            mine = tuple(c if c.sentence and c.plan_id == p.id else
                         replace(c, plan_id=p.id,
                                 sentence=c.sentence or cite.sentence_around(text_of(p), c.start, c.end))
                         for c in resolved)
            digest = citations_digest(mine) if key is not None else ""
            if key is not None:
                db.put("blocks", key, (mine, msgs, digest))
        block_keys[p.id], digests[p.id] = key or "", digest
        problems += [Problem("warning", f"{shown}/plans/{p.id}.md", "", m) for m in msgs]
        for c in mine:
            if c.legal_id and c.legal_id not in registry:
                # An instrument first seen in a citation enters the registry with what the citation
                # says; check_registry below warns about it, with the entry to paste into legal.yaml.
                registry[c.legal_id] = entry = cite.registry_entry_from_citation(c)
                if entry.number:
                    by_number.setdefault(entry.number, {})[c.legal_id] = entry
                    grown.add(entry.number)
        found += mine
    # What the registry and every citation make together: kept under a key of the registry and of each
    # plan's resolved citations (their digests: an edit that leaves them alone, a target's value, keeps
    # it), taken from there while none of them changed.
    whole = (value_digest("registry", code, shown, root_registry, *(digests[p.id] for p in corpus.plans))
             if db is not None and all(digests.values()) else None)
    hit = db.get("blocks", whole) if whole else None
    if hit is None:
        # An instrument legal.yaml lacks is published with what its citations say, the same whichever
        # mention came first (the dated one's date, the first title stated).
        hit = (cite.entries_from_citations(c for c in found if c.legal_id not in root_registry),
               cite.check_registry(root_registry, found, legal_path=f"{shown}/legal.yaml"))
        if whole:
            db.put("blocks", whole, hit)
    registry.update(hit[0])
    problems += [Problem("warning", f"{shown}/legal.yaml", "", m) for m in hit[1]]
    cited_ids = {c.legal_id for c in found}
    for legal_id in sorted(set(registry) - cited_ids):
        # The site lists instruments the plans cite; an entry nothing cites is kept out of it.
        problems.append(Problem("warning", f"{shown}/legal.yaml", f"field {legal_id}",
                                "no plan cites this instrument: it is not published (remove it or "
                                "check the plan that should cite it)."))
    ordered = {k: v for k, v in sorted(registry.items()) if k in cited_ids}
    return tuple(found), ordered, problems


def citations_digest(mine) -> str:
    """A digest of what the registry's whole-corpus checks see of one plan's resolved citations: each
    without its offsets in the text, in the order of those offsets (they order the checks' messages
    and which mention completes an entry: cite.check_registry, cite.entries_from_citations), so that a
    sentence inserted into a plan's text, which moves every offset after it, does not check again."""
    return value_digest(tuple(without_offsets(c) for c in sorted(mine, key=lambda c: (c.start, c.end))))


# ---------------------------------------------------------------- the download rows, per plan


def plan_blocks(corpus: Corpus, citations: tuple[Citation, ...], db: BuildDB | None,
                cite_keys: Mapping[str, str]) -> dict[str, tuple[str, PlanBlock]]:
    """Each plan's rows of the download tables with their CSV and JSON bytes (export.plan_block), by
    plan id with the key they are kept under in the database ("" when they are not): taken from there
    when the plan, its resolved citations, the labels they show and the data version are unchanged."""
    mine: dict[str, list[Citation]] = {}
    for c in citations:
        mine.setdefault(c.plan_id, []).append(c)
    lookups = corpus.lookups
    common = value_digest(deps.code_digest("sitegen.export"), lookups.agencies, lookups.plan_kinds, lookups.themes,
                          corpus.data_version) if db is not None else ""
    keys = {p.id: value_digest("rows", common, cite_keys[p.id]) if db is not None and cite_keys.get(p.id) else ""
            for p in corpus.plans}
    kept = db.get_many("blocks", keys.values()) if db is not None else {}  # a few queries, not one per plan
    out = {}
    for p in corpus.plans:
        key = keys[p.id]
        block = kept.get(key) if key else None
        if block is None:
            block = plan_block(p, mine.get(p.id, ()), lookups, corpus.data_version)
            if key:
                db.put("blocks", key, block)
        out[p.id] = key, block
    return out


# ---------------------------------------------------------------- source documents


def source_files(corpus_dir: Path, corpus: Corpus, db: BuildDB | None) -> Iterator[tuple[str, str, Callable]]:
    """Each source document as published under data/sources/: (site path, key, a function reading
    its bytes), in name order. The key is made of the hash of its bytes from the inputs table (read
    only when its stat changed: an unchanged document is carried over unread) and of the code, ""
    without a database."""
    # Paths as strings (os.path), not pathlib's objects: made, joined and stat'ed for every document of a
    # 10,000-plan corpus at every build (0.45 s of pathlib's parsing in a profiled rebuild of 28 s).
    base = os.fspath(corpus_dir)
    paths = {os.path.basename(p.source_file): os.path.join(base, p.source_file) for p in corpus.plans}
    code = deps.code_digest("sitegen.gather") if db is not None else ""  # the code that publishes them
    for name in sorted(paths):
        path, key = paths[name], ""
        if db is not None:
            try:
                key = f"source {code} {db.file_hash(path)[0]}"
            except OSError:
                key = ""  # read below, which reports it
        yield urls.source_path(name), key, lambda path=path: Path(path).read_bytes()


# ---------------------------------------------------------------- gather


@dataclass(frozen=True)
class Gathered:
    """Everything the site shows, computed and checked, before rendering."""

    site: SiteData
    rows: dict[str, list[tuple]]
    changelog: str
    problems: list[Problem]
    db: BuildDB | None = None  # the build database (committed after a successful build)
    blocks: dict[str, tuple[str, PlanBlock]] = field(default_factory=dict)  # plan_blocks
    plan_keys: dict[str, str] = field(default_factory=dict)  # plan id -> the key of its row (db "plans")
    text_digests: dict[str, str] = field(default_factory=dict)  # plan id -> its text's digest, as read (texts.apart)


@gc_paused()  # millions of objects unpickled and built, none in cycles: nor does reading a plan make any (sitegen.heap)
def gather(corpus_dir: Path, *, report: Report | None = None, workers: int = 1, cache_for: Path | None = None,
           read_cache: bool = True) -> Gathered:
    """Load, validate and compute everything; raise BuildError with every problem if the corpus is bad.

    report: what to fill (counts, warnings, stage times). cache_for: the output folder
    whose build database (sitegen.builddb) to use; read_cache=False only refills it."""
    report = report if report is not None else Report()
    root = Path(corpus_dir)
    start = time.perf_counter()
    raw, problems = load_corpus(root, plans=False)
    tables, checked = validate_tables(raw)
    checked += translation.label_warnings(raw)
    table, more = lineage.check_table(raw.tables.get("provinces"), raw.table_paths.get("provinces", ""))
    tables, checked = replace(tables, lookups=replace(tables.lookups, provinces=table.units)), checked + more
    # The registry and the alias table of the corpus being built, read by the same safe loader;
    # their errors are reported with all the others.
    names, errors = cite.names_from_data(raw.tables.get("legal_names"))
    registry, more_errors = cite.registry_from_data(raw.tables.get("legal") or [], names)
    registry, validity_errors = validity.apply(raw.tables.get("legal"), registry)
    more_errors += validity_errors
    pairs, before, after = plan_files(root) if root.is_dir() else ([], [], [])
    problems += before
    db = salt = None
    if cache_for is not None:
        db = BuildDB(cache_for, read=read_cache)
        salt = value_digest(read_fingerprint(), root.name, tables, names).encode()
    keyed = read_all(pairs, root, tables, names, workers, db, salt or b"")
    reads = [r for _, r in keyed]
    for r in reads:
        problems += r.load_problems
    problems += after
    raw.load_errors = sum(p.severity == "error" for p in problems)
    problems += checked
    problems += duplicate_ids([r.claim for r in reads if r.claim])
    problems += province_clashes([r.claim for r in reads if r.claim], tables.lookups.provinces)
    for r in reads:
        problems += r.problems
    corpus = finish_corpus(raw, tables, [r.plan for r in reads if r.plan], problems)
    settings, more = validate_site(raw.site, raw.site_path)
    problems += more
    corpus = replace(corpus, settings=settings)
    problems += [Problem("error", raw.table_paths.get("legal_names", ""), "", e) for e in errors]
    problems += [Problem("error", raw.table_paths.get("legal", ""), "", e) for e in more_errors]
    # Reading, checking and finding citations happen together, per plan (read_plans).
    report.stages["read plans"] = time.perf_counter() - start
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems)  # the database is written only after a build that succeeded
    found_in = {r.plan.id: r.citations for r in reads if r.plan and r.citations is not None}  # read in this build
    cited = {r.plan.id: r.cited for r in reads if r.plan and r.citations is None}  # taken from the database
    plan_keys = {r.plan.id: k for k, r in keyed if r.plan and k}
    text_digests = {r.plan.id: r.text_digest for r in reads if r.plan and r.text_digest}
    kept = PlanTexts(db)  # the texts of the plans taken from the database without them
    for r in reads:
        if r.plan and r.citations is None:
            kept.keep(r.plan.id, plan_keys[r.plan.id], r.text_digest)
    del reads, keyed
    cite_keys: dict[str, str] = {}
    citations, instruments, more = _timed(report, "citations", link_citations, corpus, registry, names, found_in=found_in,
                                          cited=cited, shown=root.name, db=db, keys=plan_keys, block_keys=cite_keys,
                                          texts=kept)
    problems += more
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems)
    tables_ = _timed(report, "normalize", make_tables, corpus)
    site = SiteData(corpus, tables_, citations, instruments, texts=kept if cited else None)
    blocks = _timed(report, "normalize", plan_blocks, corpus, citations, db, cite_keys)
    rows = _timed(report, "normalize", tables_for_download, corpus, tables_, citations, instruments,
                  blocks={pid: b for pid, (_, b) in blocks.items()})
    report.plans = len(corpus.plans)
    report.targets = sum(len(p.top_targets) for p in corpus.plans)
    report.parts = sum(len(p.parts) for p in corpus.plans)
    report.warnings = [p for p in problems if p.severity == "warning"]
    if db is not None:
        db.close()  # reopened to commit: no connection crosses the fork of the page workers
    return Gathered(site, rows, raw.changelog, problems, db, blocks, plan_keys, text_digests)


