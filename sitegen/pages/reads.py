"""Declared inputs: what a page job reads, checked while it runs (their digests: pages.digests).

A read is a small tuple naming one input of the gathered data:

    ("plan", id)          a plan (or a draft), with the citations found in it
    ("province", name)    every plan of a province (with their citations)
    ("years", name)       the years of a province's plans, with repeats (what a plan's label needs:
                          whether another plan shares its province and year; covered by
                          ("province", name) and by ("plan_heads",))
    ("unit", id)          every plan signed in a provincial unit of provinces.yaml (unit_of)
    ("plans",)            every plan (covers the four above but a draft's, ("plan_count",),
                          ("unit_pages",), ("plan_keys",), ("plan_heads",) and ("cat_count",))
    ("plan_heads",)       every plan's heading (PlanHead: its id, province, year and what a source
                          line names), without its targets, tasks, text or citations
    ("plan_count",)       how many plans there are (the split design depends on it)
    ("cat_count",)        how many targets (parts left out) each category has across every plan
                          (covered by ("plans",))
    ("unit_pages",)       which provincial units have a page (unit_pages)
    ("plan_keys",)        each plan's unit, province, year, issue date and present-day units, without
                          its contents (plan_keys: the compare page's choices)
    ("comparability", id) the comparability rows (site.tables.comparability) of the targets of the
                          plans signed in a unit: their level and group, which other plans decide
    ("drafts",)           every unreviewed draft (covers ("plan", id) of a draft)
    ("instrument", id)    a registry entry, with the citations of it (without their offsets in the
                          plans' texts: no page but the citing plan's shows them, and inserting a
                          sentence into a plan moves them all: Index.cites_of_inst)
    ("entry", id)         a registry entry alone (what a plan page shows of an instrument it cites:
                          its label, date and validity), without the citations of it: inserting a
                          sentence into one plan moves the offsets of its citations, which changes
                          ("instrument", id) of every instrument it cites but no entry (covered by
                          ("instrument", id))
    ("instruments",)      every registry entry (covers the two above)
    ("citations",)        every citation
    ("groups", category)  the comparability groups of a category as shapes (subjects, unit, level:
                          normalize.GroupShape), without their targets: made of which subjects,
                          families and units the category's targets have, across every plan
                          (covered by ("tables",))
    ("tables",)           the tidy tables of normalize (site.tables, the comparability groups): made
                          of every plan and the subjects and categories lookups, and covered by
                          declaring those three (TABLES), as ("comparability", id) is
    ("lookup", name)      a lookup table: categories, subjects, units, themes, agencies, commitment_kinds
    ("option", name)      a field of SiteOptions
    ("data_version",)     the corpus' data version
    ("settings",)         corpus/site.yaml (the site's name, publisher, licence: on every page)
    facts                 small facts derived from the plans, for the pages that sum up every plan
                          (("plan_lines",), ("category_summary", category) ...): kinds defined in
                          facts.py, which registers how each is digested and covered (FACT_KINDS)

A Kit hands the data to page code only through the views below, which record every read; the
build checks after each job that it read nothing it did not declare (UndeclaredRead), so that a
declaration cannot silently fall out of date. A job's cache key is then made of the digests of
what it declares, of the code it runs and of the templates it renders (sitegen.deps).
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import pickle
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from .. import urls
from ..model import without_offsets  # noqa: F401 (what the pages of an instrument see of a citation)
from ..texts import textless

Read = tuple
# What every page reads: its base layout (data version, site settings, canonical URL) and the site design.
BASE_READS = frozenset({("data_version",), ("settings",), ("option", "base_url"), ("option", "split_max_plans"),
                        ("plan_count",)})


def lookups(*names: str) -> frozenset:
    """The reads of some lookup tables."""
    return frozenset(("lookup", n) for n in names)


ALL_PLANS = frozenset({("plans",)})
# Read kinds defined in facts.py (derived facts): kind -> (digest(digests, read), covers(declared, read)).
FACT_KINDS: dict[str, tuple[Callable, Callable]] = {}
# What normalize.tables reads: the targets' subject families and the comparability groups come from
# the subjects and categories tables. Declaring these covers a read of ("tables",).
TABLES = frozenset({("plans",), ("lookup", "subjects"), ("lookup", "categories")})


def unit_of(p) -> str:
    """The id of the provincial unit a plan was signed in (corpus/provinces.yaml); the slug of its
    province's name for a plan the table did not key (a unit that existed before 01/07/2025 has that id)."""
    return p.province_at_signing or urls.province_path(p.province)[len("provinces/"):-len(".html")]


