"""The gathering's build database (sitegen.builddb, sitegen.gather): an incremental build after an edit of
the registry (legal.yaml), of the instrument names (legal_names.yaml) or of a lookup table equals a clean
build byte for byte; an edit of one plan re-reads and re-resolves that plan only; the data ZIP's members
are compressed once and written as zipfile writes them.

A plan deleted, a plan renamed, a text edit and a failed build in between are in test_incremental_edits.py,
a YAML edit and a damaged row in test_incremental.py: both go through the same database."""
from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import tree_diff, tree_files
from sitegen.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


_files, _differ = tree_files, tree_diff


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("db") / "corpus", seed=5)


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _cited_entry(work: Path) -> tuple[str, str]:
    """The id (as written) of a legal.yaml entry with a title that some plans but not all cite by its
    number (as written in the plans: `number in text`, a rough test; see _citing for the exact one),
    the one the fewest plans cite, and its number."""
    texts = [p.read_text("utf-8") for p in (work / "plans").glob("*.md")]
    found = []
    for entry in (work / "legal.yaml").read_text("utf-8").split("\n- id: ")[1:]:
        number = next((ln.split(":", 1)[1].strip().strip('"') for ln in entry.splitlines()
                       if ln.strip().startswith("number:")), "")
        title = next((ln for ln in entry.splitlines() if ln.strip().startswith("title:")), "")
        citing = sum(number in t for t in texts) if number else 0
        if title and len(number) > 3 and 0 < citing < len(texts):
            found.append((citing, entry.split("\n", 1)[0], number))
    assert found, "no entry of legal.yaml cited by some plans but not all"
    return min(found)[1:]


def _citing(site: Path, number: str) -> set[str]:
    """The plans with a citation of this number (the site's citations table)."""
    import csv

    with open(site / "data" / "citations.csv", encoding="utf-8") as fh:
        return {row["plan_id"] for row in csv.DictReader(fh) if row["number"] == number}


def _registry_edit(work: Path) -> None:
    """The title of one entry changed (titles repeat across entries: the entry's own)."""
    ident, _ = _cited_entry(work)
    path = work / "legal.yaml"
    text = path.read_text("utf-8")
    at = text.index(f"\n- id: {ident}\n")
    start = text.index("  title: ", at)
    end = text.index("\n", start)
    path.write_text(text[:end] + " (sửa)" + text[end:] if not text[start:end].endswith('"') else
                    text[:end - 1] + ' (sửa)"' + text[end:], "utf-8")


def _names_edit(work: Path) -> None:
    _replace_once(work / "legal_names.yaml", "    - Luật Phòng, chống ma túy 2021\n", "")


def _lookup_edit(work: Path) -> None:
    _replace_once(work / "agencies.yaml", "  vi: Công an tỉnh\n", "  vi: Công an cấp tỉnh\n")


@pytest.mark.parametrize("edit", [_registry_edit, _names_edit, _lookup_edit],
                         ids=["legal.yaml edit", "legal_names.yaml edit", "lookup table edit"])
def test_an_incremental_build_after_an_edit_of_a_shared_table_equals_a_clean_build(corpus: Path, tmp_path: Path,
                                                                                     edit):
    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    before = {k: p.read_bytes() for k, p in _files(site).items()}
    edit(work)
    build(work, site, search=False, workers=1)
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []
    assert {k: p.read_bytes() for k, p in _files(site).items()} != before  # the edit did reach the site


def test_one_plan_edited_is_read_and_resolved_again_alone_and_a_registry_edit_resolves_its_citers(
        corpus: Path, tmp_path: Path, monkeypatch):
    import sitegen.citations as cite
    import sitegen.reading as reading

    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    read, resolved = [], []
    real_read, real_resolve = reading.read_plan, cite.resolve
    monkeypatch.setattr(reading, "read_plan", lambda md, *a, **kw: read.append(md.stem) or real_read(md, *a, **kw))
    monkeypatch.setattr(cite, "resolve", lambda raw, *a, **kw: resolved.append(kw["plan_id"]) or real_resolve(raw, *a, **kw))
    build(work, site, search=False, workers=1)
    assert read == [] and resolved == []  # nothing changed: nothing read nor resolved
    victim = sorted((work / "plans").glob("*.md"))[3]
    _replace_once(victim, "\n# ", "\nCâu thêm vào.\n\n# ")
    build(work, site, search=False, workers=1)
    assert read == [victim.stem] and resolved == [victim.stem]
    # An edit of one registry entry resolves again the plans whose citations can resolve to it (those
    # citing its number), and no other.
    read.clear(), resolved.clear()
    _, number = _cited_entry(work)
    citing = _citing(site, number)
    _registry_edit(work)
    build(work, site, search=False, workers=1)
    assert read == [] and citing and set(resolved) == citing
    assert len(resolved) < len(list((work / "plans").glob("*.md")))
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []


