"""Words that mislead (issue 20, items 6, 7, 9, 10): what the legal pages, plan summaries, citations and
the English edition say, read from the page contexts of the real corpus."""
from __future__ import annotations

import pytest

from helpers import REAL_CORPUS
from sitegen.i18n import t
from sitegen.pages import Kit
from sitegen.pages import legal
from sitegen.pipeline import gather

DECREE_178 = "nghi-dinh-178-2004-nd-cp-2004-10-15"  # cited by Tuyên Quang 2013 only, 3,343 days after it
DIRECTIVE_21 = "chi-thi-21-ct-tw-2008-03-26"  # cited by Tuyên Quang 2019, not by Tuyên Quang 2013


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


@pytest.fixture(scope="module", params=["vi", "en"])
def kit(site, request):
    return Kit(site, request.param)


def _instrument_page(k: Kit, inst_id: str):
    return legal.instrument(k, k.site.instruments[inst_id]).page


# ---------------------------------------------------------------- 6: the time from an instrument to a plan


def test_the_time_to_a_plan_is_not_called_a_provinces_delay(kit):
    note, column = t(kit.lang, "lag_note"), t(kit.lang, "col_lag")
    assert ("in this corpus" in note) if kit.lang == "en" else ("kho dữ liệu này" in note)
    for words in ("took longer", "adoption lag", "mất nhiều thời gian", "độ trễ"):
        assert words not in (note + column).lower()
    assert ("is not how long the province took" in note) if kit.lang == "en" else ("Đây không phải thời gian" in note)


def test_no_delay_is_claimed_where_the_corpus_holds_no_earlier_plan_of_the_province(kit):
    rows = _instrument_page(kit, DECREE_178).citing
    assert [r.plan.text for r in rows] == ["Tuyên Quang 2013"]
    assert rows[0].lag.startswith("3.343" if kit.lang == "vi" else "3,343")
    assert rows[0].earlier == ""  # Tuyên Quang 2013 is the province's first plan in the corpus


def test_an_earlier_plan_of_the_province_that_does_not_cite_the_instrument_is_named(kit):
    rows = {r.plan.text: r for r in _instrument_page(kit, DIRECTIVE_21).citing}
    assert "Tuyên Quang 2019" in rows
    earlier = rows["Tuyên Quang 2019"].earlier
    assert earlier.startswith("Tuyên Quang 2013 (10/12/2013)" if kit.lang == "vi" else "Tuyên Quang 2013 (10 December 2013)")


# ---------------------------------------------------------------- 7: the plan summary's lines


def test_every_line_of_a_plan_summary_names_its_subject_and_every_group_is_listed(site, kit):
    from sitegen.pages.plans import plan as plan_page

    checked = 0
    for p in site.corpus.plans:
        page = plan_page(kit, p).page
        top = [tg for tg in p.targets if tg.parent is None]
        firsts = {}
        for tg in top:
            firsts.setdefault(tg.category, tg)
        lines = ["".join(r.text for r in n) for n in page.notable]
        assert len(lines) == len(firsts)
        for line, tg in zip(lines, firsts.values()):
            headline = line.rsplit(" (", 1)[0]
            label = getattr(kit.lk.subjects[tg.subject], kit.lang)
            written = tg.subject_text.removeprefix("các ")
            unit_word = kit.lk.units[tg.unit].vi.lower()
            named = label in headline or (kit.lang == "vi" and written in headline and written.lower() != unit_word)
            assert named, f"{p.id}: {line!r} does not say who or what is counted"
            checked += 1
    assert checked >= 10


def test_a_count_of_people_names_who_they_are_in_the_vietnamese_summary(site):
    from sitegen.pages.plans import plan as plan_page

    plan = next(p for p in site.corpus.plans if p.id == "quang-ninh-2021-27-kh-ubnd")
    lines = ["".join(r.text for r in n) for n in plan_page(Kit(site, "vi"), plan).page.notable]
    assert any(line.startswith("900 lượt người cai nghiện ma túy (") for line in lines)


# ---------------------------------------------------------------- 9: citations of plans without a number


def test_a_plan_without_a_number_is_cited_without_a_gap_or_a_doubled_name(site, kit):
    from sitegen.pages.plans import plan as plan_page

    plans = {p.id: p for p in site.corpus.plans}
    cites = {pid: plan_page(kit, plans[pid]).page.cite for pid in ("ninh-thuan-2020", "tra-vinh-2022")}
    assert not plans["ninh-thuan-2020"].number and not plans["tra-vinh-2022"].number
    for pid, cite in cites.items():
        assert " : " not in cite.plain and "Kế hoạch : " not in cite.bibtex and "Kế hoạch : " not in cite.ris
        assert "Kế hoạch Kế hoạch" not in cite.plain and "Kế hoạch: Kế hoạch" not in cite.plain
        assert cite.plain.count(kit.t("site_name")) == 1, cite.plain  # the site's name once
    assert "(2020). Kế hoạch triển khai công tác phòng, chống mại dâm" in cites["ninh-thuan-2020"].plain
    assert "(2022). Kế hoạch: Triển khai, thực hiện" in cites["tra-vinh-2022"].plain


