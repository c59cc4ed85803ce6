"""Stage 5a, page contexts of the real corpus, and the i18n formatting they use.

The corpus is gathered once (load, validate, citations, normalize); each test builds the
context of one page with a function of sitegen.pages (given a Kit) and checks what the page will say.
"""
from __future__ import annotations

import posixpath
import re

import html5lib
import pytest

from helpers import REAL_CORPUS, site_pages
from sitegen.i18n import fmt_date, fmt_number, fmt_value, t
from sitegen.normalize import category_groups
from sitegen.pages import Kit
from sitegen.pages import categories as category_pages, home as home_pages, plans as plan_pages, provinces as province_pages
from sitegen.pipeline import gather

QUANG_NINH = "quang-ninh-2021-27-kh-ubnd"
TRA_VINH = "tra-vinh-2022"
NINH_THUAN = "ninh-thuan-2020"
TQ_2013 = "tuyen-quang-2013-86-kh-ubnd"
TQ_2019 = "tuyen-quang-2019-63-kh-ubnd"


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


@pytest.fixture(scope="module")
def vi(site):
    return Kit(site, "vi")


@pytest.fixture(scope="module")
def en(site):
    return Kit(site, "en")


def _plan(site, pid):
    return next(p for p in site.corpus.plans if p.id == pid)


def _meta(page, label_key, lang="vi"):
    return next(row for row in page.page.meta if row.label == t(lang, label_key))


def _ids(fragment: str) -> set[str]:
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return {el.get("id") for el in tree.iter() if el.get("id")}


# ---------------------------------------------------------------- plan pages


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_plan_without_targets_says_so_and_lists_none(site, lang):
    page = plan_pages.plan(Kit(site, lang), _plan(site, TRA_VINH))
    assert page.page.targets == ()
    assert page.page.no_targets_note == t(lang, "no_targets_note")


def test_a_plan_with_targets_has_no_no_targets_note(site, vi):
    page = plan_pages.plan(vi, _plan(site, QUANG_NINH))
    assert page.page.targets and page.page.no_targets_note == ""


def test_an_unknown_signer_title_shows_khong_ro_and_is_marked_unknown(site, vi):
    row = _meta(plan_pages.plan(vi, _plan(site, QUANG_NINH)), "meta_signer_title")
    assert (row.value, row.unknown) == ("không rõ", True)


def test_an_unknown_field_shows_unknown_in_english(site, en):
    row = _meta(plan_pages.plan(en, _plan(site, QUANG_NINH)), "meta_signer_title", "en")
    assert (row.value, row.unknown) == ("unknown", True)


def test_a_known_signer_is_shown_as_written(site, vi):
    row = _meta(plan_pages.plan(vi, _plan(site, QUANG_NINH)), "meta_signer")
    assert (row.value, row.unknown) == ("Nguyễn Thị Hạnh", False)


def test_the_issue_date_is_formatted_for_each_language(site, vi, en):
    assert _meta(plan_pages.plan(vi, _plan(site, QUANG_NINH)), "meta_issued").value == "02/02/2021"
    assert _meta(plan_pages.plan(en, _plan(site, QUANG_NINH)), "meta_issued", "en").value == "2 February 2021"


def test_a_press_report_is_flagged_on_its_page(site, vi):
    page = plan_pages.plan(vi, _plan(site, NINH_THUAN))
    assert t("vi", "flag_press_long") in page.page.flags


def test_a_press_report_shows_its_outlet_and_its_targets_are_marked_press(site, vi):
    page = plan_pages.plan(vi, _plan(site, NINH_THUAN))
    assert _meta(page, "meta_press_outlet").value == "LĐXH"
    assert page.page.targets and all(row.press for row in page.page.targets)


def test_an_official_plan_is_not_flagged_press(site, vi):
    page = plan_pages.plan(vi, _plan(site, TQ_2019))
    assert t("vi", "flag_press_long") not in page.page.flags
    assert not any(row.press for row in page.page.targets)


