"""Issue 11: builds of one output folder at the same time, and builds that die half way.

Two builds started at once (two `python build.py` processes with different corpora) take turns: the
second waits for the first and says so; site/ is always one complete site, and no build exits 0
over a site it did not finish. A build killed at any moment (SIGKILL) leaves the old site or the new
one, and the next build settles what it left and succeeds (benchmarks/kill.py runs the full
experiment; here a few rounds on the tiny corpus).
"""
from __future__ import annotations

import fnmatch
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import BUILD_PY, MD_A, REPO, edit, snapshot, write_corpus
from sitegen.write import output_lock

sys.path.insert(0, str(REPO / "benchmarks"))
import kill  # noqa: E402  benchmarks/kill.py


def _two_corpora(tmp_path: Path) -> tuple[Path, Path]:
    a = write_corpus(tmp_path / "a")
    b = write_corpus(tmp_path / "b")
    edit(b / MD_A, "title: Phòng, chống tệ nạn xã hội năm 2020", "title: Một tiêu đề khác")
    return a, b


def _beside(folder: Path) -> list[str]:
    """The build's own files beside site/ but the standby tree (checked by the callers that expect it) and
    the record of folders found clean (sitegen.sitecheck)."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".site.") and p.name not in (".site.standby", ".site.folders"))


def _cli(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(BUILD_PY), "--corpus", str(corpus), "--out", str(out), "--no-search", *extra]


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> tuple[Path, Path, dict, dict]:
    """The two corpora and their sites, each built alone."""
    base = tmp_path_factory.mktemp("refs")
    a, b = _two_corpora(base)
    for corpus, name in ((a, "site-a"), (b, "site-b")):
        assert subprocess.run(_cli(corpus, base / name), capture_output=True, cwd=REPO).returncode == 0
    site_a, site_b = snapshot(base / "site-a"), snapshot(base / "site-b")
    assert site_a != site_b
    return a, b, site_a, site_b


def test_two_builds_started_at_once_take_turns_and_leave_one_complete_site(tmp_path, references):
    a, b, site_a, site_b = references
    out = tmp_path / "site"
    waited = 0
    for round_ in range(3):
        procs = {name: subprocess.Popen(_cli(corpus, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, cwd=REPO)
                 for name, corpus in (("a", a), ("b", b))}
        results = {name: (p.wait(timeout=300), *p.communicate()) for name, p in procs.items()}
        for name, (code, stdout, stderr) in results.items():
            assert code == 0, (round_, name, stderr)
            assert stdout.startswith(f"Building {out}") and "Built 2 plans" in stdout
        waiting = [name for name, (_, _, stderr) in results.items() if "Waiting for another build" in stderr]
        waited += len(waiting)
        final = snapshot(out)
        assert final in (site_a, site_b), f"round {round_}: site/ is neither complete site"
        # The build that waited finished last: the site is its own, not one it did not finish.
        if waiting:
            assert final == {"a": site_a, "b": site_b}[waiting[0]]
        assert _beside(tmp_path) == [".site.cache", ".site.lock"]
        # The standby (sitegen.standby): the site one build earlier, complete too.
        assert snapshot(tmp_path / ".site.standby") in (site_a, site_b)
    assert waited >= 1  # the builds did run at the same time (each takes about a second)


def test_a_second_build_that_waits_too_long_gives_up_clearly_and_changes_nothing(tmp_path, references):
    a, b, site_a, _ = references
    out = tmp_path / "site"
    assert subprocess.run(_cli(a, out), capture_output=True, cwd=REPO).returncode == 0
    with output_lock(out):  # as if another build were running
        start = time.monotonic()
        result = subprocess.run(_cli(b, out, "--wait", "1"), capture_output=True, text=True, cwd=REPO, timeout=120)
        waited = time.monotonic() - start
    assert result.returncode == 2
    assert "Waiting for another build" in result.stderr
    assert "another build (process " in result.stderr and "still running after 1 s of waiting" in result.stderr
    assert "build again when it has finished" in result.stderr and f"{out} is unchanged" in result.stderr
    assert waited >= 1
    assert snapshot(out) == site_a


# The copy mode swaps with two renames; so does the standby mode where the exchange is not available
# (another system or file system: made here by an exchange that fails as it would there).
@pytest.mark.parametrize("mode", ["copy", "standby-without-exchange"])
def test_a_build_killed_between_the_two_renames_is_completed_by_the_next_build(tmp_path, references, mode):
    a, b, _, site_b = references
    out = tmp_path / "site"
    for corpus in (b, a):  # so that the standby mode has a standby to swap in
        assert subprocess.run(_cli(corpus, out), capture_output=True, cwd=REPO).returncode == 0
    _die_between_the_renames(b, out, mode)
    again = subprocess.run(_cli(b, out), capture_output=True, text=True, cwd=REPO)
    assert again.returncode == 0, again.stderr
    assert "Note: completed the swap of" in again.stderr
    assert snapshot(out) == site_b
    assert _beside(tmp_path) == [".site.cache", ".site.lock"]
    assert snapshot(tmp_path / ".site.standby") == site_b  # the completed site, linked in again


def _die_between_the_renames(corpus: Path, out: Path, mode: str = "copy") -> None:
    """Run a build of `corpus` that dies (os._exit: no clean-up runs) right after moving the old site aside."""
    no_exchange = ("import errno, sitegen.standby as standby\n"
                   "def exchange(a, b):\n"
                   "    raise OSError(errno.EINVAL, 'Invalid argument')\n"
                   "standby.exchange = exchange\n")
    crash = ("import os, runpy, sys\n"
             + (no_exchange if mode == "standby-without-exchange" else "") +
             "real = os.replace\n"
             "def replace(src, dst):\n"
             "    real(src, dst)\n"
             "    if '.previous.' in str(dst):\n"
             "        os._exit(137)\n"
             "os.replace = replace\n"
             f"sys.argv = {_cli(corpus, out, *(['--publish', 'copy'] if mode == 'copy' else []))[1:]!r}\n"
             f"runpy.run_path({str(BUILD_PY)!r}, run_name='__main__')\n")
    died = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, cwd=REPO)
    assert died.returncode == 137, died.stderr
    assert not out.exists() and (out.parent / ".site.swap").is_file()


def test_a_build_that_finishes_an_interrupted_swap_then_fails_says_it_settled_the_site(tmp_path, references):
    a, b, _, site_b = references
    out = tmp_path / "site"
    assert subprocess.run(_cli(a, out), capture_output=True, cwd=REPO).returncode == 0
    _die_between_the_renames(b, out)
    broken = write_corpus(tmp_path / "broken")
    edit(broken / MD_A, "title: Phòng, chống tệ nạn xã hội năm 2020", "title: [")
    failed = subprocess.run(_cli(broken, out), capture_output=True, text=True, cwd=REPO)
    assert failed.returncode == 1, failed.stderr
    # The swap was finished before the corpus was read: the folder changed, and the message says so.
    assert "Note: completed the swap of" in failed.stderr
    assert "now holds the last complete site" in failed.stderr
    assert "is unchanged" not in failed.stderr
    assert snapshot(out) == site_b


def test_the_lock_and_the_swap_journal_beside_the_default_site_are_ignored_by_git():
    # build.py's default output is site/ in the repository: .site.lock stays beside it after every build.
    # A pattern ending in "/" matches folders only.
    files = [pat for pat in (REPO / ".gitignore").read_text(encoding="utf-8").split() if not pat.endswith("/")]
    for name in (".site.lock", ".site.swap", ".site.standby-log", ".site.standby-stream", ".site.folders"):
        assert any(fnmatch.fnmatch(name, pat.lstrip("/")) for pat in files), name


def test_a_killed_builds_half_written_staging_folder_is_removed_by_the_next_build(tmp_path, references):
    a, _, site_a, _ = references
    out = tmp_path / "site"
    assert subprocess.run(_cli(a, out), capture_output=True, cwd=REPO).returncode == 0
    stale = tmp_path / ".site.staging.999999.deadbeef"
    (stale / "plans").mkdir(parents=True)
    (stale / "plans" / "half.html").write_bytes(b"<html")
    result = subprocess.run(_cli(a, out), capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Note: removed .site.staging.999999.deadbeef, left by an interrupted build" in result.stderr
    assert not stale.exists() and snapshot(out) == site_a


def test_builds_killed_at_random_moments_leave_the_old_or_the_new_site(tmp_path, references):
    a, b, _, _ = references
    records = kill.run(a, b, tmp_path / "work", rounds=3, seed=3, search=False, log=lambda *_: None)
    assert len(records) == 3
    assert [r["state"] for r in records if r["state"] not in ("old", "new", "mid-swap")] == []
    assert all(r["next_build_ok"] for r in records), [r["stderr"] for r in records]
