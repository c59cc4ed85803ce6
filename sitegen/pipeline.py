"""The build, stage by stage: gather (load, validate, cite, normalize) then render and write.

Nothing is written until every stage before it has finished without error; the
write itself swaps in a complete new site in one rename.

Speed (benchmarks/README.md): the pages of provinces, categories and instruments, then the plan
pages, then the chart pages and the social cards are made and rendered in worker processes
forked after the gathering (they share the gathered data, copy-on-write; each chart is sent
to them packed), while this process makes the pages that sum up the whole corpus, the data
files and the release ZIP, and keys the chart pages and cards (those unchanged are carried
over here). Files go to the staging folder as they are made, never all held in memory. An
incremental build with fewer than POOL_MIN_TASKS jobs and plan pages to make forks no workers: it
makes them here (and forks them later only for many charts or cards to make).

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
import multiprocessing
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from . import deps, texts, urls
from .cache import JobRecords
from .carry import carry_jobs, plans_to_make, reuse_all, reuse_job
from .heap import gc_paused
from .export import SpilledParts, data_files, data_files_index, iter_chart_files, spill_blocks, zip_pieces
from .gather import (CHUNK, PARALLEL_MIN_PLANS, BuildError, Gathered, Report, _timed, gather,  # noqa: F401 (re-exported)
                     link_citations, source_files)  # noqa: F401
from .i18n import LANGS
from .jobkeys import digests_for, keep
from .cards import ChartCard, cards_to_draw, draw_card
from .options import SiteOptions
from .pages import (Digests, Drawn, Kit, PageJob, chart_pages, job_key, kits, page_jobs,
                    plan_jobs, templates_of)
from .pages.packed import unpack
from .pages.reads import BASE_READS, value_digest
from .publish import release_files
from .render import environment, environment_tag, render_page, static_files
from .urls import lang_path, plan_path
from .options import check_base_url, check_templates
from .search import index_search
from .standby import staging_for
from .write import DEFAULT_WAIT, OutputError, Staging, output_lock, output_refusal, recover

# The state of a worker process: set once in each worker by the pool's initializer (the workers are
# forked, so it is inherited, not pickled); the parent process never sets it.
_WORKER: dict = {}


def _init_worker(state: dict) -> None:
    """Pool initializer: keep this worker's state (what its tasks need: see its callers)."""
    _WORKER.update(state)


# ---------------------------------------------------------------- pages, in workers

_hash = value_digest


def _plan_pages(state: dict, plan_ids: list[str]) -> None:
    """Make, render and stage the pages (both languages) of some plans; a page whose job key is
    unchanged since the previous build is carried over without being made."""
    for pid in plan_ids:
        # The collector off while a plan's two pages are made, on again once they are freed: it walked
        # (and promoted, to be walked again) the tens of thousands of objects of their contexts and
        # rendering while they were alive (7 % of the plan pages' CPU, profiled); it holds meanwhile the
        # garbage cycles of one plan's two pages (sitegen.heap).
        with gc_paused():
            _plan_pages_of(state, pid)


def _plan_pages_of(state: dict, pid: str) -> None:
    """Make, render and stage one plan's pages (_plan_pages); its pages are freed when it returns."""
    staging: Staging = state["staging"]
    for lang in LANGS:
        job = state["plan_jobs"][lang][pid]
        if lang_path(lang, plan_path(pid)) in staging.entries:  # carried over before (plans_to_make)
            continue
        if staging.old and staging.reuse(lang_path(lang, plan_path(pid)), job.key):
            continue
        for page in job.run(state["kits"][lang]):
            staging.write(page.path, render_page(state["env"], page), job.key)


def _plan_pages_in_worker(plan_ids: list[str]) -> tuple[list, float]:
    """_plan_pages in a worker; return the staged entries and the seconds it took."""
    return _in_worker(_plan_pages, plan_ids)


