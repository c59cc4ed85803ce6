"""The build, stage by stage: gather (load, validate, cite, normalize) then render and write.

Nothing is written until every stage before it has finished without error; the
write itself swaps in a complete new site in one rename.

Speed (benchmarks/README.md): plan pages, most of the site, are made and rendered in
worker processes forked after the gathering (they share the gathered data, copy-on-write)
while this process makes every other page, the data files and the release ZIP. Files go
to the staging folder as they are made, never all held in memory.

Incremental builds: the output folder keeps a manifest (write.MANIFEST) of every file's
bytes hash and, for plan pages, a key of everything the page is made from (the plan, the
citations in it and the instruments they resolve to, the labels, the UI strings, the code
and templates, the base URL). A plan page whose key is unchanged is carried over from the
previous site without being made; any other file is made again and carried over when its
bytes are unchanged. So a change to one plan rewrites its two pages, its data files, and
the pages that list or compare it (home, lists, its province, categories, matrices,
instruments it cites, charts), and nothing else. `incremental=False` ignores the manifest.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import citations as cite
from .export import data_files_index, iter_export_files, tables_for_download
from .i18n import LANGS
from .load import load_corpus
from .model import Citation, Corpus, Instrument, Problem
from .normalize import tables as make_tables
from .pages import Builder, SiteData, iter_pages, lang_path, plan_path
from .publish import release_files
from .render import environment, fingerprint, render_page, static_files
from .validate import validate
from .write import Staging

# Below this many plans the plan pages are made in this process: forking costs more than it saves.
PARALLEL_MIN_PLANS = 40
CHUNK = 16  # plans per task sent to a worker


class BuildError(Exception):
    """The corpus has errors: nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} error(s)")
        self.problems = problems


@dataclass
class Report:
    """What a build did: counts, warnings and the time of each stage."""

    plans: int = 0
    targets: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    written: int = 0  # files whose bytes were written; the others were carried over unchanged
    warnings: list[Problem] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)


def _timed(report: Report, stage: str, fn, *args, **kw):
    start = time.perf_counter()
    result = fn(*args, **kw)
    report.stages[stage] = report.stages.get(stage, 0.0) + time.perf_counter() - start
    return result


def _extract(plan_indexes: list[int]) -> list[list[Citation]]:
    """The citations of some plans (in a worker forked with _JOB["plans"] set)."""
    plans, names = _JOB["plans"], _JOB["names"]
    return [cite.extract(plans[i].text, own_number=plans[i].number, province=plans[i].province, names=names)
            for i in plan_indexes]


def _extract_all(corpus: Corpus, workers: int, names: dict) -> Iterator[list[Citation]]:
    """Every plan's citations, in plan order; found in worker processes for a large corpus (resolving
    them stays in order, in this process, because each plan can add to the registry)."""
    plans = corpus.plans
    if workers <= 1 or len(plans) < PARALLEL_MIN_PLANS:
        for p in plans:
            yield cite.extract(p.text, own_number=p.number, province=p.province, names=names)
        return
    _JOB["plans"], _JOB["names"] = plans, names
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk in pool.imap(_extract, _chunks(list(range(len(plans))), 4 * CHUNK)):
                yield from chunk
    finally:
        _JOB.pop("plans", None)
        _JOB.pop("names", None)


def link_citations(corpus: Corpus, root_registry: dict[str, Instrument], names: dict | None = None, *,
                   workers: int = 1) -> tuple[tuple[Citation, ...], dict[str, Instrument], list[Problem]]:
    """Find every citation in every plan, resolve it to one instrument, and complete the registry."""
    registry: dict[str, Instrument] = dict(root_registry)
    # resolve() only ever looks at entries with a citation's own number: hand it those (a scan of
    # the whole registry per citation grows with plans x instruments).
    by_number: dict[str, dict[str, Instrument]] = {}
    for k, e in registry.items():
        if e.number:
            by_number.setdefault(e.number, {})[k] = e
    problems: list[Problem] = []
    found: list[Citation] = []
    for p, raw in zip(corpus.plans, _extract_all(corpus, workers, names or {})):
        near = {k: e for n in {c.number for c in raw if c.number} for k, e in by_number.get(n, {}).items()}
        resolved, msgs = cite.resolve(raw, near, province=p.province, plan_id=p.id)
        problems += [Problem("warning", f"corpus/plans/{p.id}.md", "", m) for m in msgs]
        for c in resolved:
            if c.legal_id and c.legal_id not in registry:
                # An instrument first seen in a citation enters the registry with what the citation
                # says; check_registry below warns about it, with the entry to paste into legal.yaml.
                registry[c.legal_id] = entry = cite.registry_entry_from_citation(c)
                if entry.number:
                    by_number.setdefault(entry.number, {})[c.legal_id] = entry
            found.append(replace(c, plan_id=p.id, sentence=cite.sentence_around(p.text, c.start, c.end)))
    problems += [Problem("warning", "corpus/legal.yaml", "", m)
                 for m in cite.check_registry(root_registry, found)]
    cited = {c.legal_id for c in found}
    for legal_id in sorted(set(registry) - cited):
        # The site lists instruments the plans cite; an entry nothing cites is kept out of it.
        problems.append(Problem("warning", "corpus/legal.yaml", f"field {legal_id}",
                                "no plan cites this instrument: it is not published (remove it or "
                                "check the plan that should cite it)."))
    ordered = {k: v for k, v in sorted(registry.items()) if k in cited}
    return tuple(found), ordered, problems


