"""The compare page at scale (more plans than SiteOptions.split_max_plans): no compare file grows with
the plans of other provinces, each provincial unit's compare files are made by a job that reads that
unit only (a one-plan edit makes again only its unit's compare page), the page's script takes a unit's
rows from that unit's table (no data file beside it), and below the threshold the page keeps its full
table."""
from __future__ import annotations

import html
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import REAL_CORPUS
from sitegen.options import SiteOptions
from sitegen.pages import Digests, Kit, job_key, page_jobs
from sitegen.pages import compare as compare_pages
from sitegen.pages.reads import unit_of
from sitegen.pipeline import build, gather

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402

SPLIT = SiteOptions(search=False, split_max_plans=2)
# generate.py: plan i is of province i % 63 and year 2008 + i // 63. Plans 0, 63 and 126 are three
# plans of the first province (2008-2010: the latest, 126, is the page's default); 1 and 2 one plan
# each of two others; the larger corpus adds one plan each of ten more provinces.
SMALL = [0, 63, 126, 1, 2]
LARGE = SMALL + list(range(3, 13))


def _compare_files(site: Path) -> dict[str, int]:
    """Size of each compare file (the page, each unit's table), both languages."""
    files = [site / "compare.html", site / "en/compare.html",
             *(site / "compare").iterdir(), *(site / "en/compare").iterdir()]
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in files}