class _Packed(dict):
    def get(self, key):
        return super().get(key)

    def put(self, key, value):
        self[key] = value


def test_the_zip_looks_its_kept_members_up_a_chunk_at_a_time_with_the_same_bytes(tmp_path: Path, monkeypatch):
    import hashlib

    from helpers import write_corpus
    from sitegen import publish
    from sitegen.gather import gather

    corpus = gather(write_corpus(tmp_path)).site.corpus
    files = {f"data/sources/doc-{i:03}.txt": f"Văn bản số {i}\n".encode() * (i + 1) for i in range(7)}
    files["data/targets.csv"] = "plan_id,tỉnh\n".encode() * 50
    hashes = {path: hashlib.blake2b(data, digest_size=16).hexdigest() for path, data in files.items()}
    reference = publish.release_zip(files, corpus)

    class Store(_Packed):
        asked: list = []

        def get(self, key):
            raise AssertionError("a member looked up alone")

        def get_many(self, keys):
            keys = list(keys)
            self.asked.append(len(keys))
            return {k: self[k] for k in keys if k in self}
    monkeypatch.setattr(publish, "ZIP_CHUNK", 3)
    store = Store()
    assert publish.release_zip(files, corpus, hashes=hashes, packed=store) == reference
    assert len(store) == 10 and store.asked == [3, 3, 3, 1]  # 8 files, a README and a licence

    class Unread(dict):
        def __getitem__(self, path):
            raise AssertionError(f"{path} was read again: its compressed bytes are kept")
    store.asked.clear()
    assert publish.release_zip(Unread.fromkeys(files), corpus, hashes=hashes, packed=store) == reference
    assert store.asked == [3, 3, 3, 1]


def _reference_zip(members: dict[str, bytes]) -> bytes:
    """The ZIP as zipfile's writestr makes it."""
    from sitegen.publish import ZIP_DATE

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def test_zip_members_are_written_as_zipfile_writes_them_and_compressed_once(tmp_path: Path):
    import hashlib

    from sitegen.publish import ZIP_DATE, _write_member

    members = {"a/plans.csv": "plan_id,tỉnh\n".encode() * 500, "a/empty.txt": b"", "a/Điều.md": "Nội dung\n".encode()}
    h = {n: hashlib.blake2b(d, digest_size=16).hexdigest() for n, d in members.items()}
    packed = _Packed()

    def ours(read) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in members:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                _write_member(zf, info, lambda name=name: read(name), h[name], packed)
        return buf.getvalue()
    reference = _reference_zip(members)
    assert ours(members.__getitem__) == reference
    assert len(packed) == 3

    def unread(name):
        raise AssertionError(f"{name} was read again: its compressed bytes are kept")
    assert ours(unread) == reference  # the second time from the kept members, without reading them
    with zipfile.ZipFile(io.BytesIO(reference)) as zf:
        assert zf.testzip() is None and zf.read("a/Điều.md") == members["a/Điều.md"]


def test_a_damaged_build_database_is_deleted_with_a_clear_error_and_the_next_build_makes_it_again(
        corpus: Path, tmp_path: Path):
    import sqlite3

    from helpers import snapshot
    from sitegen.write import OutputError

    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    before = snapshot(site)
    db = tmp_path / ".site.cache" / "build.sqlite"
    with sqlite3.connect(db) as conn:  # everything in the file itself, nothing left in its log
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    assert len(data) > 8 * 4096
    data[4096:] = b"\xa5" * (len(data) - 4096)  # every page but the schema's: "malformed" to SQLite
    db.write_bytes(bytes(data))
    with pytest.raises(OutputError, match=r"build database .*build\.sqlite is damaged .*deleted.*Build again"):
        build(work, site, search=False, workers=1)
    assert not db.exists() and not db.with_name("build.sqlite-wal").exists()
    assert snapshot(site) == before  # the failed build changed nothing
    build(work, site, search=False, workers=1)  # a new database, every plan read anew
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == [] and db.exists()