def test_an_excerpt_is_flagged(site, vi):
    assert t("vi", "flag_excerpt_long") in plan_pages.plan(vi, _plan(site, QUANG_NINH)).page.flags


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_target_quote_link_lands_on_an_anchor_of_the_text(site, vi, lang):
    """The text is on the Vietnamese page: its quote links stay on the page, the English page's open
    the Vietnamese page at the quote."""
    b = Kit(site, lang)
    n = 0
    for plan in site.corpus.plans:
        page = plan_pages.plan(b, plan).page
        ids = _ids(plan_pages.plan(vi, plan).page.text_html)
        for row in page.targets:
            target, _, anchor = row.quote_url.partition("#")
            assert target == ("" if lang == "vi" else f"../../plans/{plan.id}.html") and anchor in ids, (
                plan.id, row.id, row.quote_url)
            n += 1
    assert n > 10


def test_the_english_plan_page_links_to_the_text_instead_of_repeating_it(site, vi, en):
    """The Vietnamese text was repeated whole on the English page (a third of its bytes)."""
    from sitegen.render import environment, render_page

    plan = _plan(site, QUANG_NINH)
    page = plan_pages.plan(en, plan)
    assert page.page.text_html == "" and page.page.toc == ()
    assert page.page.text_link.url == f"../../plans/{QUANG_NINH}.html#toan-van"
    html = render_page(environment(), page).decode("utf-8")
    assert 'class="document"' not in html and f'href="../../plans/{QUANG_NINH}.html#toan-van"' in html
    assert "text below" not in html  # the summary points to the Vietnamese page, not to a text below
    linked = [c.url for c in page.page.commitments if c.url]
    assert linked and all(u.startswith(f"../../plans/{QUANG_NINH}.html#") for u in linked)
    assert plan_pages.plan(vi, plan).page.text_html and plan_pages.plan(vi, plan).page.text_link is None


def test_every_target_quote_is_marked_in_the_text(site, vi):
    for plan in site.corpus.plans:
        page = plan_pages.plan(vi, plan).page
        marked = set(re.findall(r'<mark class="quote" data-for="([^"]+)"', page.text_html))
        assert {row.id for row in page.targets} <= marked, plan.id


def test_every_commitment_links_to_its_anchor(site, vi):
    for plan in site.corpus.plans:
        page = plan_pages.plan(vi, plan).page
        ids = _ids(page.text_html)
        for item in page.commitments:
            assert item.url.startswith("#") and item.url[1:] in ids, (plan.id, item.quote)


def test_every_toc_entry_links_to_a_heading_of_the_text(site, vi):
    for plan in site.corpus.plans:
        page = plan_pages.plan(vi, plan).page
        ids = _ids(page.text_html)
        assert all(link.url[1:] in ids for link in page.toc), plan.id


def test_a_target_row_knows_the_section_its_quote_sits_in(site, vi):
    page = plan_pages.plan(vi, _plan(site, QUANG_NINH)).page
    ids = _ids(page.text_html)
    assert all(row.section in ids and row.section.startswith("s-") for row in page.targets)


def test_a_target_value_is_formatted_with_its_comparator_and_unit(site, vi):
    rows = [r for p in site.corpus.plans for r in plan_pages.plan(vi, p).page.targets]
    assert all(r.value for r in rows)
    assert any(r.value.startswith("≥ ") for r in rows)
    assert not any(re.search(r"\d\.\d{1,2}(?!\d)", r.value) for r in rows)  # no English decimals in vi


def test_every_url_of_a_plan_page_is_relative(site, en):
    page = plan_pages.plan(en, _plan(site, QUANG_NINH))
    assert page.path == f"en/plans/{QUANG_NINH}.html"
    assert page.base.css_url == "../../assets/style.css"
    assert page.base.alt_url == f"../../plans/{QUANG_NINH}.html"
    urls = [page.base.css_url, page.base.home_url, *page.base.scripts, *(l.url for l in page.base.nav),
            *(r.quote_url for r in page.page.targets), *(l.url for l in page.page.downloads)]
    assert not [u for u in urls if u.startswith(("/", "http:", "https:"))]


def test_download_links_resolve_to_the_plans_files(site, vi):
    page = plan_pages.plan(vi, _plan(site, QUANG_NINH))
    resolved = {posixpath.normpath(posixpath.join("plans", l.url)) for l in page.page.downloads}
    assert {f"data/plans/{QUANG_NINH}.json", "data/sources/000_fe96a9b176375939.txt",
            "data.html"} == resolved  # the tables of every plan are on the data page


# ---------------------------------------------------------------- category pages