@pytest.fixture(scope="module")
def two_sizes(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Generated corpora of 5 and 15 plans, each built split: name -> (corpus, site)."""
    out = {}
    for name, indexes in (("small", SMALL), ("large", LARGE)):
        base = tmp_path_factory.mktemp(name)
        corpus = generate.generate(len(indexes), base / "corpus", seed=1, indexes=indexes)
        build(corpus, base / "site", SPLIT)
        out[name] = (corpus, base / "site")
    return out


def test_no_compare_file_grows_with_the_plans_of_other_units(two_sizes):
    (_, small), (large_corpus, large) = two_sizes["small"], two_sizes["large"]
    a, b = _compare_files(small), _compare_files(large)
    assert len(b) > len(a)  # ten more units, each with its table in both languages
    assert all(name.endswith(".html") for name in b)  # no data file: the tables are the data
    # Three times the plans, but the largest file (the first province's, with its three plans) is of the
    # same size: only the words of comparability (more plans share its targets' groups) may differ.
    assert max(b.values()) <= 1.1 * max(a.values())
    first = unit_of(gather(large_corpus).site.corpus.plans[0])
    assert b[f"compare/{first}.html"] <= 1.1 * a[f"compare/{first}.html"]
    # The page itself holds the latest plan's rows, whatever the corpus: it grows only by the choices
    # (a checkbox and a link per province), not by rows.
    page = (large / "compare.html").read_text("utf-8")
    assert page.count('<tr class="target') == (small / "compare.html").read_text("utf-8").count('<tr class="target') > 0
    assert b["compare.html"] - a["compare.html"] < 10 * 1500


def _table_rows(page: Path) -> list[dict[str, str]]:
    """The data-* attributes of each row of a compare table (a page's or a unit's)."""
    text = page.read_text("utf-8")
    return [{k: html.unescape(v) for k, v in re.findall(r' data-([a-z]+)="([^"]*)"', tr)}
            for tr in re.findall(r"<tr class=\"(?:target|part)[^>]*>", text)]


def test_each_units_table_holds_only_the_plans_signed_in_it(two_sizes):
    corpus, site = two_sizes["large"]
    plans = gather(corpus).site.corpus.plans
    units = {}
    for p in plans:
        units.setdefault(unit_of(p), set()).add(p.id)
    assert len(units) == 13
    for unit, ids in units.items():
        rows = _table_rows(site / f"compare/{unit}.html")
        assert rows and {r["id"].split("/")[0] for r in rows if "id" in r} == ids
        assert {r["province"] for r in rows if "id" in r} == {unit}


def _keys(site) -> dict[tuple, str]:
    """Each compare job's key by (language, job name)."""
    digests = Digests(site)
    return {(j.lang, j.name): job_key(j, digests) for j in page_jobs(site) if j.make.__module__.endswith(".compare")}


def test_editing_one_plan_changes_the_keys_of_its_units_compare_jobs_only(tmp_path):
    corpus = generate.generate(len(SMALL), tmp_path / "corpus", seed=1, indexes=SMALL)
    before = replace(gather(corpus).site, options=SPLIT)
    victim = next(p for p in before.corpus.plans if p.id.endswith("-1"))  # plan 1: its province's only plan
    data = corpus / "plans" / f"{victim.id}.yaml"
    text = data.read_text("utf-8")
    assert 'note: ""' in text
    data.write_text(text.replace('note: ""', 'note: "sửa một ghi chú"', 1), "utf-8")
    after = replace(gather(corpus).site, options=SPLIT)
    old, new = _keys(before), _keys(after)
    assert old.keys() == new.keys()
    changed = {name for name in old if old[name] != new[name]}
    unit = unit_of(victim)
    assert changed == {(lang, f"compare.compare_unit({unit!r},)") for lang in ("vi", "en")}
    # The jobs' names: the page (with the latest plan) and one per unit a plan was signed in.
    assert {name for _, name in old} == {f"compare.compare_split({before.corpus.plans[2].id!r},)",
                                         *(f"compare.compare_unit({unit_of(p)!r},)" for p in before.corpus.plans)}


def test_below_the_threshold_one_job_makes_the_full_table():
    site = gather(REAL_CORPUS).site
    jobs = [j for j in page_jobs(site) if j.make.__module__.endswith(".compare")]
    assert [j.name for j in jobs] == ["compare.compare()", "compare.compare()"]
    (page,) = jobs[0].run(Kit(site, jobs[0].lang))
    assert page.page.n_targets == 27 and page.page.n_parts == 6 and not page.page.unit_links


def test_the_split_page_rows_are_the_latest_plans_and_a_units_rows_its_plans():
    site = replace(gather(REAL_CORPUS).site, options=SiteOptions(split_max_plans=2))
    k = Kit(site, "vi")
    page = compare_pages.compare_split(k, "quang-ninh-2021-27-kh-ubnd")
    assert {r.id.split("/")[0] for r in page.page.rows} == {"quang-ninh-2021-27-kh-ubnd"}
    assert [link.text for link in page.page.unit_links] == ["Ninh Thuận", "Quảng Ninh", "Trà Vinh", "Tuyên Quang"]
    assert page.page.filters[0].none_means == "không chọn là kế hoạch mới nhất: Quảng Ninh 2021"
    table = compare_pages.compare_unit(k, "tuyen-quang")
    assert table.path == "compare/tuyen-quang.html"
    assert {r.id.split("/")[0] for r in table.page.rows} == {"tuyen-quang-2019-63-kh-ubnd"}  # 2013's: no target
    # The table's links are one folder down from the compare page's (whose script takes its rows in
    # and takes one "../" off each link).
    rows = compare_pages.compare_rows(k, "compare.html", k.ix.by_unit["tuyen-quang"])
    assert [r.quote_url for r in table.page.rows] == ["../" + r.quote_url for r in rows]
    assert rows[0].quote_url.startswith("plans/tuyen-quang-2019-63-kh-ubnd.html#")


def test_two_units_of_one_name_are_told_apart_by_their_dates():
    site = replace(gather(REAL_CORPUS).site, options=SiteOptions(split_max_plans=2))
    k = Kit(site, "vi")
    choices = compare_pages._unit_choices(k, {"tuyen-quang": "Tuyên Quang", "tuyen-quang-2025": "Tuyên Quang",
                                              "quang-ninh": "Quảng Ninh"})
    assert [c.label for c in choices] == ["Quảng Ninh", "Tuyên Quang (đến 30/06/2025)", "Tuyên Quang (từ 01/07/2025)"]