def _chart_page_tasks(k: Kit, drawn: Drawn, staging: Staging, common: str, digests: Digests) -> tuple[int, list]:
    """Key the permalink and embed pages of the charts drawn in one language and carry over those
    whose key is unchanged: the chart (its digest), the page it links back to, and the digests of
    what the pages declare they read (chart_reads). Returns how many pages, and the charts whose
    pages are to be made (_chart_pages: each with its chart still packed, for a worker)."""
    n, todo = 0, []
    for cid in sorted(drawn.charts):
        home, reads = drawn.homes[cid], drawn.reads_of(cid)
        key = _hash(common, k.lang, cid, home, drawn.digest(cid), digests.lean.key(reads | BASE_READS))
        paths = [lang_path(k.lang, urls.chart_path(cid)), lang_path(k.lang, urls.embed_path(cid))]
        n += len(paths)
        if not reuse_all(staging, paths, key):
            made = frozenset(p for p in paths if p in staging.entries)  # carried all the same (reuse_all)
            todo.append((k.lang, cid, drawn.charts.packed(cid), home, reads, key, made))
    return n, todo


def _chart_pages(state: dict, tasks: list) -> None:
    """Make, render and stage the pages of some charts (_chart_page_tasks), one chart unpacked at a time."""
    staging: Staging = state["staging"]
    for lang, cid, packed, home, reads, key, made in tasks:
        # Made as a job: its reads are checked against what it declares, its templates against its module's.
        job = PageJob(chart_pages, ({cid: (unpack(packed), home)},), reads=reads, lang=lang)
        for page in job.run(state["kits"][lang]):
            if page.path not in made:
                staging.write(page.path, render_page(state["env"], page), key)


def _draw_cards(state: dict, tasks: list) -> None:
    """Draw and stage some cards: (site path, CardSpec or ChartCard, key, the chart packed or None)."""
    staging: Staging = state["staging"]
    for rel, what, key, packed in tasks:
        staging.write(rel, draw_card(what, packed and unpack(packed)), key)


def _in_worker(work, tasks: list) -> tuple[list, float]:
    """work(state, tasks) in a worker (_chart_pages, _draw_cards); return the staged entries and the
    seconds it took."""
    staging: Staging = _WORKER["staging"]
    mark, start = staging.mark(), time.perf_counter()
    work(_WORKER, tasks)
    return staging.entries_since(mark), time.perf_counter() - start


def _stage_chart_files(charts: dict[tuple[str, str], Drawn], staging: Staging, version: str) -> None:
    """Stage the CSV of each chart's data, carried over when the chart (its digest) and the data
    version are those the previous build made them from."""
    code = deps.code_digest("sitegen.export")
    for (lang, cid), drawn in sorted(charts.items()):
        paths = [urls.chart_csv_path(cid, lang)]
        key = _hash(code, lang, cid, drawn.digest(cid), version)
        if reuse_all(staging, paths, key):
            continue
        for rel, data in iter_chart_files({(lang, cid): drawn.charts[cid]}, version):
            if rel not in staging.entries:
                staging.write(rel, data, key)


def _run_job(kit: Kit, job: PageJob, state: dict) -> tuple[int, Drawn]:
    """Make one job's pages and stage them, unless they can be carried over; return how many, and
    the charts drawn on them."""
    staging: Staging = state["staging"]
    reused = reuse_job(job, staging, state["records"])
    if reused is not None:
        return reused
    pages = job.run(kit)
    for page in pages:
        if page.path not in staging.entries:
            staging.write(page.path, render_page(state["env"], page), job.key)
    drawn = Drawn().take(pages)
    if state["records"] is not None:
        state["records"].put(job.key, ([page.path for page in pages], drawn))
    return len(pages), drawn


def _jobs_in_worker(jobs: list[PageJob]) -> tuple[list, list]:
    """Run some page jobs in a worker; return the staged entries and, per job, (pages, charts drawn)."""
    staging: Staging = _WORKER["staging"]
    mark = staging.mark()
    done = [_run_job(_WORKER["kits"][j.lang], j, _WORKER) for j in jobs]
    return staging.entries_since(mark), done


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


