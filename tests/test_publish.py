"""Issue 19, step 4: publishing only what changed (sitegen.standby), still never a half-written site.

A build changes in the standby tree beside site/ only what differs from what it holds, then exchanges it
with site/ in one step. These tests kill builds at chosen moments (a subprocess that ends itself with
os._exit, so that no clean-up runs, as under SIGKILL) and check that site/ is then the old site or the
new one, and that the next builds equal clean builds byte for byte, the standby too; that a reader sees
the old or the new site at every instant of the exchange; that the copy mode builds the same site; and
that a removed plan's files leave both trees.
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

from helpers import MD_A, MD_B, PLAN_B, REPO, BUILD_PY, YAML_B, edit, snapshot, write_corpus
from sitegen.pipeline import build
from sitegen.standby import exchange
from sitegen.write import MANIFEST, OutputError, write_failure

TITLE_A = "title: Phòng, chống tệ nạn xã hội năm 2020"
TITLE_B = "title: Phòng, chống tệ nạn xã hội năm 2021"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict:
    """Three corpora, each one edit from the one before (A; B: plan A's title; C: plan B's title too),
    and their clean builds (copy mode, each into a new folder)."""
    base = tmp_path_factory.mktemp("corpora")
    made = {name: write_corpus(base / name) for name in "ABC"}
    edit(made["B"] / MD_A, TITLE_A, "title: Một tiêu đề khác")
    edit(made["C"] / MD_A, TITLE_A, "title: Một tiêu đề khác")
    edit(made["C"] / MD_B, TITLE_B, "title: Và một tiêu đề nữa")
    clean = {}
    for name, corpus in made.items():
        build(corpus, base / f"clean-{name}", search=False, publish="copy")
        clean[name] = _tree(base / f"clean-{name}")
    assert clean["A"] != clean["B"] != clean["C"] != clean["A"]
    return {"corpus": made, "clean": clean}


def _tree(folder: Path) -> tuple[dict[str, bytes], list[str]]:
    """Every file of a folder by bytes, and every folder (an empty one left behind shows here)."""
    dirs = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir())
    return snapshot(folder), dirs


def _agrees(tree: Path) -> None:
    """The tree holds exactly the files its manifest lists, with those hashes and sizes."""
    files = orjson.loads((tree / MANIFEST).read_bytes())["files"]
    found = {str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()} - {MANIFEST}
    assert found == set(files)
    for rel, (_key, h, size) in files.items():
        data = (tree / rel).read_bytes()
        assert (hashlib.blake2b(data, digest_size=16).hexdigest(), len(data)) == (h, size), rel


def _beside(folder: Path) -> list[str]:
    """The build's files beside site/ but the record of folders found clean (sitegen.sitecheck)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site.") and p.name != ".site.folders")


# Ways to end a build at a chosen moment, as SIGKILL would (os._exit runs no clean-up): the Nth change
# of a file of the standby (logged, not made yet), or just before or after the exchange.
_AT_CHANGE = ("real = standby.StandbyStaging._touch\n"
              "seen = [0]\n"
              "def touch(self, rel):\n"
              "    seen[0] += 1\n"
              "    if seen[0] == {n}:\n"
              "        os._exit(137)\n"
              "    return real(self, rel)\n"
              "standby.StandbyStaging._touch = touch\n")
_AT_EXCHANGE = ("real = standby.exchange\n"
                "def exchange(a, b):\n"
                "    {before}\n"
                "    real(a, b)\n"
                "    os._exit(137)\n"
                "standby.exchange = exchange\n")
# The Nth hard link made: in a first build (nothing to carry over from), a link of the standby that the
# build leaves beside the site it moved in (sitegen.standby.mirror).
_AT_LINK = ("real = os.link\n"
            "seen = [0]\n"
            "def link(a, b):\n"
            "    seen[0] += 1\n"
            "    if seen[0] == {n}:\n"
            "        os._exit(137)\n"
            "    return real(a, b)\n"
            "os.link = link\n")


def _killed_build(corpus: Path, out: Path, hook: str) -> None:
    script = ("import os, runpy, sys\n"
              "import sitegen.standby as standby\n"
              + hook +
              f"sys.argv = {[str(BUILD_PY), '--corpus', str(corpus), '--out', str(out), '--no-search', '-q']!r}\n"
              f"runpy.run_path({str(BUILD_PY)!r}, run_name='__main__')\n")
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert died.returncode == 137, died.stderr  # it did die at that moment, not finish


