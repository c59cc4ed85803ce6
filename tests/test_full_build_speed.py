"""Issue 19 item 7, full-build speed: the chart pages and the social cards are made in the build's
worker processes (each chart sent packed), while the build process makes the rest. What they make
there must equal what one process makes, in a full and in an incremental build."""
from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import sitegen.pipeline as pipeline  # noqa: E402
from helpers import tree_diff as _same_tree  # noqa: E402
from sitegen.pipeline import build  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("pool") / "corpus", seed=7)


def _spy(monkeypatch, name: str, log: Path):
    """Replace pipeline.<name>(state, tasks) by one that also notes its process id and task count in
    `log` (a file: the workers are other processes). Named as the original, so that the pool's
    pickling of it by name finds the spy."""
    real = getattr(pipeline, name)

    @functools.wraps(real)
    def spy(state, tasks):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} {len(tasks)}\n")
        return real(state, tasks)
    monkeypatch.setattr(pipeline, name, spy)


def _calls(log: Path) -> list[tuple[int, int]]:
    return [tuple(map(int, line.split())) for line in log.read_text().splitlines()] if log.exists() else []


def test_chart_pages_and_cards_made_in_the_workers_equal_those_made_in_one_process(corpus, tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    charts, cards = tmp_path / "charts.log", tmp_path / "cards.log"
    _spy(monkeypatch, "_chart_pages", charts)
    _spy(monkeypatch, "_draw_cards", cards)
    first = build(corpus, one, search=False, workers=1, incremental=False)
    assert {pid for pid, _ in _calls(charts) + _calls(cards)} == {os.getpid()}  # serial: all in this process
    charts.unlink()
    cards.unlink()
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 1)  # the worker pool, on a small corpus
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    second = build(corpus, two, search=False, workers=2, incremental=False)
    made_charts, drawn = _calls(charts), _calls(cards)
    # Every chart page and every card was made in a worker process, none here.
    assert made_charts and drawn and os.getpid() not in {pid for pid, _ in made_charts + drawn}
    assert sum(n for _, n in drawn) == second.cards_drawn == first.cards_drawn == first.cards
    assert second.pages == first.pages and second.files == first.files
    assert list((two / "charts").glob("*.html")) and list((two / "en/cards/charts").glob("*.png"))
    assert _same_tree(one, two) == []


def test_an_incremental_parallel_build_makes_only_the_changed_charts_and_equals_a_clean_one(
        corpus, tmp_path, monkeypatch):
    work, site, clean = tmp_path / "corpus", tmp_path / "site", tmp_path / "clean"
    shutil.copytree(corpus, work)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 1)
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    build(work, site, search=False, workers=2)
    charts, cards = tmp_path / "charts.log", tmp_path / "cards.log"
    _spy(monkeypatch, "_chart_pages", charts)
    _spy(monkeypatch, "_draw_cards", cards)
    again = build(work, site, search=False, workers=2)
    # Nothing changed: no chart page made, no card drawn (not even an empty task sent).
    assert again.written == 0 and again.cards_drawn == 0 and _calls(charts) == [] and _calls(cards) == []
    victim = sorted((work / "plans").glob("*.yaml"))[4]
    text = victim.read_text("utf-8")
    # A target's deadline moves: the charts showing it (their pages and cards) are made again, not all.
    old = re.search(r"deadline: (\d+)", text)
    victim.write_text(text.replace(old.group(0), f"deadline: {int(old.group(1)) + 1}", 1), "utf-8")
    edited = build(work, site, search=False, workers=2)
    total_charts = len(list(site.glob("charts/*.html"))) + len(list(site.glob("en/charts/*.html")))
    assert 0 < sum(n for _, n in _calls(charts)) < total_charts
    assert 0 < edited.cards_drawn < edited.cards
    build(work, clean, search=False, workers=1, incremental=False)
    assert _same_tree(site, clean) == []


def test_a_chart_page_half_carried_over_is_made_without_writing_the_other_twice(corpus, tmp_path, monkeypatch):
    """A chart's two pages are carried over together; when one of them can no longer be (gone from the
    live site: the copy mode links from it), the worker makes the chart's pages and stages only the
    missing one (the other is staged already, in the build process)."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 1)
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    site, clean = tmp_path / "site", tmp_path / "clean"
    build(corpus, site, search=False, workers=2, publish="copy")
    gone = sorted((site / "en/charts").glob("*.html"))[0]
    gone.unlink()
    report = build(corpus, site, search=False, workers=2, publish="copy")
    assert report.written == 1 and gone.exists()
    build(corpus, clean, search=False, workers=1, incremental=False)
    assert _same_tree(site, clean) == []


def test_invisible_finds_what_the_character_loop_finds_for_every_code_point():
    """checks.invisible's fast path (str.isprintable) answers as the loop over each character's category."""
    import unicodedata

    from sitegen.checks import invisible

    def by_category(text: str) -> str:
        for c in text:
            if c not in "\t\n" and unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs"):
                name = unicodedata.name(c, "")
                return f"U+{ord(c):04X} {name}" if name else f"U+{ord(c):04X} (a control character)"
        return ""
    wrong = [cp for cp in range(0x110000) if invisible(f"Việt\t{chr(cp)}\n") != by_category(f"Việt\t{chr(cp)}\n")]
    assert wrong == []
    assert invisible("a\u00a0b\u202ec") == "U+202E RIGHT-TO-LEFT OVERRIDE"  # past a no-break space (not printable)



def test_the_build_leaves_nothing_frozen_out_of_the_collector(corpus, tmp_path, monkeypatch):
    """The gathered data is frozen (gc.freeze) for the write, through the page workers, and unfrozen
    once when the build ends, whether it succeeds or fails: serve's warm worker builds again and again."""
    import gc

    from sitegen.write import OutputError

    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 1)
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    frozen = []

    def index(root):  # the last step of a build with search, after the workers are gone
        frozen.append(gc.get_freeze_count())
        if len(frozen) == 2:
            raise OutputError("the disk is full (a test)")
    monkeypatch.setattr(pipeline, "index_search", index)
    build(corpus, tmp_path / "site", search=True, workers=2)
    assert frozen and frozen[0] > 0, "still frozen after the workers, until the build ends"
    assert gc.get_freeze_count() == 0
    with pytest.raises(OutputError):
        build(corpus, tmp_path / "site", search=True, workers=2, incremental=False)
    assert len(frozen) == 2 and frozen[1] > 0 and gc.get_freeze_count() == 0