def province_cards(k) -> dict:
    """Each province page's card content: page file name -> (its title, the plans it lists), as
    pages.provinces makes the pages (one per unit a plan was signed in, and per present-day unit)."""
    from .pages.kit import unit_of, unit_pages
    from .pages.provinces import unit_short

    plans = k.corpus.plans
    units = [unit_of(p) for p in plans]
    # Each unit's plans (those signed in it, and those of the units it was formed from), in the corpus'
    # order, indexed once: a pass over every plan per unit was O(units x plans) (0.65 s at 10,000 plans).
    listed: dict[str, list[int]] = {}
    for i, (p, u) in enumerate(zip(plans, units)):
        for uid in dict.fromkeys((u, *p.province_today)):
            listed.setdefault(uid, []).append(i)
    out = {}
    for uid in unit_pages(plans):
        uid = k.ix.unit_key(uid)
        at = listed.get(uid, ())
        mine = [plans[i] for i in at]
        own = [plans[i] for i in at if units[i] == uid]
        name = urls.province_path(uid)[len("provinces/"):-len(".html")]
        out[name] = (own[0].province if own else unit_short(k, uid), mine)
    return out


# The page jobs and plan pages to make in the workers from which each plan's CSV and JSON bytes of the
# download tables are spilled into a file before the workers are forked (spill). The spill keeps those
# bytes (about 40 MiB per 1,000 plans) out of the heap the workers share and copy as they work, which
# matters to a build that makes many pages (a full build: its peak memory); it costs every build the
# writing of every plan's bytes (1.3 s at 10,000 plans), which a build that makes a few pages (one
# plan edited: a few dozen jobs) does not get back: its workers touch little of that heap.
SPILL_MIN_TASKS = 256
# Fewer page jobs and plans to make than this (or charts and cards to make, after them) are made in this
# process, without forking workers. One plan's YAML edit makes some 30 jobs: made here they took 0.3-0.6 s at
# 2,000 plans and 1.4-2.3 s at 10,000, and the rebuild's CPU was 0.5-4 s less than with the pool (forked, its
# workers touching the heap, slowing the export beside them on a loaded machine); on idle cores the pool might
# save a second of wall time at 10,000 plans (README, issue 19 bookkeeping).
POOL_MIN_TASKS = 32


def spill(g: Gathered) -> None:
    """Move each plan's CSV and JSON bytes of the download tables into a file (export.spill_blocks),
    read when the tables are written, and give the memory they held back to the system."""
    # In place: the build's Gathered holds this dict too, and the bytes are freed only once no one does.
    g.blocks.update(spill_blocks(g.blocks, g.db and g.db.top))
    texts.trim_heap()


def spilled(g: Gathered) -> bool:
    """Whether the blocks' bytes are spilled (spill)."""
    return any(isinstance(b.csv, SpilledParts) for _, b in g.blocks.values())


def spill_first(g: Gathered, incremental: bool) -> bool:
    """Whether to spill right after the gathering, before the jobs and kits are made (the heap is then
    smallest: a spill after them left a full build's peak 6 % higher at 1,000 plans): when the build
    will make most pages anyway (a full build; an incremental one that read most plans anew)."""
    return not incremental or g.db is None or 2 * g.db.put_count("plans") >= len(g.site.corpus.plans)


def default_workers() -> int:
    """Worker processes for plan pages: one per core, at most 4 (memory grows with each)."""
    return max(1, min(4, os.cpu_count() or 1))


