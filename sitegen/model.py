"""The domain types: small frozen dataclasses shared by every stage.

Unknown values are the string ``UNKNOWN`` in the corpus and ``None`` here, so
that no stage can mistake "the source does not say" for a real value.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Problem:
    """An error or warning found in the corpus, with where it was found."""

    severity: str  # "error" or "warning"
    file: str  # path relative to the corpus root's parent, e.g. corpus/plans/x.yaml
    where: str  # "line 12", "field targets[3].quote", or "" for the whole file
    message: str  # what is wrong and how to fix it

    def __str__(self) -> str:
        loc = f"{self.file}:{self.where}" if self.where else self.file
        return f"{self.severity.upper()} {loc}: {self.message}"


@dataclass(frozen=True)
class Category:
    """One target category of the taxonomy (corpus/taxonomy.yaml)."""

    id: str
    vi: str
    en: str
    definition_vi: str
    definition_en: str
    comparable_when: str  # plain Vietnamese: what makes two targets in it comparable
    comparable_when_en: str


@dataclass(frozen=True)
class Label:
    """A lookup entry with a Vietnamese and an English label (units, subjects, themes...)."""

    id: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()
    kind: str = ""  # agencies: level (tỉnh, huyện, xã, trung ương, đoàn thể); units: percent/count/rate
    family: str = ""  # subjects: the family (corpus/subject_families.yaml) that groups related subjects
    broader: str = ""  # subjects, topics: the broader entry of the same table this one is part of


@dataclass(frozen=True, slots=True)
class Target:
    """One quantified commitment (chỉ tiêu) of a plan, with the quote it came from."""

    plan_id: str
    id: str
    category: str
    subject: str  # subject id (corpus/subjects.yaml)
    subject_text: str  # the subject as the plan words it
    value: float
    value_max: float | None
    unit: str  # unit id (corpus/units.yaml)
    comparator: str  # "=", ">=", ">", "<="
    direction: str  # "tăng", "giảm", "duy trì", "đạt"
    deadline: int | None
    quote: str
    parent: str | None = None
    note: str = ""  # Vietnamese
    note_en: str = ""
    topics: tuple[str, ...] = ()  # topic ids (corpus/themes.yaml) the quote is about; () when not coded

    @property
    def is_part(self) -> bool:
        """A part of another target ("trong đó ..."): counted only as a part, never as a target."""
        return self.parent is not None


@dataclass(frozen=True, slots=True)
class Commitment:
    """A qualitative commitment worth comparing across plans (e.g. no hotspots)."""

    plan_id: str
    id: str
    kind: str  # commitment kind id (corpus/commitments.yaml)
    quote: str


@dataclass(frozen=True, slots=True)
class Task:
    """What a plan tasks one agency with."""

    plan_id: str
    agency: str  # agency id, resolved through the alias table
    as_written: str  # the agency's name as the plan writes it
    role: str  # "chủ trì" (lead), "phối hợp" (support) or "thực hiện"
    quote: str  # verbatim: the (first sentence of the) task


@dataclass(frozen=True, slots=True)
class ThemeRef:
    """A theme a plan covers, with a quote that shows it."""

    plan_id: str
    theme: str
    quote: str


@dataclass(frozen=True, slots=True)
class ScopeRef:
    """One element of a plan's scope (a kind or a topic) with the quote of its title or căn cứ that shows it."""

    plan_id: str
    aspect: str  # "kind" (corpus/plan_kinds.yaml) or "topic" (corpus/themes.yaml)
    id: str
    quote: str


@dataclass(frozen=True)
class Original:
    """The file a plan's text was read from when it is not the text itself (a PDF, a Word file, a saved page)."""

    name: str  # the file's name as it was given to ingest
    kind: str  # pdf, pdf-ocr, docx, doc, rtf, html
    sha256: str
    size: int  # bytes
    file: str = ""  # its copy inside corpus/ (sources/...), "" when too large to keep (name and hash only)


@dataclass(frozen=True, slots=True)
class Garble:
    """A garbled spot of the source kept verbatim and noted (e.g. 'Chthị')."""

    text: str
    note: str  # what it should read ("Chỉ thị"); "" when it is not a misspelling
    remark: str = ""  # otherwise, what is wrong, in Vietnamese ("đánh số 10, ...")
    remark_en: str = ""  # the remark in English


@dataclass(frozen=True)
class Header:
    """A plan's own two-column header and signature block, verbatim."""

    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    number_line: str = ""
    place_date: str = ""
    sign_authority: str = ""  # "TM. ỦY BAN NHÂN DÂN"
    sign_title: str = ""  # "CHỦ TỊCH"
    sign_name: str = ""
    recipients: tuple[str, ...] = ()


# A plan's targets_state (plans.csv's column of that name).
TARGETS, NO_TARGETS, TARGETS_NOT_IN_TEXT = "targets", "none", "not_in_text"