@dataclass(frozen=True)
class Gathered:
    """Everything the site shows, computed and checked, before rendering."""

    site: SiteData
    rows: dict[str, list[tuple]]
    changelog: str
    problems: list[Problem]


def gather(corpus_dir: Path, *, base_url: str = "", report: Report | None = None, workers: int = 1) -> Gathered:
    """Load, validate and compute everything; raise BuildError with every problem if the corpus is bad."""
    report = report or Report()
    raw, problems = _timed(report, "load", load_corpus, corpus_dir)
    corpus, more = _timed(report, "validate", validate, raw)
    problems += more
    # The registry and the alias table of the corpus being built, read by the same safe loader;
    # their errors are reported with all the others.
    names, errors = cite.names_from_data(raw.tables.get("legal_names"))
    registry, more_errors = cite.registry_from_data(raw.tables.get("legal") or [], names)
    problems += [Problem("error", raw.table_paths.get("legal_names", ""), "", e) for e in errors]
    problems += [Problem("error", raw.table_paths.get("legal", ""), "", e) for e in more_errors]
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems)
    citations, instruments, more = _timed(report, "citations", link_citations, corpus, registry, names,
                                          workers=workers)
    problems += more
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems)
    tables = _timed(report, "normalize", make_tables, corpus)
    site = SiteData(corpus, tables, citations, instruments, base_url)
    rows = _timed(report, "normalize", tables_for_download, corpus, tables, citations, instruments)
    report.plans = len(corpus.plans)
    report.targets = sum(len(p.targets) for p in corpus.plans)
    report.warnings = [p for p in problems if p.severity == "warning"]
    return Gathered(site, rows, raw.changelog, problems)


