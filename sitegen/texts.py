"""Plans' texts kept out of the build's heap once gathered (issue 19: peak memory at 10,000 plans).

After the gathering, no page but a plan's own shows a plan's text (the lean site: sitegen.pages.reads),
and the citations' sentences are already cut. Yet every Plan held its text (about 15,000 Vietnamese
characters, 30 KB as a Python string) in the one heap the page workers are forked from. `apart`
replaces each plan by its twin without its text and keeps the texts in a PlanTexts: a plan's text
is read when its page is made, in the worker that makes it, from the plan's text's row in the build
database (sitegen.builddb, table texts: the row the gathering kept, or wrote, pending until commit), and
compressed in memory only when there is no such row (a build without a database). What the job keys
need of a text is its digest (`text_digest`), computed here once. A plan the gathering takes from the
database comes without its text (sitegen.gather.read_all: unpickling the texts was a fifth of that read),
already in the gathered site's PlanTexts.
"""
from __future__ import annotations

import ctypes
import hashlib
import zlib
from dataclasses import replace


def text_digest(text: str) -> str:
    """The digest of a plan's text, as the keys of the pages that show it read it."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def text_digest_of(site, p) -> str:
    """The digest of a plan's text, whether the site (SiteData) keeps it apart or the plan holds it."""
    texts = site.texts
    return texts.digest(p.id) if texts is not None and p.id in texts else text_digest(p.text)


class PlanTexts:
    """Each plan's text by plan id, fetched when asked: from the build database's row of its text
    (table texts, by the plan's key), else from a compressed copy kept here."""

    def __init__(self, db=None):
        self._db = db
        self._where: dict[str, str | bytes] = {}  # plan id -> its row's key (str), or its text compressed
        self._digests: dict[str, str] = {}
        self._last: tuple[str, str] | None = None  # a plan's two pages (vi, en) are made one after the other

    def keep(self, pid: str, key: str, digest: str) -> None:
        """Add a plan whose text is in the build database under its key (a plan taken from there
        without its text: sitegen.gather.read_all)."""
        self._digests[pid] = digest
        self._where[pid] = key

    def without(self, pids) -> "PlanTexts":
        """A copy without these plans (read again: their own texts are theirs)."""
        other = PlanTexts(self._db)
        other._where = {k: v for k, v in self._where.items() if k not in pids}
        other._digests = {k: v for k, v in self._digests.items() if k not in pids}
        return other

    def add(self, pid: str, text: str, key: str = "", digest: str = "") -> None:
        """Keep a plan's text: by the key of its row in the database when it has one, else compressed.
        digest: its text_digest when known (computed when the plan was read)."""
        self._digests[pid] = digest or text_digest(text)
        self._where[pid] = key if key and self._db is not None else zlib.compress(text.encode("utf-8"), 1)

    def __contains__(self, pid: str) -> bool:
        return pid in self._where

    def digest(self, pid: str) -> str:
        """The digest of a plan's text (text_digest)."""
        return self._digests[pid]

    def text(self, pid: str) -> str:
        """A plan's text."""
        if self._last is not None and self._last[0] == pid:
            return self._last[1]
        where = self._where[pid]
        if isinstance(where, bytes):
            text = zlib.decompress(where).decode("utf-8")
        else:
            text = self._db.get("texts", where)  # kept apart from the plan's row: sitegen.gather.read_all
            if text is None:
                # Gathering checked the row is there (BuildDB.keep); unreadable, it would be so again: --full
                # reads every plan anew and remakes the database.
                raise LookupError(f"the build database has no readable text of plan {pid} ({where}): "
                                  "build again with --full")
            if text_digest(text) != self._digests[pid]:  # never expected: the row is the one gathered
                raise LookupError(f"the build database's text of plan {pid} is not the one gathered: "
                                  "build again with --full")
        self._last = (pid, text)
        return text


def trim_heap() -> bool:
    """Give the memory freed in this process back to the system (glibc's malloc_trim), so that the
    page workers forked next do not start with the freed texts' pages (which an allocation in a
    worker would copy). Whether it could (not on other C libraries)."""
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True


def textless(p):
    """A plan without its text: a copy of its fields (a Plan has no derived state) with text "".
    dataclasses.replace, which calls __init__ with every field by keyword, took three times as long
    (37 against 12 µs a plan: 0.4 s of every build at 10,000 plans)."""
    new = object.__new__(type(p))
    new.__dict__.update(p.__dict__)
    new.__dict__["text"] = ""
    return new


def apart(gathered):
    """The gathered data with each plan (and draft) without its text, the texts in a PlanTexts
    (SiteData.texts). Nothing else holds the texts afterwards: the citations' sentences are cut,
    the download rows and tables hold no text."""
    site, keys, digests = gathered.site, gathered.plan_keys, gathered.text_digests
    # The plans taken from the build database come without their texts, already kept apart.
    texts = site.texts.without(()) if site.texts is not None else PlanTexts(gathered.db)

    def without(p):
        if p.id in texts:
            return p
        texts.add(p.id, p.text, keys.get(p.id, ""), digests.get(p.id, ""))
        return textless(p)
    corpus = replace(site.corpus, plans=tuple(without(p) for p in site.corpus.plans),
                     drafts=tuple(without(p) for p in site.corpus.drafts))
    return replace(gathered, site=replace(site, corpus=corpus, texts=texts))