def _count_unpickled_citations(monkeypatch) -> list:
    """A list that gets each Citation unpickled from now on (its plan id: "" for a citation as found in a
    text, not yet resolved: cite.extract; a resolved one has its plan's)."""
    from sitegen.model import Citation

    seen: list = []
    real = Citation.__setstate__

    def setstate(self, state):
        real(self, state)
        seen.append(self.plan_id)
    monkeypatch.setattr(Citation, "__setstate__", setstate)
    return seen


def test_an_unchanged_plans_found_citations_are_unpickled_only_when_its_resolution_is_not_kept(
        corpus: Path, tmp_path: Path, monkeypatch):
    """The raw citations of a plan taken from the database are read (from their own rows) only for a
    plan whose resolved citations are not kept: every build unpickled them for every plan before."""
    import sitegen.citations as cite
    from sitegen.builddb import BuildDB

    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    seen = _count_unpickled_citations(monkeypatch)
    resolved, found_gets = [], []
    real_resolve, real_get = cite.resolve, BuildDB.get
    monkeypatch.setattr(cite, "resolve", lambda raw, *a, **kw: resolved.append(kw["plan_id"]) or real_resolve(raw, *a, **kw))

    def get(self, table, key):
        before = len(seen)
        value = real_get(self, table, key)
        if table == "found":
            found_gets.append((key, len(seen) - before))  # the raw citations this read unpickled
        return value
    monkeypatch.setattr(BuildDB, "get", get)
    victim = sorted((work / "plans").glob("*.md"))[3]
    _replace_once(victim, "\n# ", "\nCâu thêm vào.\n\n# ")
    build(work, site, search=False, workers=1)
    assert resolved == [victim.stem] and found_gets == []
    assert "" not in seen and len(seen) > 0  # the other plans' resolved citations only, none as found
    # A registry edit: the plans citing the entry resolve again, from their raw citations read from the
    # database (one row each); no other plan's are unpickled.
    seen.clear(), resolved.clear()
    _, number = _cited_entry(work)
    citing = _citing(site, number)
    _registry_edit(work)
    build(work, site, search=False, workers=1)
    assert citing and set(resolved) == citing and len(found_gets) == len(citing)
    assert seen.count("") == sum(n for _, n in found_gets) > 0
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_a_registry_edit_with_the_found_citations_lost_from_the_database_equals_a_clean_build(
        corpus: Path, tmp_path: Path):
    """A plan whose raw citations' row is missing (or damaged) finds them in its text again: the same."""
    import sqlite3

    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    with sqlite3.connect(tmp_path / ".site.cache" / "build.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM found").fetchone()[0] == 12
        conn.execute("UPDATE found SET value = x'00' WHERE rowid % 2 = 0")  # damaged: not unpickled
        conn.execute("DELETE FROM found WHERE rowid % 2 = 1")
    _registry_edit(work)
    build(work, site, search=False, workers=1)
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_the_plan_row_every_build_unpickles_holds_neither_its_text_nor_its_found_citations(
        corpus: Path, tmp_path: Path, monkeypatch):
    """Every build unpickles every unchanged plan's row: its text (read by its own pages only, from its
    own row: sitegen.texts) and its raw citations (read only when its resolution is not kept) are not in it."""
    from sitegen.builddb import BuildDB

    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    rows, real_many = [], BuildDB.get_many
    monkeypatch.setattr(BuildDB, "get_many", lambda self, table, keys: (
        found := real_many(self, table, keys), table == "plans" and rows.extend(found.values()))[0])
    victim = sorted((work / "plans").glob("*.md"))[3]
    _replace_once(victim, "\n# ", "\nCâu thêm vào.\n\n# ")
    build(work, site, search=False, workers=1)
    assert len(rows) == 11 and all(r.plan is not None and r.plan.text == "" and r.citations is None for _, r in rows)
    assert any(r.cited for _, r in rows)  # what is needed of the citations on a hit: the numbers cited
    assert "Câu thêm vào." in (site / "plans" / f"{victim.stem}.html").read_text("utf-8")
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_a_plan_whose_text_row_is_lost_from_the_database_is_read_again(corpus: Path, tmp_path: Path, monkeypatch):
    """An unchanged plan is taken from the database only with its text's and found citations' rows there
    (read later, by its pages or to resolve it again): without them it is read again, and the site is the same."""
    import sqlite3

    import sitegen.reading as reading

    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    with sqlite3.connect(tmp_path / ".site.cache" / "build.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM texts").fetchone()[0] == 12
        conn.execute("DELETE FROM texts WHERE rowid = (SELECT min(rowid) FROM texts)")
        conn.execute("DELETE FROM found WHERE rowid = (SELECT max(rowid) FROM found)")
    read, real_read = [], reading.read_plan
    monkeypatch.setattr(reading, "read_plan", lambda md, *a, **kw: read.append(md.stem) or real_read(md, *a, **kw))
    build(work, site, search=False, workers=1)
    assert 1 <= len(read) <= 2  # the plan of each row deleted (one plan or two)
    read.clear()
    build(work, site, search=False, workers=1)
    assert read == []  # the rows are there again
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