def index_search(staging: Path) -> None:
    """Build the Pagefind search index into the staged site (before it is swapped in)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-subdir", "pagefind", "--quiet"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    # Pagefind lists the index's languages in no fixed order: sort them so builds are identical.
    entry = staging / "pagefind" / "pagefind-entry.json"
    if entry.exists():
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
                         encoding="utf-8")


# ---------------------------------------------------------------- plan pages, in workers

# Set in the parent before the workers are forked; the workers inherit them (nothing is pickled).
_JOB: dict = {}


def _hash(*parts) -> str:
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


def _plan_key(plan, lang: str) -> str:
    """Everything a plan page is made from (see the module's docstring)."""
    job = _JOB
    b = job["builders"][lang]
    cites = b._cites_of_plan.get(plan.id, [])
    insts = [job["site"].instruments.get(c.legal_id) for c in cites if c.legal_id]
    twin = b._twins[(plan.province, plan.year)] > 1
    return _hash(job["common"], lang, plan, tuple(cites), tuple(insts), twin, b.matrix_split)


def _plan_pages(plan_ids: list[str]) -> list:
    """Make, render and stage the pages (both languages) of some plans; return the staged entries."""
    job = _JOB
    staging: Staging = job["staging"]
    mark = staging.mark()
    incremental = bool(staging.old)
    for pid in plan_ids:
        plan = job["builders"][LANGS[0]].plans[pid]
        for lang in LANGS:
            path = lang_path(lang, plan_path(pid))
            key = _plan_key(plan, lang)
            if incremental and staging.reuse(path, key):
                continue
            page = job["builders"][lang].plan(plan)
            staging.write(page.path, render_page(job["env"], page), key)
    return staging.entries_since(mark)


def _chunks(items: list[str], n: int) -> list[list[str]]:
    return [items[i:i + n] for i in range(0, len(items), n)]


class _Planned(Mapping):
    """The staged files plus the plan pages still being made (their paths only: for the sitemap)."""

    def __init__(self, staged: Mapping[str, bytes], planned: list[str]):
        self._staged, self._planned = staged, planned

    def __getitem__(self, rel: str) -> bytes:
        return self._staged[rel]

    def __iter__(self) -> Iterator[str]:
        yield from self._staged
        yield from self._planned

    def __len__(self) -> int:
        return len(self._staged) + len(self._planned)


class _Sources(Mapping):
    """Source documents by file name, read when asked."""

    def __init__(self, corpus_dir: Path, corpus: Corpus):
        self._paths = {Path(p.source_file).name: corpus_dir / p.source_file for p in corpus.plans}

    def __getitem__(self, name: str) -> bytes:
        return self._paths[name].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def default_workers() -> int:
    """Worker processes for plan pages: one per core, at most 4 (memory grows with each)."""
    return max(1, min(4, os.cpu_count() or 1))


def write_output(g: Gathered, corpus_dir: Path, out_dir: Path, report: Report, *, search: bool,
                 incremental: bool, workers: int) -> None:
    """Make every page and file of the site into a staging folder, then swap it in."""
    site = g.site
    corpus = site.corpus
    staging = Staging(out_dir, incremental=incremental)
    try:
        builders = {lang: Builder(site, lang) for lang in LANGS}
        common = _hash(fingerprint(), site.base_url, corpus.data_version, corpus.lookups)
        _JOB.update(site=site, builders=builders, env=environment(), staging=staging, common=common)
        plan_ids = [p.id for p in corpus.plans]
        plan_paths = [lang_path(lang, plan_path(pid)) for pid in plan_ids for lang in LANGS]
        pool = None
        pending = None
        start = time.perf_counter()
        if workers > 1 and len(plan_ids) >= PARALLEL_MIN_PLANS:
            gc.collect()
            gc.freeze()  # the gathered data stays shared with the workers instead of being copied
            pool = multiprocessing.get_context("fork").Pool(workers)
            pending = pool.map_async(_plan_pages, _chunks(plan_ids, CHUNK), chunksize=1)
        else:
            _timed(report, "plan pages", _plan_pages, plan_ids)  # staged in place, in this process
        # Meanwhile, in this process: every other page, the data files, the release files.
        env = _JOB["env"]
        charts: dict = {}
        n_pages = 0
        pages = iter_pages(site, data_files_index(g.rows), charts, plans=False, builders=builders)
        while True:  # each page rendered and staged as soon as it is made: contexts are not all kept
            page = _timed(report, "contexts", next, pages, None)
            if page is None:
                break
            n_pages += 1
            # A page whose context (every finished value it shows) is unchanged is not rendered again.
            key = _timed(report, "render", _hash, common, page)
            if not (staging.old and staging.reuse(page.path, key)):
                staging.write(page.path, _timed(report, "render", render_page, env, page), key)

        def export_all():
            for rel, data in iter_export_files(corpus, site.tables, g.rows, charts, _Sources(corpus_dir, corpus)):
                staging.write(rel, data)
            if g.changelog:
                staging.write("data/CHANGELOG.md", g.changelog.encode("utf-8"))
            for rel, data in static_files().items():
                staging.write(rel, data)
        _timed(report, "export", export_all)
        planned = plan_paths if pool is not None else []
        for rel, data in _timed(report, "publish", release_files, _Planned(staging.files(), planned), corpus,
                                site.base_url).items():
            staging.write(rel, data)
        if pool is not None:
            wait = time.perf_counter()
            for entries in pending.get():
                staging.merge(entries)
            pool.close()
            pool.join()
            gc.unfreeze()
            report.stages["plan pages (wait)"] = time.perf_counter() - wait
            report.stages["plan pages"] = time.perf_counter() - start
        report.pages = n_pages + len(plan_paths)
    except BaseException:
        if "pool" in locals() and pool is not None:
            pool.terminate()
            gc.unfreeze()
        staging.abort()
        raise
    finally:
        _JOB.clear()
    def finish(root: Path) -> None:
        _timed(report, "search", index_search, root)
    start = time.perf_counter()
    staging.commit(finish if search else None)
    report.stages["write"] = time.perf_counter() - start - report.stages.get("search", 0.0)
    report.files = len(staging.entries)
    report.bytes = staging.bytes
    report.written = staging.written


def build(corpus_dir: Path, out_dir: Path, *, base_url: str = "", search: bool = True,
          strict: bool = False, incremental: bool = True, workers: int | None = None) -> Report:
    """The whole build: gather, then write the site in one swap. Raises BuildError on a bad corpus.

    incremental: reuse what the previous build in out_dir made from unchanged inputs (the result
    is byte for byte the same as a full build). workers: processes for plan pages (default: cores)."""
    report = Report()
    workers = default_workers() if workers is None else workers
    gathered = gather(corpus_dir, base_url=base_url, report=report, workers=workers)
    if strict and report.warnings:
        raise BuildError([replace(w, severity="error") for w in report.warnings])
    write_output(gathered, Path(corpus_dir), Path(out_dir), report, search=search, incremental=incremental,
                 workers=workers)
    return report
