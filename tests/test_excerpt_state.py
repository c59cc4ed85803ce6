"""Issue 18 item 4 (site side): an excerpt whose text states no target has its targets "not in this
text", never "no target": the real corpus with Tuyên Quang 2013 (no target in its text) marked an
excerpt, built end to end and read with an HTML parser (Vietnamese and English)."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import html5lib
import pytest

from helpers import REAL_CORPUS, run_build

NS = {"h": "http://www.w3.org/1999/xhtml"}
EXCERPT = "tuyen-quang-2013-86-kh-ubnd"  # states no target; its text is marked an excerpt here
FULL = "tra-vinh-2022"  # states no target in its full text: "no target" stays true of it
WORDS = {"vi": "chỉ tiêu không có trong văn bản này", "en": "targets not in this text"}
NO_TARGET = {"vi": ("Văn bản này không nêu chỉ tiêu định lượng nào", "Văn bản không nêu chỉ tiêu định lượng nào.",
                    "Kế hoạch không có chỉ tiêu định lượng"),
             "en": ("This document states no quantified target", "It sets no quantified target.",
                    "Plan without quantified targets")}


def excerpt_corpus(base: Path) -> Path:
    """The real corpus with Tuyên Quang 2013 marked an excerpt (as ingest now records a cut text)."""
    root = shutil.copytree(REAL_CORPUS, base / "corpus")
    md = root / "plans" / f"{EXCERPT}.md"
    text = md.read_text("utf-8")
    assert text.count("\nexcerpt: false\n") == 1
    md.write_text(text.replace("\nexcerpt: false\n", "\nexcerpt: true\n"), "utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The excerpt corpus, built by build.py."""
    base = tmp_path_factory.mktemp("excerpt")
    result = run_build(excerpt_corpus(base), base / "site")
    assert result.returncode == 0, result.stderr
    return base / "site"


def parse(site: Path, lang: str, path: str):
    """A page of the site (the English one under en/) as an element tree."""
    return html5lib.parse((site / ("en/" if lang == "en" else "") / path).read_bytes(), namespaceHTMLElements=True)


def text(el) -> str:
    """An element's text, white space collapsed."""
    return " ".join("".join(el.itertext()).split())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_plan_page_says_the_targets_are_not_in_this_text(site, lang):
    doc = parse(site, lang, f"plans/{EXCERPT}.html")
    section = doc.find(".//h:section[@id='chi-tieu']", NS)
    assert section is not None
    notes = [text(p) for p in section.iterfind(".//h:p[@class='empty-note']", NS)]
    assert len(notes) == 1 and notes[0].lower().startswith(WORDS[lang])
    page = text(doc.find(".//h:main", NS))
    summary = [text(p) for p in doc.iterfind(".//h:main//h:p", NS) if text(p).lower().startswith(WORDS[lang])]
    assert len(summary) == 2  # the summary's paragraph and the targets section's note
    assert not any(claim in page for claim in NO_TARGET[lang])
    # A full text that states none still says so.
    full = text(parse(site, lang, f"plans/{FULL}.html").find(".//h:main", NS))
    assert NO_TARGET[lang][0] in full and WORDS[lang] not in full.lower()


def grid_cells(site: Path, lang: str) -> dict[str, tuple[str, str]]:
    """The home grid's cells that link to a plan: plan file -> (class, text)."""
    doc = parse(site, lang, "index.html")
    grid = doc.find(".//h:table[@class='grid']", NS)
    out = {}
    for td in grid.iterfind(".//h:td", NS):
        for a in td.iterfind("h:a", NS):
            out[a.get("href").rsplit("/", 1)[-1]] = (td.get("class"), text(a))
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_home_grid_shows_the_excerpt_as_targets_not_in_this_text(site, lang):
    cells = grid_cells(site, lang)
    cls, label = cells[f"{EXCERPT}.html"]
    assert cls == "cell-not_in_text" and WORDS[lang] in label.lower()
    assert cells[f"{FULL}.html"][0] == "cell-no_targets"
    legend = text(parse(site, lang, "index.html").find(".//h:p[@class='legend']", NS))
    assert WORDS[lang] in legend.lower()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_categories_matrix_marks_each_cell_of_the_excerpt_not_in_this_text(site, lang):
    doc = parse(site, lang, "index.html")
    tables = [t for t in doc.iterfind(".//h:table", NS)
              if any("Tuyên Quang 2013" in text(th) for th in t.iterfind(".//h:thead//h:th", NS))]
    assert len(tables) == 1
    heads = [text(th) for th in tables[0].iterfind(".//h:thead//h:th", NS)]
    col = next(i for i, h in enumerate(heads) if h.startswith("Tuyên Quang 2013"))
    rows = [[text(c) for c in tr] for tr in tables[0].iterfind(".//h:tbody/h:tr", NS)]
    assert rows and all(r[col].lower() == WORDS[lang] for r in rows)
    full = next(i for i, h in enumerate(heads) if h.startswith("Trà Vinh 2022"))
    assert all(r[full] == "—" for r in rows)


def test_the_downloads_record_the_state_and_the_matrix_csv_leaves_the_count_unknown(site):
    rows = {r["plan_id"]: r for r in csv.DictReader(io.StringIO((site / "data" / "plans.csv").read_text("utf-8")))}
    assert rows[EXCERPT]["targets_state"] == "not_in_text" and rows[FULL]["targets_state"] == "none"
    assert rows["quang-ninh-2021-27-kh-ubnd"]["targets_state"] == "targets"
    chart = site / "data" / "charts" / "nhom-chi-tieu-theo-ke-hoach.csv"
    mine = [r for r in csv.DictReader(io.StringIO(chart.read_text("utf-8"))) if r["plan_id"] == EXCERPT]
    assert mine and all(r["targets"] == "" for r in mine)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_province_page_says_not_in_this_text(site, lang):
    page = text(parse(site, lang, "provinces/tuyen-quang.html").find(".//h:main", NS)).lower()
    assert WORDS[lang] in page
    assert "0 chỉ tiêu ·" not in page and "0 targets ·" not in page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_provinces_share_card_does_not_count_zero_targets_when_they_are_not_in_its_texts(tmp_path, lang):
    from sitegen.cards import card_specs
    from sitegen.pipeline import gather

    root = excerpt_corpus(tmp_path)
    md = root / "plans" / f"{FULL}.md"  # Trà Vinh's only plan, here an excerpt too
    md.write_text(md.read_text("utf-8").replace("\nexcerpt: false\n", "\nexcerpt: true\n"), "utf-8")
    specs = card_specs(gather(root).site, lang, {})
    sub = specs["cards/provinces/tra-vinh.png"].subtitle.lower()
    assert {"vi": "chỉ tiêu không có trong văn bản", "en": "targets not in the text"}[lang] in sub
    assert "0 " not in sub.split("·")[-1]