class _Kept(_Packed):
    """A store as the build database is for the ZIP: get_many, and keep (marks rows as used)."""

    def get_many(self, keys):
        return {k: self[k] for k in keys if k in self}

    def keep(self, keys):
        pass


def test_a_table_in_the_zip_is_compressed_in_groups_of_plans_and_an_edit_compresses_its_group_again(tmp_path: Path,
                                                                                                     monkeypatch):
    """A per-plan table's member is its plans' pieces compressed group by group (publish._grouped): the
    ZIP reads back the same bytes, with the same CRC; after one plan's edit only the groups around it are
    compressed again, and the ZIP equals the one made with nothing kept (a clean build)."""
    import hashlib
    import zlib

    from helpers import write_corpus
    from sitegen import publish
    from sitegen.gather import gather

    corpus = gather(write_corpus(tmp_path)).site.corpus
    rows = [f"plan-{i:04},chỉ tiêu {i % 7},{i * 3 % 100}\n".encode() * (1 + i % 3) for i in range(1500)]

    def pieces_of(rows):
        return [("csv head", lambda: (b"plan_id,subject,value\n",))] + [
            (f"csv {hashlib.blake2b(r).hexdigest()}", lambda r=r: (r,)) for r in rows]

    def made(rows, store):
        data = b"plan_id,subject,value\n" + b"".join(rows)
        files = {"data/targets.csv": data}
        hashes = {"data/targets.csv": hashlib.blake2b(data, digest_size=16).hexdigest()}
        return publish.release_zip(files, corpus, hashes=hashes, packed=store,
                                   pieces={"data/targets.csv": pieces_of(rows)}), data
    compressed: list[int] = []
    real = zlib.compressobj

    def counted(*args, **kw):
        compressed.append(1)
        return real(*args, **kw)
    monkeypatch.setattr(publish.zlib, "compressobj", counted)
    store = _Kept()
    first, data = made(rows, store)
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert zf.read(f"ke-hoach-so-sanh-{corpus.data_version}/targets.csv") == data  # CRC checked too
    [groups] = [v for k, v in store.items() if k.startswith("groups ")]
    assert 4 <= len(groups) <= 40 and len(compressed) == len(groups) + 2  # the README and licence: whole
    assert len(b"".join(v[0] for v in groups.values())) < 1.3 * len(zlib.compress(data))
    rows[700] = "plan-0700,chỉ tiêu sửa,1\n".encode()
    compressed.clear()
    second, data = made(rows, store)
    assert 1 <= len(compressed) <= 2  # its group, and the next when its piece's key moved a boundary
    assert second == made(rows, _Kept())[0]
    with zipfile.ZipFile(io.BytesIO(second)) as zf:
        assert zf.read(f"ke-hoach-so-sanh-{corpus.data_version}/targets.csv") == data


def test_a_build_that_keeps_the_zip_keeps_its_compressed_members_for_the_next_one(tmp_path: Path):
    """The build database deletes the rows a build did not use: a build that kept the ZIP as it was must
    still keep its members' compressed bytes, or the next ZIP compresses every member again."""
    from helpers import write_corpus
    from sitegen.builddb import BuildDB

    work, site = write_corpus(tmp_path), tmp_path / "site"
    build(work, site, search=False, workers=1, incremental=False)
    kept = BuildDB(site).keys("zip")
    assert len(kept) > 20 and any(k.startswith("groups ") for k in kept)
    report = build(work, site, search=False, workers=1)  # nothing changed: the ZIP is not made
    assert report.written == 0
    assert BuildDB(site).keys("zip") == kept