def unit_pages(plans) -> tuple[str, ...]:
    """The units that get a page: those a plan was signed in, and the present-day units they are now
    part of (a merged province's plans are listed there, each under its own unit)."""
    return tuple(sorted({unit_of(p) for p in plans} | {u for p in plans for u in p.province_today}))


def unit_reads(plans) -> dict[str, frozenset]:
    """What a page of one provincial unit declares: ("unit", id), and ("province", name) for the names
    its plans carry (their labels are told apart by province and year)."""
    out: dict[str, set] = {}
    for p in plans:
        out.setdefault(unit_of(p), {("unit", unit_of(p))}).add(("province", p.province))
    return {u: frozenset(r) for u, r in out.items()}


# The last site made lean and its lean twin (lean_site): the kits and the digests of a build share it.
_LEAN: list = []


def lean_site(site):
    """The site as every page but a plan's own sees it (PageJob.text): each plan without its text, each
    citation without its place in that text (without_offsets). A derived fact with early cutoff:
    inserting a sentence into a plan changes the full plan, not its lean twin, so the pages made of the
    lean site (lists, provinces, categories, matrices, instruments, home) keep their keys and are not
    made again. No page but the plan's shows a plan's text or where a citation sits in it."""
    if _LEAN and _LEAN[0] is site:
        return _LEAN[1]
    corpus = site.corpus
    def lean_plan(p):  # a plan whose text is kept apart (sitegen.texts) is its own lean twin
        return p if p.text == "" else textless(p)
    lean = dataclasses.replace(
        site, corpus=dataclasses.replace(corpus, plans=tuple(lean_plan(p) for p in corpus.plans),
                                         drafts=tuple(lean_plan(p) for p in corpus.drafts)),
        citations=tuple(without_offsets(c) for c in site.citations), texts=None)
    _LEAN[:] = [site, lean]
    return lean


def plan_keys(plans) -> tuple[tuple, ...]:
    """What the compare page's choices are made of: (unit, province, year, issue date, present-day
    units) of every plan, sorted, without duplicates (editing a plan's targets changes none of it)."""
    return tuple(sorted({(unit_of(p), p.province, p.year, p.issued or "", tuple(p.province_today)) for p in plans}))


# The last comparability_by_unit computed, with what it was computed from: the job keys and the lean
# site's index ask for the same (0.25 s at 10,000 plans each); the comparability table is compared by
# identity (kept here: its id cannot be reused), the plans by their units.
_LAST_BY_UNIT: list = []


def comparability_by_unit(plans, comparability) -> dict[str, dict[tuple[str, str], tuple[str, str, str, str]]]:
    """The comparability table by the unit of each target's plan: unit -> (plan id, target id) ->
    (level, group, group subjects, unit of measure). Not to be changed: the same dict is handed to
    every caller asking for the same table and units."""
    unit = {p.id: unit_of(p) for p in plans}
    if _LAST_BY_UNIT and _LAST_BY_UNIT[0] is comparability and _LAST_BY_UNIT[1] == unit:
        return _LAST_BY_UNIT[2]
    out: dict[str, dict] = {}
    # Unpacked, not read by field name: this runs over every compared target.
    for plan_id, target_id, _, _, _, measure, group, group_subjects, level in comparability:
        out.setdefault(unit.get(plan_id, ""), {})[(plan_id, target_id)] = (level, group, group_subjects, measure)
    _LAST_BY_UNIT[:] = [comparability, unit, out]
    return out


@dataclasses.dataclass(frozen=True)
class PlanHead:
    """A plan's heading: what a label (Kit.plan_label) and a source line (Kit.doc_reference) name of
    it. A page listing every plan by these alone declares ("plan_heads",), which an edit of a plan's
    targets, tasks or text leaves unchanged."""

    id: str
    province: str
    year: int
    number: str | None
    doc_type: str
    issued: str | None
    issuer: str | None
    source_kind: str
    press_outlet: str | None
    press_published: str | None


def plan_head(p) -> PlanHead:
    """A plan's heading."""
    return PlanHead(p.id, p.province, p.year, p.number, p.doc_type, p.issued, p.issuer, p.source_kind,
                    p.press_outlet, p.press_published)


class UndeclaredRead(Exception):
    """A page job read an input its declaration does not list."""


@lru_cache(maxsize=None)
def templates_of(module: str) -> tuple[str, ...]:
    """The templates the pages of a page module are rendered with: those its own context dataclasses
    and the kit's name (PageJob.run checks that a job's pages use no other, so that a job's key,
    which covers these, covers every template it renders; a helper imported from another page module
    does not bring that module's templates in)."""
    out = set()
    for name in dict.fromkeys((module, "sitegen.pages.kit")):
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, type) and value.__module__ == name and isinstance(getattr(value, "template", None), str):
                out.add(value.template)
    return tuple(sorted(out))