def write_output(g: Gathered, corpus_dir: Path, out_dir: Path, report: Report, options: SiteOptions, *,
                 incremental: bool, workers: int, publish: str = "standby") -> None:
    """Make every page and file of the site into a staging folder, then swap it in."""
    if not options.base_url and g.site.corpus.settings.site_url:
        # corpus/site.yaml's address, unless --base-url gave another (a preview build for another host).
        options = replace(options, base_url=g.site.corpus.settings.site_url)
    report.site_url = options.base_url
    site = replace(g.site, options=options)
    corpus = site.corpus
    staging = staging_for(out_dir, incremental=incremental, publish=publish)
    pool = None
    try:
        records = JobRecords(out_dir, read=incremental)
        env = environment(options.templates, records.compiled(environment_tag()))
        # Chart pages are keyed by their context, the code that makes them and their templates
        # (derived: sitegen.deps); options that change no page (search; the templates folder: its
        # files are in the templates' digest) are left out.
        common = _hash(deps.code_digest("sitegen.pages.charts"),
                       deps.template_digest(*templates_of("sitegen.pages.charts"), override=options.templates),
                       replace(options, search=True, templates=None))
        # Each job's key, from its declared inputs, code and templates (computed here, before the
        # workers are forked, so that each input's digest is computed once).
        digests = digests_for(site, g.blocks, records)  # an unchanged plan's digests as computed before
        jobs = [j.but(key=job_key(j, digests)) for j in page_jobs(site, data_files_index(g.rows))]
        by_plan = {lang: {pid: j.but(key=job_key(j, digests)) for pid, j in one.items()}
                   for lang, one in plan_jobs(site).items()}
        state = dict(kits=kits(site), env=env, staging=staging, plan_jobs=by_plan, records=records)
        plan_ids = [p.id for p in (*corpus.plans, *corpus.drafts)]  # a draft has its plan page too
        plan_paths = [lang_path(lang, plan_path(pid)) for pid in plan_ids for lang in LANGS]
        drawn = {lang: Drawn() for lang in LANGS}
        pending = None
        parallel = workers > 1 and len(plan_ids) >= PARALLEL_MIN_PLANS
        # The jobs and plan pages unchanged since the previous build: carried over here, at once (sitegen.carry).
        carried = _timed(report, "carry", carry_jobs, jobs, staging, records)
        plan_todo = _timed(report, "carry", plans_to_make, plan_ids, by_plan, staging)
        to_make = [j for i, j in enumerate(jobs) if j.worker and i not in carried]
        # Workers only for many pages: forking them (their heap's page tables copied, the pool's threads) and
        # sending them the jobs costs more than a few jobs do (one plan's YAML edited: some 30 jobs).
        in_pool = parallel and len(to_make) + len(plan_todo) >= POOL_MIN_TASKS
        if not in_pool:
            to_make = []

        def fork():
            gc.collect()
            # The gathered data stays shared with the workers instead of being copied; frozen until
            # _build unfreezes it after the whole write (the search index and the swap included).
            gc.freeze()
            return multiprocessing.get_context("fork").Pool(workers, _init_worker, (state,))
        if in_pool:
            if len(plan_todo) > CHUNK:  # many plan pages to make: index the full site once, here, shared
                for k in state["kits"].values():
                    k.with_text  # noqa: B018 (made when first asked: pages.kits)
            if len(to_make) > CHUNK:  # many jobs to make: the lookups made when first asked, once, here, shared
                state["kits"]["vi"].index.prepare()
            if len(to_make) + len(plan_todo) >= SPILL_MIN_TASKS and not spilled(g):
                spill(g)
            pool = fork()
            # The pages of one province, category or instrument first: their charts are needed
            # (keyed here, for the chart pages and cards) before the plan pages are.
            jobs_done = pool.map_async(_jobs_in_worker, _chunks(to_make, 4), chunksize=1)
            pending = pool.map_async(_plan_pages_in_worker, _chunks(plan_todo, CHUNK), chunksize=1)
        n_pages = 0
        # Meanwhile, in this process: the pages that sum up the whole corpus, one at a time (their
        # contexts are not all kept), then the data files.
        for i, j in enumerate(jobs):
            if not j.worker or not in_pool:
                n, charts_ = carried.get(i) or _timed(report, "pages", _run_job, state["kits"][j.lang], j, state)
                n_pages += n
                drawn[j.lang].merge(charts_)

        def export_all():
            code = deps.code_digest("sitegen.export")
            for files in data_files(corpus, g.rows, g.blocks):
                made_of = (value_digest(files.made_of) if files.made_of
                           else digests.key(files.reads | {("data_version",)}))
                key = _hash(code, files.paths, made_of)
                if reuse_all(staging, files.paths, key):
                    continue
                for rel, data in files.make():
                    if rel not in staging.entries:
                        staging.write(rel, data, key)
            for rel, key, read in source_files(corpus_dir, corpus, g.db):
                if not staging.reuse(rel, key):
                    staging.write(rel, read(), key)
            if g.changelog:
                staging.write(urls.CHANGELOG, g.changelog.encode("utf-8"))
            for rel, data in static_files().items():
                staging.write(rel, data)
        _timed(report, "export", export_all)
        if in_pool:
            wait = time.perf_counter()
            done = []
            for entries, chunk in jobs_done.get():
                staging.merge(entries)
                done += chunk
            made = iter(done)
            for i, j in enumerate(jobs):  # in the jobs' order, as if each had run (Drawn.merge keeps the first home)
                if j.worker:
                    n, charts_ = carried.get(i) or next(made)
                    n_pages += n
                    drawn[j.lang].merge(charts_)
            del jobs_done, done  # the workers' results: merged
            report.stages["pages (wait)"] = time.perf_counter() - wait
        else:
            _timed(report, "plan pages", _plan_pages, state, plan_todo)  # staged in place, in this process
        # Chart pages and cards last: every chart is known now. Keyed here (the unchanged ones carried
        # over), made and drawn in the workers (queued after the plan pages) while this process makes
        # the charts' data files and the release files; each chart is sent packed (pages.packed).
        chart_todo: list = []
        charts: dict = {}
        for lang in LANGS:
            n, todo = _timed(report, "chart pages", _chart_page_tasks, state["kits"][lang], drawn[lang], staging,
                             common, digests)
            n_pages += n
            chart_todo += todo
            charts.update({(lang, cid): drawn[lang] for cid in drawn[lang].charts})
        report.cards, card_todo = _timed(report, "cards", cards_to_draw, staging, site, lang_path, drawn,
                                         province_cards(state["kits"]["vi"]))
        report.cards_drawn = len(card_todo)
        card_tasks = [(rel, what, key, drawn[what.lang].charts.packed(what.cid) if isinstance(what, ChartCard) else None)
                      for rel, what, key in card_todo]
        later = []
        if pool is None and parallel and len(chart_todo) + len(card_tasks) >= POOL_MIN_TASKS:
            pool = fork()  # few pages made, but many charts or cards (a change to the cards' code)
        if pool is not None:
            later = [(stage, pool.starmap_async(_in_worker, [(work, c) for c in _chunks(tasks, size)], chunksize=1))
                     for stage, work, tasks, size in (("chart pages", _chart_pages, chart_todo, 16),
                                                      ("cards", _draw_cards, card_tasks, 16))]
        else:
            _timed(report, "chart pages", _chart_pages, state, chart_todo)
            _timed(report, "cards", _draw_cards, state, card_tasks)
        del card_todo, card_tasks
        _timed(report, "export", _stage_chart_files, charts, staging, corpus.data_version)
        # The sitemap lists the pages still being made in the workers (their paths only).
        planned = ([p for p in plan_paths if p not in staging.entries]
                   + [p for lang, cid, *_ in chart_todo
                      for p in (lang_path(lang, urls.chart_path(cid)), lang_path(lang, urls.embed_path(cid)))
                      if p not in staging.entries]) if pool is not None else []
        del chart_todo
        hashes = {rel: e[1] for rel, e in staging.entries.items()}  # the ZIP's members: compressed once
        for rel, data in _timed(report, "publish", release_files, _Planned(staging.files(), planned), corpus,
                                options.base_url, hashes=hashes, packed=g.db and g.db.store("zip"),
                                pieces=zip_pieces(corpus, g.blocks)).items():
            if callable(data):
                if not staging.reuse(rel, data.key):
                    _timed(report, "publish", staging.write_stream, rel, data, data.key)
                else:
                    data.keep()
            else:
                staging.write(rel, data)
        if pool is not None:
            wait = time.perf_counter()
            # "plan pages": the workers' own time (summed), not the span since they started, which
            # overlapped every stage of this process since then (it was counted twice in the stages).
            busy = [staging.merge(entries) or spent for entries, spent in pending.get()] if pending is not None else None
            for stage, result in later:  # their workers' time, beside this process's keying
                report.stages[stage] += sum(staging.merge(entries) or spent for entries, spent in result.get())
            del later
            pool.close()
            pool.join()
            report.stages["plan pages (wait)"] = time.perf_counter() - wait
            if busy is not None:
                report.stages["plan pages"] = sum(busy)
        report.pages = n_pages + len(plan_paths)
        records.prune({j.key for j in jobs})  # the records of jobs this site no longer has, or had other inputs
        keep(records, digests)  # each plan's digests, for the next build
        records.close()
    except BaseException:
        if pool is not None:
            pool.terminate()
        staging.abort()
        raise

    def finish(root: Path) -> None:
        _timed(report, "search", index_search, root)
    start = time.perf_counter()
    staging.commit(finish if options.search else None)
    report.stages["write"] = time.perf_counter() - start - report.stages.get("search", 0.0)
    report.files = len(staging.entries)
    report.bytes = staging.bytes
    report.written = staging.written