# (what is built before (a small letter: in the copy mode, which leaves no standby), the build killed, how
# it is killed, what site/ is right after)
KILLS = {
    "first build, 30th file": ("", "A", _AT_CHANGE.format(n=30), None),
    "first build, mirroring the standby": ("", "A", _AT_LINK.format(n=40), "A"),
    "filling the standby, 1st file": ("a", "B", _AT_CHANGE.format(n=1), "A"),
    "filling the standby, 40th file": ("a", "B", _AT_CHANGE.format(n=40), "A"),
    "changing the standby, 1st file": ("AB", "C", _AT_CHANGE.format(n=1), "B"),
    "changing the standby, 4th file": ("AB", "C", _AT_CHANGE.format(n=4), "B"),
    "before the exchange": ("AB", "C", _AT_EXCHANGE.format(before="os._exit(137)"), "B"),
    "after the exchange": ("AB", "C", _AT_EXCHANGE.format(before="pass"), "C"),
}


@pytest.mark.parametrize("kill", KILLS, ids=list(KILLS))
def test_after_a_killed_build_site_is_old_or_new_and_the_next_builds_equal_clean_builds(tmp_path, corpora, kill):
    before, target, hook, left = KILLS[kill]
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    for name in before:
        build(corpus[name.upper()], out, search=False, publish="copy" if name.islower() else "standby")
    _killed_build(corpus[target], out, hook)
    if left is None:
        assert not out.exists()
    else:
        assert _tree(out) == clean[left]
    # The next build settles the half-changed standby (its log): it builds the site the standby's manifest
    # still names (so that a file the killed build changed, and the manifest does not know of, would show),
    # then the killed build's own site, then the one before; each equals its clean build byte for byte.
    for name in (*before[:1].upper(), target, *before[-1:].upper()) if before else (target, "B", target):
        build(corpus[name], out, search=False)
        assert _tree(out) == clean[name], name
        # The first complete build moves its tree in and leaves a standby of hard links to it (mirror).
        assert _beside(tmp_path) == [".site.cache", ".site.lock", ".site.standby"]
        _agrees(tmp_path / ".site.standby")


def test_the_standby_is_the_site_one_build_earlier_and_the_live_site_is_never_written_through_a_link(
        tmp_path, corpora):
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    build(corpus["A"], out, search=False)
    for previous, name in (("A", "B"), ("B", "C"), ("C", "A"), ("A", "C")):
        build(corpus[name], out, search=False)
        assert _tree(out) == clean[name]
        # The old site, exchanged out, is exactly as it was: a file changed by the build was written
        # anew, never through a hard link shared with it.
        assert _tree(tmp_path / ".site.standby") == clean[previous]
        _agrees(tmp_path / ".site.standby")
    # The two trees share the files both sites have (hard links), so the standby costs only the changes.
    same = [rel for rel, data in clean["A"][0].items() if clean["C"][0].get(rel) == data and rel != MANIFEST]
    assert same
    assert all((out / rel).stat().st_ino == (tmp_path / ".site.standby" / rel).stat().st_ino for rel in same)


def test_a_reader_sees_the_old_or_the_new_site_at_every_instant_of_the_exchange(tmp_path):
    out, other = tmp_path / "site", tmp_path / ".site.standby"
    for folder, text in ((out, b"old"), (other, b"new")):
        (folder / "plans").mkdir(parents=True)
        (folder / "index.html").write_bytes(text)
        (folder / "plans" / "p.html").write_bytes(text)
    stop = threading.Event()
    seen, failed = set(), []

    def read():
        while not stop.is_set():
            try:
                seen.add((out / "index.html").read_bytes())
                seen.add((out / "plans" / "p.html").read_bytes())
            except OSError as exc:
                failed.append(exc)
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3000):
            exchange(other, out)
    finally:
        stop.set()
        reader.join()
    assert failed == [] and seen == {b"old", b"new"}
    # The copy mode's two renames leave an instant without site/: the exchange is what closes it.


def test_the_copy_mode_and_the_standby_mode_build_the_same_site(tmp_path, corpora):
    corpus, clean = corpora["corpus"], corpora["clean"]
    for name in "ABCA":
        build(corpus[name], tmp_path / "standby", search=False, publish="standby")
        build(corpus[name], tmp_path / "copy", search=False, publish="copy")
        assert _tree(tmp_path / "standby") == _tree(tmp_path / "copy") == clean[name]
    assert not (tmp_path / ".copy.standby").exists() and (tmp_path / ".standby.standby").is_dir()


def test_a_site_of_the_copy_mode_moves_to_the_standby_mode_and_back(tmp_path, corpora):
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    build(corpus["A"], out, search=False, publish="copy")
    build(corpus["B"], out, search=False)  # the standby is filled from the live site, once
    assert _tree(out) == clean["B"] and _tree(tmp_path / ".site.standby") == clean["A"]
    build(corpus["C"], out, search=False, publish="copy")  # a complete new folder; the standby is removed
    assert _tree(out) == clean["C"] and _beside(tmp_path) == [".site.cache", ".site.lock"]