def check_templates(job: str, module: str, pages) -> None:
    """UndeclaredRead if a job of `module` made a page rendered by another module's template."""
    own = templates_of(module)
    for page in pages:
        if page.template not in own:
            raise UndeclaredRead(f"{job} renders {page.path} with {page.template}, a template of another "
                                 f"module (its key covers {own}): make that page with that module's function")


def value_digest(*parts) -> str:
    """A digest of some values (contexts, plans): equal values give equal digests in any process."""
    digest = hashlib.blake2b(digest_size=16)
    # The pickle is hashed as it is written (frame by frame), never held whole: a whole table's
    # rows were a transient buffer of hundreds of MB at 10,000 plans. Same bytes, same digest.
    pickler = pickle.Pickler(_Sink(digest.update), protocol=5)
    # No memo: with it, the bytes would depend on which equal values are the same object (a chart
    # made here or unpickled from a worker), not only on the values.
    pickler.fast = True
    pickler.dump(parts)
    return digest.hexdigest()


class _Sink:
    """A file-like object that hands what is written to a function (value_digest's hash)."""

    __slots__ = ("write",)

    def __init__(self, write: Callable):
        self.write = write


def covered(declared: frozenset, read: Read, province_of: Callable[[str], str],
            unit_of_plan: Callable[[str], str] = lambda pid: "", drafts: frozenset = frozenset()) -> bool:
    """Whether a declaration covers a read (a wider read covers the narrower ones it holds).
    province_of and unit_of_plan: a plan id's province and unit; drafts: the ids of the drafts
    (("plans",) and a province or unit hold reviewed plans only)."""
    if read in declared:
        return True
    kind = read[0]
    if kind in FACT_KINDS:
        return FACT_KINDS[kind][1](declared, read)
    if kind in ("tables", "comparability"):
        return TABLES <= declared
    if kind == "groups":
        return ("tables",) in declared or TABLES <= declared
    if kind == "plan" and read[1] in drafts:
        return ("drafts",) in declared
    if kind in ("plan", "province", "unit", "plan_count", "unit_pages", "plan_keys", "plan_heads",
                "cat_count") and ("plans",) in declared:
        return True
    if kind == "plan" and (("province", province_of(read[1])) in declared
                           or ("unit", unit_of_plan(read[1])) in declared):
        return True
    if kind == "years":
        return ("province", read[1]) in declared or ("plan_heads",) in declared or ("plans",) in declared
    if kind == "entry" and ("instrument", read[1]) in declared:
        return True
    return kind in ("instrument", "entry") and ("instruments",) in declared


# ---------------------------------------------------------------- recording views


class Recorder:
    """The reads of the job running now."""

    def __init__(self):
        self.reads: set[Read] = set()

    def __call__(self, read: Read) -> None:
        self.reads.add(read)

    def take(self) -> set[Read]:
        """The reads so far, and start again."""
        reads, self.reads = self.reads, set()
        return reads


class RecordedMapping(Mapping):
    """A mapping whose lookups record ("kind", key-part) and whose iteration records `whole`."""

    def __init__(self, data: Mapping, record: Recorder, read_of: Callable[[object], Read], whole: Read,
                 contains_of: Callable[[object], Read] | None = None):
        self._data, self._record, self._read_of, self._whole = data, record, read_of, whole
        self._contains_of = contains_of or read_of  # `key in` may read less than a lookup

    def __getitem__(self, key):
        self._record(self._read_of(key))
        return self._data[key]

    def get(self, key, default=None):
        self._record(self._read_of(key))
        return self._data.get(key, default)

    def __contains__(self, key) -> bool:
        self._record(self._contains_of(key))
        return key in self._data

    def __iter__(self) -> Iterator:
        self._record(self._whole)
        return iter(self._data)

    def __len__(self) -> int:
        self._record(self._whole)
        return len(self._data)


class AttributeView:
    """An object whose attributes are read through `read_of(name)`; the others pass through."""

    def __init__(self, target, record: Recorder, read_of: Callable[[str], Read | None]):
        self._target, self._record, self._read_of = target, record, read_of

    def __getattr__(self, name: str):
        read = self._read_of(name)
        if read is not None:
            self._record(read)
        return getattr(self._target, name)