def test_a_category_with_nothing_comparable_has_no_chart_and_says_why(vi):
    page = category_pages.category(vi, "inspection")
    assert page.page.groups and all(g.chart is None for g in page.page.groups)
    assert page.page.summary_note == t("vi", "nothing_comparable")
    assert not any("charts.js" in s for s in page.base.scripts)


def test_a_group_of_one_plan_notes_that_no_chart_is_drawn(vi):
    page = category_pages.category(vi, "inspection")
    assert all(t("vi", "note_single_plan") in g.notes for g in page.page.groups)


def test_communes_in_percent_is_a_comparable_group_of_two_plans(site):
    groups = {(g.subject, g.unit): g for g in category_groups(site.tables.targets, "communication")}
    group = groups[("xa", "percent")]
    assert group.comparable and len({r.plan_id for r in group.rows}) == 2


def test_the_comparable_communication_group_has_a_chart_and_the_others_do_not(vi):
    page = category_pages.category(vi, "communication")
    charted = [g for g in page.page.groups if g.chart is not None]
    assert [g.anchor for g in charted] == ["g-communication--xa--percent"]
    assert len({r.plan.url for r in charted[0].rows}) == 2
    assert page.page.summary_note == ""
    assert any("charts.js" in s for s in page.base.scripts)


def test_a_category_counts_its_targets_and_their_parts_apart(site, vi):
    mine = [tg for p in site.corpus.plans for tg in p.targets if tg.category == "communication"]
    tops, parts = sum(tg.parent is None for tg in mine), sum(tg.parent is not None for tg in mine)
    assert (tops, parts) == (5, 1)  # Quảng Ninh's "ít nhất 1 hoạt động" is a part of its 100% of communes
    assert category_pages.category(vi, "communication").page.n_targets == "5 chỉ tiêu, kèm 1 phần của chỉ tiêu"


# ---------------------------------------------------------------- home, lists, provinces


def test_the_home_grid_marks_a_plan_without_targets(site, vi):
    home = home_pages.home(vi).page
    (row,) = [cells for link, cells in home.grid if link.text == "Trà Vinh"]
    by_year = dict(zip(home.years, row))
    assert by_year[2022].status == "no_targets"
    assert by_year[2021].status == "none"


def test_the_home_stats_count_plans_and_targets(site, vi):
    stats = {"".join(r.text for r in label): value for label, value in home_pages.home(vi).page.stats}
    assert stats[t("vi", "stat_plans")] == str(len(site.corpus.plans))
    # Top-level targets only: Quảng Ninh 2021's 17, not 23 (its 6 parts are counted apart).
    assert stats[t("vi", "stat_targets")] == str(sum(len(p.top_targets) for p in site.corpus.plans)) == "27"
    assert stats[t("vi", "stat_parts")] == "6"


def test_the_english_home_stats_mark_their_vietnamese_words(site):
    from sitegen.pages.kit import Kit

    labels = [label for label, _ in home_pages.home(Kit(site, "en")).page.stats]
    vi_runs = [r.text for label in labels for r in label if r.lang == "vi"]
    assert vi_runs == ["trong đó ..."], labels


def test_the_plan_list_flags_the_press_report(site, vi):
    rows = {r.link.url: r for r in plan_pages.plan_list(vi).page.rows}
    assert t("vi", "flag_press") in rows[f"{NINH_THUAN}.html"].flags
    assert t("vi", "flag_press") not in rows[f"{TQ_2019}.html"].flags


def test_a_province_with_two_plans_on_different_subjects_claims_no_change(vi):
    # 86/KH-UBND (2013) implements Chỉ thị 22/CT-TTg on prostitution, 63/KH-UBND (2019) a project on drugs.
    page = province_pages.province(vi, "Tuyên Quang").page
    (block,) = page.comparisons
    assert (block.before.url, block.after.url) == (f"../plans/{TQ_2013}.html", f"../plans/{TQ_2019}.html")
    assert page.single_note == ""
    assert block.rows == () and block.different
    assert "Mại dâm" in block.different_note and "Ma túy" in block.different_note
    assert [len(side.targets) for side in block.sides] == [0, 3]
    assert [side.topics for side in block.sides] == ["Mại dâm", "Ma túy"]


def test_a_province_with_one_plan_says_there_is_nothing_to_compare(vi):
    page = province_pages.province(vi, "Trà Vinh").page
    assert page.comparisons == () and page.single_note == t("vi", "single_plan_note")