def test_a_removed_plans_files_leave_both_trees(tmp_path, corpora):
    corpus = write_corpus(tmp_path / "corpus")
    out = tmp_path / "site"
    for _ in range(2):
        build(corpus, out, search=False)
    mine = sorted(rel for rel in snapshot(out) if PLAN_B in rel)
    assert mine  # its pages (both languages), data files ...
    (corpus / MD_B).unlink()
    (corpus / YAML_B).unlink()
    build(corpus, tmp_path / "clean", search=False, publish="copy")
    for _ in range(2):  # into one tree, then into the other
        build(corpus, out, search=False)
        assert _tree(out) == _tree(tmp_path / "clean")
    assert _tree(tmp_path / ".site.standby") == _tree(tmp_path / "clean")  # no file of it, no folder left empty
    assert not [rel for rel in snapshot(tmp_path / ".site.standby") if PLAN_B in rel]


def test_a_failed_build_keeps_the_site_and_leaves_the_standby_agreeing_with_its_manifest(
        tmp_path, corpora, monkeypatch):
    import sitegen.standby as standby
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    for name in "AB":
        build(corpus[name], out, search=False)
    failed = []

    def full_disk(target, data):  # after the files linked from the live site, the first one written fails
        failed.append(target)
        raise write_failure(target, OSError(errno.ENOSPC, "No space left on device"))
    monkeypatch.setattr(standby, "write_bytes", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        build(corpus["C"], out, search=False)
    assert failed
    assert _tree(out) == clean["B"]
    assert _beside(tmp_path) == [".site.cache", ".site.lock", ".site.standby"]  # no log left: settled
    _agrees(tmp_path / ".site.standby")
    monkeypatch.undo()
    build(corpus["C"], out, search=False)
    assert _tree(out) == clean["C"] and _tree(tmp_path / ".site.standby") == clean["B"]


def test_a_full_build_trusts_nothing_in_the_standby(tmp_path, corpora):
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    for name in "AB":
        build(corpus[name], out, search=False)
    # Someone changed a file of the standby behind the build's back (same size, so no check could tell).
    victim = next(p for p in sorted((tmp_path / ".site.standby").rglob("*.html")))
    victim.unlink()  # never in place: it may be a link to the live site's file
    data = bytearray(clean["A"][0][str(victim.relative_to(tmp_path / ".site.standby"))])
    data[-2:] = b"!!"
    victim.write_bytes(bytes(data))
    build(corpus["A"], out, search=False, incremental=False)
    assert _tree(out) == clean["A"]


def test_the_publish_option_is_checked(tmp_path, corpora):
    with pytest.raises(ValueError, match="publish mode 'links': use one of standby, copy"):
        build(corpora["corpus"]["A"], tmp_path / "site", search=False, publish="links")
    result = subprocess.run([sys.executable, str(BUILD_PY), "--corpus", str(corpora["corpus"]["A"]), "--out",
                             str(tmp_path / "site"), "--publish", "links"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and "invalid choice: 'links'" in result.stderr
    shutil.rmtree(tmp_path / "site", ignore_errors=True)


def test_a_folder_in_the_standbys_place_that_is_not_one_is_never_deleted(tmp_path, corpora):
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    build(corpus["A"], out, search=False, publish="copy")  # which leaves no standby
    mine = tmp_path / ".site.standby"
    mine.mkdir()
    (mine / "notes.txt").write_bytes(b"precious")
    for publish in ("standby", "copy"):
        with pytest.raises(OutputError, match=r"\.site\.standby holds files this program did not build"):
            build(corpus["B"], out, search=False, publish=publish)
        assert snapshot(mine) == {"notes.txt": b"precious"} and _tree(out) == clean["A"]
    # Nor is a file added to a standby this program made, when a copy-mode or full build removes it.
    shutil.rmtree(mine)
    build(corpus["B"], out, search=False)
    (mine / "plans" / "notes.txt").write_bytes(b"precious")
    for publish, incremental in (("copy", True), ("standby", False)):
        with pytest.raises(OutputError, match=r"holds files this program did not build \(plans/notes\.txt\)"):
            build(corpus["C"], out, search=False, publish=publish, incremental=incremental)
        assert (mine / "plans" / "notes.txt").read_bytes() == b"precious" and _tree(out) == clean["B"]


def test_the_check_for_foreign_files_lists_only_folders_that_changed_and_still_finds_them(
        tmp_path, corpora, monkeypatch):
    import time

    import sitegen.sitecheck as sitecheck
    from sitegen.write import output_refusal
    corpus, clean = corpora["corpus"], corpora["clean"]
    out = tmp_path / "site"
    for name in "AB":
        build(corpus[name], out, search=False)
    time.sleep(sitecheck.RACY_NS / 1e9 + 0.2)  # a folder changed this recently is listed again anyway
    assert output_refusal(out) == ""  # lists every folder once, and records them clean
    listed = []
    real = sitecheck.os.scandir

    def scandir(path):
        listed.append(Path(path))
        return real(path)
    monkeypatch.setattr(sitecheck.os, "scandir", scandir)
    assert output_refusal(out) == ""
    assert listed == [out]  # the top only (renamed by the exchange: always looked at); no other folder
    # A file added to a folder changes its ctime: that folder is listed again, and the file is found.
    (out / "plans" / "my-notes.txt").write_bytes(b"precious")
    listed.clear()
    assert "holds files this program did not build (plans/my-notes.txt)" in output_refusal(out)
    assert out / "plans" in listed and len(listed) == 2
    (out / "plans" / "my-notes.txt").unlink()
    # So is a folder made read-only, and a file added to the standby, which the next build would publish.
    (out / "plans").chmod(0o555)
    try:
        if os.geteuid() != 0:
            assert "not writable (plans/)" in output_refusal(out)
    finally:
        (out / "plans").chmod(0o755)
    (tmp_path / ".site.standby" / "plans" / "mine.txt").write_bytes(b"precious")
    with pytest.raises(OutputError, match=r"\.site\.standby, holds files this program did not build "
                                          r"\(plans/mine\.txt\)"):
        build(corpus["C"], out, search=False)
    assert _tree(out) == clean["B"]


def test_the_publishing_benchmark_leaves_the_site_it_measures_as_it_was(tmp_path, corpora, capsys):
    sys.path.insert(0, str(REPO / "benchmarks"))
    import publish_cost  # benchmarks/publish_cost.py

    out = tmp_path / "site"
    build(corpora["corpus"]["A"], out, search=False)
    before, beside = _tree(out), sorted(p.name for p in tmp_path.iterdir())
    assert beside == [".site.cache", ".site.lock", ".site.standby", "site"]
    assert publish_cost.main([str(out), "--rounds", "1"]) == 0
    printed = capsys.readouterr().out
    assert f"{len(before[0]) - 1} files, nothing changed" in printed
    assert "copy mode:" in printed and "standby mode:" in printed
    assert _tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == beside


def test_a_path_that_was_a_folder_becomes_a_file_and_back_in_both_trees(tmp_path):
    from sitegen.standby import StandbyStaging
    out = tmp_path / "site"
    sites = [{"a/b.html": b"1", "x.html": b"x"}, {"a/b.html": b"1", "x.html": b"y"},
             {"a": b"a file now", "x.html": b"x"}, {"a/b.html": b"2", "x.html": b"x"},
             {"a": b"a file again", "x.html": b"y"}]
    for files in sites:
        staging = StandbyStaging(out)
        for rel, data in files.items():
            staging.write(rel, data)
        staging.commit()
        assert {k: v for k, v in snapshot(out).items() if k != MANIFEST} == files
        _agrees(out)
        if (tmp_path / ".site.standby").exists():
            _agrees(tmp_path / ".site.standby")


def test_a_first_build_leaves_a_standby_so_that_the_next_changes_only_what_changed(tmp_path, corpora, monkeypatch):
    from sitegen.standby import StandbyStaging
    corpus, clean = corpora["corpus"], corpora["clean"]
    out, standby = tmp_path / "site", tmp_path / ".site.standby"
    build(corpus["A"], out, search=False)
    # The standby is the site itself, as hard links (sitegen.standby.mirror), with its manifest.
    assert _tree(standby) == clean["A"]
    _agrees(standby)
    files = [rel for rel in clean["A"][0] if rel != MANIFEST]
    assert files and all((out / rel).stat().st_ino == (standby / rel).stat().st_ino for rel in files)
    touched = []
    real = StandbyStaging._touch
    monkeypatch.setattr(StandbyStaging, "_touch", lambda self, rel: touched.append(rel) or real(self, rel))
    build(corpus["B"], out, search=False)
    assert _tree(out) == clean["B"] and _tree(standby) == clean["A"]
    # The first edit after the first build changes in the standby only the files whose bytes changed.
    a, b = clean["A"][0], clean["B"][0]
    changed = {rel for rel in a.keys() | b.keys() if a.get(rel) != b.get(rel)} - {MANIFEST}
    assert changed and set(touched) == changed