def build(corpus_dir: Path, out_dir: Path, options: SiteOptions | None = None, *, strict: bool = False,
          incremental: bool = True, workers: int | None = None, wait: float = DEFAULT_WAIT, on_wait=None,
          on_gathered=None, publish: str = "standby", **option_values) -> Report:
    """The whole build: gather, then write the site in one swap. Raises BuildError on a bad corpus,
    OutputError when the output folder cannot be used or written (both leave it as it was).

    options: how to build (SiteOptions); option_values set some of its fields (search=False).
    incremental: reuse what the previous build in out_dir made from unchanged inputs (the result is byte for
    byte the same as a full build). workers: processes for plan pages (default: cores). publish: sitegen.standby.
    One build of an output folder at a time: another waits up to `wait` seconds for it, telling
    `on_wait(message)`. on_gathered(gathered, corpus_dir, options): told what was gathered (serve's warm worker)."""
    options = replace(options or SiteOptions(), **option_values)
    problem = check_base_url(options.base_url)
    if problem:
        raise ValueError(f"--base-url {problem}")
    problem = check_templates(options.templates)
    if problem:
        raise ValueError(f"--templates {problem}")
    # Checked before taking the lock too, so that a folder that is not a site gets no lock file beside
    # it (the whole check, which looks at every file of a site, once: holding the lock).
    refusal = output_refusal(Path(out_dir), walk=False)
    if refusal:
        raise OutputError(refusal)
    with output_lock(Path(out_dir), wait=wait, on_wait=on_wait):
        report = Report()
        report.recovered = recover(Path(out_dir))
        try:
            refusal = output_refusal(Path(out_dir))
            if refusal:
                raise OutputError(refusal)
            return _build(corpus_dir, out_dir, report, options, strict=strict, incremental=incremental,
                          workers=workers, on_gathered=on_gathered, publish=publish)
        except Exception as exc:
            # This build wrote nothing, but it may have settled what a killed build had left (finished
            # its swap, restored the old site): the message of its failure must say so.
            exc.recovered = report.recovered
            raise