@dataclass(frozen=True)
class Plan:
    """One source document, its metadata, verbatim text and extracted data."""

    id: str
    province: str
    number: str | None
    doc_type: str
    title: str
    issuer: str | None
    signer: str | None
    signer_title: str | None
    issued: str | None  # YYYY-MM-DD
    year: int  # the year the plan covers (first year of its period)
    period_end: int
    field: str | None
    source_kind: str  # "official" or "press"
    excerpt: bool
    source_file: str
    provenance: str  # Vietnamese
    text: str  # Markdown body, NFC
    provenance_en: str = ""
    press_outlet: str | None = None
    press_published: str | None = None
    press_author: str | None = None
    header: Header = Header()
    garbles: tuple[Garble, ...] = ()
    targets: tuple[Target, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    tasks: tuple[Task, ...] = ()
    themes: tuple[ThemeRef, ...] = ()
    scope: tuple[ScopeRef, ...] = ()  # its kinds and topics; () when not coded (then no change is claimed)
    status: str = "reviewed"  # "draft": made by ingest, not yet reviewed (kept out of comparisons and counts)
    review: tuple[str, ...] = ()  # a draft's fields still to confirm ("title", "targets", ...)
    text_origin: str = "text"  # "ocr": the text was read by OCR from a scan (every quote checked against it)
    original: Original | None = None
    # Derived from corpus/provinces.yaml, never typed by hand: the provincial unit the plan's
    # province was on its signing date (its year when the date is unknown), and the unit(s) that
    # unit is part of today (itself when it still exists).
    province_at_signing: str = ""  # unit id
    province_today: tuple[str, ...] = ()  # unit ids

    @property
    def is_draft(self) -> bool:
        """Whether the plan is an unreviewed draft."""
        return self.status == "draft"

    @property
    def targets_state(self) -> str:
        """What the site can say of the plan's targets: TARGETS (its text states some), NO_TARGETS (its
        full text states none), TARGETS_NOT_IN_TEXT (the text the site has, an excerpt or a press
        report, states none: whether the plan sets any is unknown, never "no target")."""
        if self.targets:
            return TARGETS
        return TARGETS_NOT_IN_TEXT if self.excerpt or self.source_kind == "press" else NO_TARGETS

    @property
    def top_targets(self) -> tuple[Target, ...]:
        """The targets that count as targets: parts ("trong đó ...") left out."""
        return tuple(t for t in self.targets if t.parent is None)

    @property
    def parts(self) -> tuple[Target, ...]:
        """The parts of targets, counted only as parts."""
        return tuple(t for t in self.targets if t.parent is not None)

    @property
    def scope_topics(self) -> tuple[str, ...]:
        """The topic ids of the plan's scope, in the order coded."""
        return tuple(s.id for s in self.scope if s.aspect == "topic")

    @property
    def scope_kinds(self) -> tuple[str, ...]:
        """The kind ids of the plan's scope, in the order coded."""
        return tuple(s.id for s in self.scope if s.aspect == "kind")


@dataclass(frozen=True)
class LegalBasis:
    """The instrument that formed, ended or kept a provincial unit, and the article that says it."""

    event: str  # "formed", "ended" or "unchanged"
    instrument: str  # "Nghị quyết số 202/2025/QH15"
    issued: str | None  # YYYY-MM-DD
    article: str | None  # the article stating the arrangement ("Điều 1"); None = not verified
    date_article: str | None = None  # the article stating the date; None = not verified


@dataclass(frozen=True)
class Province:
    """A provincial unit (tỉnh or thành phố trực thuộc trung ương) and its place in the lineage."""

    id: str
    vi: str  # the name without its kind: "Vĩnh Long", "Hồ Chí Minh"
    en: str
    kind: str  # "tỉnh" or "thành phố trực thuộc trung ương"
    valid_from: str | None  # YYYY-MM-DD; None = before the corpus period or unknown
    valid_to: str | None  # YYYY-MM-DD, last day; None = still valid
    successors: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()


@dataclass(frozen=True)
class Instrument:
    """A legal instrument (văn bản) in the registry: one thing however it is written."""

    id: str
    type: str
    number: str | None  # normalized number, None for laws cited by name
    issuer: str | None
    level: str | None
    issued: str | None  # YYYY-MM-DD
    title: str = ""
    names: tuple[str, ...] = ()  # names a plan may cite it by, without a number
    # Legal validity, only where an official record states it (status_source names the record):
    status: str = "unknown"  # "in_force", "replaced" or "unknown"
    in_force_from: str | None = None  # YYYY-MM-DD
    replaced_by: str = ""  # the replacing instrument, as the record names it
    replaced_by_id: str | None = None  # its id in the registry, when it is there
    replaced_from: str | None = None  # YYYY-MM-DD: the first day it is no longer in force
    status_source: str = ""  # "Luật Phòng, chống ma túy số 73/2021/QH14, Điều 54"


@dataclass(frozen=True, slots=True)
class Citation:
    """One place where a text cites an instrument."""

    number: str | None  # normalized, e.g. 116/2021/NĐ-CP; None when cited by name
    type: str
    issued: str | None
    issuer: str | None
    level: str | None
    as_written: str
    start: int
    end: int
    legal_id: str | None = None  # resolved instrument id; None while unresolved
    plan_id: str = ""
    sentence: str = ""  # the citing sentence, verbatim


@dataclass(frozen=True)
class Lookups:
    """Every sidecar lookup table of the corpus."""

    categories: dict[str, Category] = field(default_factory=dict)
    subjects: dict[str, Label] = field(default_factory=dict)
    units: dict[str, Label] = field(default_factory=dict)
    themes: dict[str, Label] = field(default_factory=dict)
    agencies: dict[str, Label] = field(default_factory=dict)
    commitment_kinds: dict[str, Label] = field(default_factory=dict)
    plan_kinds: dict[str, Label] = field(default_factory=dict)
    subject_families: dict[str, Label] = field(default_factory=dict)
    provinces: dict[str, Province] = field(default_factory=dict)  # provinces.yaml by unit id (sitegen.lineage)


@dataclass(frozen=True)
class SiteSettings:
    """corpus/site.yaml: who publishes the site, where, under which licence (names in both languages)."""

    name_vi: str = "Kế hoạch so sánh"
    name_en: str = "Kế hoạch so sánh (Plans compared)"
    site_url: str = ""  # canonical absolute http(s) URL ending in "/", or "" (links relative, URLs made at read time)
    publisher_vi: str = "Kế hoạch so sánh"
    publisher_en: str = "Kế hoạch so sánh (Plans compared)"
    licence_id: str = "CC-BY-4.0"
    licence_title: str = "Creative Commons Attribution 4.0"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    contact: str = ""  # an e-mail address or an http(s) URL, or "" when none is published

    def name(self, lang: str) -> str:
        """The site's name in a language."""
        return self.name_en if lang == "en" else self.name_vi

    def publisher(self, lang: str) -> str:
        """The publisher's name in a language."""
        return self.publisher_en if lang == "en" else self.publisher_vi


@dataclass(frozen=True)
class Corpus:
    """The whole validated corpus: plans and lookups (its citations and the instruments they resolve
    to are found after validation: see pipeline.link_citations and pages.SiteData)."""

    plans: tuple[Plan, ...]  # reviewed plans: every table, chart, count and download is made of these
    lookups: Lookups
    data_version: str = ""
    drafts: tuple[Plan, ...] = ()  # unreviewed drafts (status: draft): their own pages and list only
    settings: SiteSettings = SiteSettings()  # corpus/site.yaml


# Memory (benchmarks/results.md, 07/12/2026): a corpus holds a few of these per sentence of its
# plans (35 targets and citations a plan), so they have __slots__ (no per-object dict, which
# pickling, as the digests do, would otherwise make for every one of them), and their short strings
# (ids, categories, units, the plan's id ...), each a separate copy when read from YAML or
# unpickled from a worker, are interned when unpickled: one copy per distinct value.
INTERN_MAX = 80  # longer strings (quotes, sentences) are rarely repeated


def _state_setter(cls) -> Callable:
    """The __setstate__ of one class (unpickling: each field set, its short strings interned), written
    out field by field, without a loop: every build unpickles every plan from the build database, some
    66,000 of these objects at 1,000 plans, and a loop over the fields was a quarter of that time."""
    names = [f"v{i}" for i in range(len(cls.__slots__))]
    lines = ["def __setstate__(self, state):\n    \"\"\"Unpickle: each field set, its short strings interned.\"\"\"",
             f"    ({', '.join(names)},) = state"]
    lines += [f"    _set(self, {slot!r}, _intern({v}) if {v}.__class__ is str and len({v}) <= {INTERN_MAX} else {v})"
              for slot, v in zip(cls.__slots__, names)]
    space = {"_set": object.__setattr__, "_intern": sys.intern}
    exec("\n".join(lines), space)  # noqa: S102 - the source is made here of the class's own field names
    return space["__setstate__"]


for _cls in (Target, Commitment, Task, ThemeRef, ScopeRef, Garble, Citation):
    _cls.__getstate__ = (lambda get: lambda self: get(self))(attrgetter(*_cls.__slots__))
    _cls.__setstate__ = _state_setter(_cls)
del _cls


def _copier_without_offsets(cls) -> Callable:
    """A function copying an object of a slotted, frozen dataclass with start and end 0, written out
    field by field: every build makes the lean site's copy of every citation without its offsets
    (without_offsets: 466,000 at 10,000 plans), and dataclasses.replace (keyword arguments,
    then __init__) took three times as long (3.4 against 1.1 µs a citation)."""
    lines = ["def copy(c):", '    """The citation with start and end 0 (its place in its text left out)."""',
             "    new = _new(_cls)"]
    lines += [f"    _set(new, {slot!r}, {'0' if slot in ('start', 'end') else f'c.{slot}'})" for slot in cls.__slots__]
    space = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls}
    exec("\n".join([*lines, "    return new"]), space)  # noqa: S102 - made here of the class's own field names
    return space["copy"]


_citation_without_offsets = _copier_without_offsets(Citation)


def without_offsets(c: Citation) -> Citation:
    """A citation as the pages of the instrument it cites see it: its place in the plan's text (start,
    end) left out (zero), so that a sentence inserted above it changes nothing of what they read."""
    return c if c.start == 0 and c.end == 0 else _citation_without_offsets(c)