class IndexView:
    """The site Index as a job sees it: every lookup recorded."""

    def __init__(self, index, record: Recorder, plans: Mapping):
        self._ix, self._record = index, record
        self.plans = plans
        # Whether a province has plans, and how many share its year, are its plans' years.
        self.by_province = RecordedMapping(index.by_province, record, lambda pr: ("province", pr), ("plans",),
                                           contains_of=lambda pr: ("years", pr))
        self.cell = RecordedMapping(index.cell, record, lambda key: ("province", key[0]), ("plans",))
        self.twins = RecordedMapping(index.twins, record, lambda key: ("years", key[0]), ("plans",))
        self.cites_of_plan = RecordedMapping(index.cites_of_plan, record, lambda pid: ("plan", pid), ("plans",))
        self.cites_of_inst = RecordedMapping(index.cites_of_inst, record, lambda i: ("instrument", i),
                                             ("instruments",))
        self.by_unit = RecordedMapping(index.by_unit, record, lambda u: ("unit", u), ("plans",))
        self.unit_cell = RecordedMapping(index.unit_cell, record, lambda key: ("unit", key[0]), ("plans",))
        self.units = RecordedMapping(index.units, record, lambda u: ("lookup", "provinces"), ("lookup", "provinces"))
        self.unit_pages = RecordedMapping(dict.fromkeys(index.unit_pages), record, lambda u: ("unit_pages",),
                                          ("unit_pages",))
        self.heads = RecordedMapping(index.heads, record, lambda pid: ("plan_heads",), ("plan_heads",))
        # How many plans share a province and year (plan labels tell them apart), from the headings.
        self.head_twins = RecordedMapping(index.twins, record, lambda key: ("plan_heads",), ("plan_heads",))

    @property
    def cat_count(self):
        """Targets per category (of every plan): a count that a plan's edit seldom changes."""
        self._record(("cat_count",))
        return self._ix.cat_count

    @property
    def plan_keys(self):
        """Index.plan_keys: each plan's unit, province, year, issue date and present-day units."""
        self._record(("plan_keys",))
        return self._ix.plan_keys

    def comparability(self, unit: str) -> dict:
        """Index.comparability: the comparability rows of a unit's plans' targets."""
        self._record(("comparability", unit))
        return self._ix.comparability.get(unit, {})

    def group_targets(self, g):
        """Index.group_targets (reads the tables)."""
        self._record(("tables",))
        return self._ix.group_targets(g)

    def groups_with_targets(self, cat):
        """Index.groups_with_targets (reads the tables)."""
        self._record(("tables",))
        return self._ix.groups_with_targets(cat)

    def summaries(self, g, targets):
        """Index.summaries (reads the tables)."""
        self._record(("tables",))
        return self._ix.summaries(g, targets)

    def unit_groups(self, cat: str, unit: str):
        """Index.unit_groups (reads the unit's plans and the shapes of the category's groups)."""
        self._record(("unit", unit))
        self._record(("groups", cat))
        return self._ix.unit_groups(cat, unit)

    def unit_cites_of_inst(self, inst_id: str, unit: str):
        """Index.unit_cites_of_inst (reads the unit's plans, with the citations found in them)."""
        self._record(("unit", unit))
        return self._ix.unit_cites_of_inst(inst_id, unit)

    @property
    def lineage(self):
        """The lineage of the provincial units (reads provinces.yaml)."""
        self._record(("lookup", "provinces"))
        return self._ix.lineage

    def unit_key(self, key: str) -> str:
        """Index.unit_key (reads the unit's plans and provinces.yaml; a province's name, every plan)."""
        if key in self._ix.by_unit or key in self._ix.units:
            self._record(("unit", key))
            self._record(("lookup", "provinces"))
        else:
            self._record(("plans",))
        return self._ix.unit_key(key)


def site_view(site, record: Recorder, plans: Mapping):
    """SiteData as a job sees it: corpus, tables, citations, instruments and options recorded."""
    corpus = corpus_view(site.corpus, record)
    # A lookup of the registry reads the entry alone; the citations of it are read through Index.cites_of_inst.
    instruments = RecordedMapping(site.instruments, record, lambda i: ("entry", i), ("instruments",))
    names = {f.name for f in dataclasses.fields(site.options)}
    options = AttributeView(site.options, record, lambda name: ("option", name) if name in names else None)
    fields = {"corpus": corpus, "tables": ("tables",), "citations": ("citations",), "instruments": instruments,
              "options": options}

    def read_of(name: str):
        value = fields.get(name)
        return value if isinstance(value, tuple) else None
    view = AttributeView(site, record, read_of)
    for name, value in fields.items():
        if not isinstance(value, tuple):
            view.__dict__[name] = value  # looked up before __getattr__: these views record themselves
    return view


def corpus_view(corpus, record: Recorder):
    """The Corpus as a job sees it: plans, data version and each lookup table recorded."""
    view = AttributeView(corpus, record, lambda name: {"plans": ("plans",), "drafts": ("drafts",),
                                                       "data_version": ("data_version",),
                                                       "settings": ("settings",)}.get(name))
    view.__dict__["lookups"] = AttributeView(corpus.lookups, record, lambda name: ("lookup", name))
    return view