def _build(corpus_dir: Path, out_dir: Path, report: Report, options: SiteOptions, *, strict: bool,
           incremental: bool, workers: int | None, on_gathered=None, publish: str = "standby") -> Report:
    """build(), holding the output folder's lock."""
    workers = default_workers() if workers is None else workers
    deps.store_imports_in(JobRecords(out_dir).path)  # the code's import graph: parsed once, not every build
    gathered = gather(corpus_dir, report=report, workers=workers, cache_for=Path(out_dir), read_cache=incremental)
    if on_gathered is not None:
        on_gathered(gathered, Path(corpus_dir), options)
    if strict and report.warnings:
        raise BuildError([replace(w, severity="error") for w in report.warnings])
    # The plans' texts out of the heap the page workers are forked from (sitegen.texts): each plan
    # page reads its plan's text from the build database in the worker that makes it.
    gathered = texts.apart(gathered)
    # Each plan's CSV and JSON bytes of the download tables too (into a file, read when the tables are
    # written), now when most pages are to be made, else only if the workers are to make many (write_output).
    if spill_first(gathered, incremental):
        spill(gathered)  # and trims the heap
    else:
        texts.trim_heap()
    # The gathered data lives until the end of the build: out of the cyclic collector's sight, so that
    # each of its full collections while the pages and keys are made does not walk every plan again
    # (a quarter of an incremental build's CPU at 1,000 plans). Unfrozen after, collected as usual.
    gc.freeze()
    try:
        write_output(gathered, Path(corpus_dir), Path(out_dir), report, options, incremental=incremental,
                     workers=workers, publish=publish)
    finally:
        gc.unfreeze()
    if gathered.db is not None:
        gathered.db.commit()  # only after a build that succeeded
    deps.flush_store()  # the import graph and template references a first build could not store yet
    return report