def test_an_english_citation_writes_the_date_as_english_does():
    import re
    from sitegen.citeblock import CiteSource, cite_view

    src = CiteSource("k", "plan", "T", "A", "P", "S", "1", "Source.", "plans/x.html", "2021", "2021-02-02")
    assert cite_view("en", src, "c").plain.endswith("(accessed d Month yyyy).")
    assert cite_view("vi", src, "c").plain.endswith("(truy cập ngày dd/mm/yyyy).")
    js = (REAL_CORPUS.parent / "sitegen" / "assets" / "site.js").read_text("utf-8")
    assert '"d Month yyyy": now.getDate() + " " + ["January"' in re.sub(r"\s+", " ", js)


# ---------------------------------------------------------------- 11: a build without the site's address


def test_a_build_without_site_url_says_once_what_that_costs_and_how_to_set_it(tmp_path):
    from helpers import run_build, write_corpus

    corpus = write_corpus(tmp_path / "c")
    done = run_build(corpus, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert said.count("the site's address is not set") == 1
    assert "preview image" in said and "sitemap.xml" in said and "site_url:" in said and "--base-url" in said
    again = run_build(corpus, tmp_path / "site2", "--base-url", "https://example.org/kh/")
    assert again.returncode == 0 and "the site's address is not set" not in again.stdout + again.stderr


# ---------------------------------------------------------------- 10: English words


def test_an_instrument_page_gives_the_number_its_record_states_and_english_names_of_bodies(site):
    k = Kit(site, "en")
    meta = {m.label: m for m in legal.instrument_meta(k, site.instruments["luat-phong-chong-ma-tuy-2021"])}
    assert meta["Number"].value == "73/2021/QH14" and not meta["Number"].unknown
    issuer = "".join(r.text for r in meta["Issuing body"].runs)
    assert issuer == "National Assembly (Quốc hội)"
    assert [r.lang for r in meta["Issuing body"].runs] == ["", "vi", ""]
    validity = meta[t("en", "validity_title")].value
    assert "No. 73/2021/QH14, Article 54" in validity and "Điều" not in validity and " số " not in validity
    decision = {m.label: m for m in legal.instrument_meta(k, site.instruments["quyet-dinh-2426-qd-ubnd-tra-vinh-2020-06-17"])}
    assert "".join(r.text for r in decision["Issuing body"].runs).startswith(
        "Chairman of the People's Committee of Trà Vinh Province (")


def test_a_lineage_basis_reads_in_english_words():
    from sitegen.wording import DOC_TYPES_EN, legal_reference_en

    assert legal_reference_en("Nghị quyết số 202/2025/QH15 of 12 June 2025, Điều 1", DOC_TYPES_EN) == \
        "Resolution 202/2025/QH15 of 12 June 2025, Article 1"


def test_a_chart_lists_its_deadlines_as_a_sentence_does():
    from sitegen.charts import targets_subtitle

    rows = [{"deadline": 2020, "source_kind": "official"}, {"deadline": 2021, "source_kind": "official"}]
    assert "deadlines: 2020 and 2021." in targets_subtitle(rows, ["1", "2"], "en")
    assert "thời hạn: 2020 và 2021." in targets_subtitle(rows, ["1", "2"], "vi")
    assert "deadline: 2021." in targets_subtitle(rows[1:], ["2"], "en")


def test_a_count_heading_names_no_unit_twice(site, kit):
    from sitegen.pages.categories import group_heading
    from sitegen.normalize import category_groups

    headings = [group_heading(kit, g) for cat in site.corpus.lookups.categories
                for g in category_groups(site.tables.targets, cat)]
    assert len(headings) >= 10
    assert not any(h.endswith(("đơn vị: đơn vị", "unit: units")) for h in headings)
    assert any(h.endswith(("đơn vị: số lượng", "unit: count")) for h in headings)


def test_counts_of_one_take_the_singular():
    from sitegen.i18n import fmt_count

    assert [fmt_count("en", "n_plans", n) for n in (0, 1, 2)] == ["0 plans", "1 plan", "2 plans"]
    assert fmt_count("vi", "n_plans", 1) == "1 kế hoạch" and fmt_count("en", "n_quantified", 0) == "no quantified target"


# ---------------------------------------------------------------- 8, 13: a text that is not the whole plan


def test_an_excerpt_without_targets_is_never_said_to_set_none(site):
    from dataclasses import replace

    from sitegen.cards import card_specs
    from sitegen.pages.compare import plans_data

    tv = next(p for p in site.corpus.plans if p.id == "tra-vinh-2022")
    cut = replace(tv, excerpt=True)  # the same text as an excerpt: whether the plan sets targets is unknown
    assert [d["in_text"] for d in plans_data(Kit(site, "en"), [tv, cut])] == [True, False]
    spec = card_specs(site, "en", {}, provinces={"tra-vinh": ("Trà Vinh", [cut])})["cards/provinces/tra-vinh.png"]
    assert "unknown" in spec.lines[0] and "set no quantified target:" not in spec.lines[0]
    assert "targets not in the text" in spec.subtitle