def test_side_by_side_links_land_on_quote_anchors_of_the_plans(site, vi):
    page = province_pages.province(vi, "Tuyên Quang").page
    anchors = {p.id: _ids(plan_pages.plan(vi, p).page.text_html) for p in site.corpus.plans}
    urls = [tg.quote_url for side in page.comparisons[0].sides for tg in side.targets]
    assert len(urls) == 3
    for url in urls:
        target, _, anchor = url.partition("#")
        assert anchor in anchors[posixpath.basename(target)[:-5]], url


def test_every_page_has_its_own_path_in_both_languages(site):
    from sitegen.export import data_files_index, tables_for_download

    rows = tables_for_download(site.corpus, site.tables, site.citations, site.instruments)
    pages, _ = site_pages(site, data_files_index(rows), plans=True)
    paths = [p.path for p in pages]
    assert len(paths) == len(set(paths))
    for plan in site.corpus.plans:
        assert f"plans/{plan.id}.html" in paths and f"en/plans/{plan.id}.html" in paths


# ---------------------------------------------------------------- i18n formatting


@pytest.mark.parametrize("value,lang,expected", [
    (1330.5, "vi", "1.330,5"), (1330.5, "en", "1,330.5"), (1330, "vi", "1.330"), (1330, "en", "1,330"),
    (1234567, "vi", "1.234.567"), (103.9, "vi", "103,9"), (0.25, "vi", "0,25"), (100.0, "en", "100"),
    (None, "vi", ""),
])
def test_fmt_number_uses_the_language_separators(value, lang, expected):
    assert fmt_number(value, lang) == expected


@pytest.mark.parametrize("iso,lang,expected", [
    ("2021-02-02", "vi", "02/02/2021"), ("2021-02-02", "en", "2 February 2021"),
    ("2013-12-10", "en", "10 December 2013"), (None, "vi", ""), ("", "en", ""),
])
def test_fmt_date_writes_dates_the_way_each_language_does(iso, lang, expected):
    assert fmt_date(iso, lang) == expected


@pytest.mark.parametrize("args,expected", [
    ((10, 15, "=", "%", "vi"), "10–15%"),
    ((50, None, ">=", "người", "vi"), "≥ 50 người"),
    ((1330, None, "<=", "people", "en"), "≤ 1,330 people"),
    ((1330.5, None, ">", "người", "vi"), "> 1.330,5 người"),
    ((100, None, "=", "%", "en"), "100%"),
    ((1, None, "=", "lần/tháng", "vi"), "1 lần/tháng"),
])
def test_fmt_value_shows_comparator_range_and_unit(args, expected):
    assert fmt_value(*args) == expected


def test_ui_strings_take_keyword_arguments():
    assert "3" in t("vi", "n_targets", n="3") and "3" in t("en", "n_targets", n="3")


def test_a_count_of_one_target_is_singular_in_english_and_unchanged_in_vietnamese(vi, en):
    """Vietnamese nouns have no plural; English says '1 target', '2 targets'."""
    assert (en.count_targets(1), en.count_targets(2), en.count_targets(1330)) == (
        "1 target", "2 targets", "1,330 targets")
    assert (vi.count_targets(1), vi.count_targets(1330)) == ("1 chỉ tiêu", "1.330 chỉ tiêu")
    from sitegen.render import environment, render_page

    home = render_page(environment(), home_pages.home(en)).decode("utf-8")
    assert "(1 target)" in home and "1 targets" not in home  # real categories with one target


def test_a_fault_that_is_not_a_misspelling_is_explained_in_the_pages_language(site, vi, en):
    """Trà Vinh 2022 uses the letter d) twice: the note says so in Vietnamese, and in English on the
    English page; a misspelling shows what it should read."""
    from sitegen.render import environment, render_page

    plan = _plan(site, "tra-vinh-2022")
    pages = {b.lang: render_page(environment(), plan_pages.plan(b, plan)).decode("utf-8") for b in (vi, en)}
    assert "Lỗi trong nguồn (giữ nguyên văn): chữ d) được dùng hai lần" in pages["vi"]
    assert "the letter d) is used twice" in pages["en"]  # in its list of faults (the text is on the vi page)
    assert "the letter" not in pages["vi"] and "chữ d) được dùng" not in pages["en"]
    assert "Lỗi chữ trong nguồn, đọc là: kiềm chế" in pages["vi"]
