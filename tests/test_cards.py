"""Social cards: a PNG per chart, category and province (plans show their province's), drawn at build
time, deterministic, redrawn only when what they show changes."""
from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest
from PIL import Image

from sitegen.cards import Bar, CardSpec, card_path_for, render_card
from sitegen.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

SPEC = CardSpec("vi", "Cai nghiện ma túy: người nghiện (%)", "Chỉ tiêu: người nghiện ma túy (%)",
                (Bar("Quảng Ninh 2021", 80, "≥ 80%"), Bar("Ninh Thuận 2020", 60, "60%", press=True)), "",
                "Kế hoạch so sánh", "phiên bản dữ liệu 2026.11.2")


def test_which_card_a_page_shows():
    province_of = {"qn-2021": "quang-ninh"}.get  # the file name of its province page
    assert card_path_for("provinces/quang-ninh.html", province_of) == "cards/provinces/quang-ninh.png"
    assert card_path_for("plans/qn-2021.html", province_of) == "cards/provinces/quang-ninh.png"
    assert card_path_for("categories/clean-communes.html", province_of) == "cards/categories/clean-communes.png"
    assert card_path_for("categories/clean-communes/quang-ninh.html", province_of) == "cards/categories/clean-communes.png"
    assert card_path_for("charts/x--y.html", province_of) == "cards/charts/x--y.png"
    assert card_path_for("embed/x--y.html", province_of) == "cards/charts/x--y.png"
    for other in ("index.html", "plans/index.html", "plans/page-2.html", "provinces/index.html",
                  "categories/index.html", "legal/22-ct-ttg.html", "data.html"):
        assert card_path_for(other, province_of) == "cards/site.png", other


def test_a_card_is_a_1200x630_opaque_png_with_the_same_bytes_every_time():
    one, two = render_card(SPEC), render_card(SPEC)
    assert one == two
    img = Image.open(io.BytesIO(one))
    assert img.format == "PNG" and img.size == (1200, 630) and img.mode == "P"  # a palette: opaque
    assert not {"tIME", "tEXt", "iTXt", "zTXt"} & set(_chunks(one))  # no date or software stamp
    rgb = img.convert("RGB")
    assert rgb.getpixel((600, 620)) == rgb.getpixel((5, 600)) == (255, 255, 255)
    assert "transparency" not in img.info
    assert render_card(SPEC.__class__(**{**SPEC.__dict__, "title": "Khác"})) != one


def _chunks(png: bytes) -> list[str]:
    out, pos = [], 8
    while pos < len(png):
        n = int.from_bytes(png[pos:pos + 4], "big")
        out.append(png[pos + 4:pos + 8].decode("ascii"))
        pos += 12 + n
    return out


def _og(html: str, prop: str) -> str | None:
    m = re.search(f'<meta (?:property|name)="{prop}" content="([^"]+)"', html)
    return m.group(1) if m else None


def test_a_card_drawn_from_remembered_text_has_the_bytes_of_one_drawn_afresh():
    # The font keeps the texts it measured and rasterised (labels, values and footers recur on
    # hundreds of cards); a card drawn from them must be byte for byte the card drawn without.
    from sitegen import cards

    other = CardSpec("en", "Another chart with the same bars", "Same labels, other places",
                     SPEC.bars + (Bar("Trà Vinh 2022", 7, "7"),), "and 3 more", "Kế hoạch so sánh",
                     "phiên bản dữ liệu 2026.11.2")
    render_card(SPEC)
    remembered = render_card(other)
    cards._font.cache_clear()  # new fonts: nothing remembered
    assert render_card(other) == remembered


def test_every_plan_chart_category_and_province_page_has_its_card(built_site):
    seen: dict[str, int] = {}
    for lang in ("", "en/"):
        for folder in ("plans", "charts", "categories", "provinces"):
            pages = sorted((built_site / lang / folder).glob("*.html"))
            assert pages, folder
            for page in pages:
                html = page.read_text(encoding="utf-8")
                image = _og(html, "og:image")
                assert image and _og(html, "twitter:image") == image, page
                assert _og(html, "twitter:card") == "summary_large_image", page
                card = (page.parent / image).resolve()
                assert card.is_file(), (page, image)
                assert card.is_relative_to((built_site / lang / "cards").resolve()), (page, image)
                kind = "site" if page.name == "index.html" else folder
                if kind in ("charts", "categories", "provinces"):
                    assert card.stem == page.stem, (page, image)  # its own card
                with Image.open(card) as img:
                    assert img.size == (1200, 630), card
                seen[kind] = seen.get(kind, 0) + 1
    assert seen["plans"] == 10 and seen["provinces"] >= 8 and seen["charts"] >= 8 and seen["categories"] >= 20
    plan = (built_site / "plans/quang-ninh-2021-27-kh-ubnd.html").read_text(encoding="utf-8")
    assert _og(plan, "og:image") == "../cards/provinces/quang-ninh.png"
    en = (built_site / "en/provinces/quang-ninh.html").read_text(encoding="utf-8")
    assert _og(en, "og:image") == "../cards/provinces/quang-ninh.png"  # en/cards/...: drawn in English


def test_cards_are_drawn_again_only_when_what_they_show_changes(tmp_path):
    import generate

    corpus = generate.generate(8, tmp_path / "corpus", seed=5)
    site = tmp_path / "site"
    first = build(corpus, site, search=False, workers=1)
    assert first.cards >= 10 and first.cards_drawn == first.cards
    again = build(corpus, site, search=False, workers=1)
    assert again.cards == first.cards and again.cards_drawn == 0
    # A new site name is on every card.
    (corpus / "site.yaml").write_text('name: {vi: "Tên mới", en: "New name"}\npublisher: {vi: "N", en: "N"}\n'
                                      'licence: {id: CC-BY-4.0, title: CC BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/"}\n',
                                      encoding="utf-8")
    renamed = build(corpus, site, search=False, workers=1)
    assert renamed.cards_drawn == renamed.cards
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, workers=1, incremental=False)
    cards = sorted(p.relative_to(site) for p in site.rglob("cards/**/*.png"))
    assert cards and cards == sorted(p.relative_to(clean) for p in clean.rglob("cards/**/*.png"))
    assert all((site / c).read_bytes() == (clean / c).read_bytes() for c in cards)
    shutil.rmtree(clean)


def test_without_the_font_the_build_says_what_is_missing(monkeypatch):
    import importlib.util

    import sitegen.cards as cards

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    cards.font_files.cache_clear()
    try:
        with pytest.raises(cards.CardError, match=r"matplotlib is not installed: run `make site`"):
            cards.font_files()
    finally:
        cards.font_files.cache_clear()


def _ink_in_body(png: bytes) -> int:
    """Dark pixels between the subtitle and the footer rule (where the bars or the words are)."""
    img = Image.open(io.BytesIO(png)).convert("L").crop((0, 170, 1200, 540))
    return sum(img.histogram()[:128])


@pytest.mark.parametrize("lang, words", [("vi", "không nêu chỉ tiêu định lượng"), ("en", "set no quantified target")])
def test_the_card_of_a_province_with_no_target_says_so_rather_than_a_blank_box(lang, words):
    from helpers import REAL_CORPUS
    from sitegen.cards import card_specs
    from sitegen.pipeline import gather

    spec = card_specs(gather(REAL_CORPUS).site, lang, {})["cards/provinces/tra-vinh.png"]
    assert spec.bars == () and words in spec.lines[0] and len(spec.lines) == 2  # Trà Vinh 2022 listed
    assert "1 plans" not in spec.subtitle and ("no quantified target" in spec.subtitle if lang == "en" else True)
    assert _ink_in_body(render_card(spec)) > 2000  # words drawn, not a white box
    assert _ink_in_body(render_card(SPEC)) > 2000  # as a card with bars has


def test_a_card_is_drawn_in_the_sites_own_colours_and_their_blends_with_white():
    # A fixed palette (white, the five colours, steps from white to each): no colour a quantizer
    # averaged, and the bars keep the exact blue and amber of the site's charts.
    from sitegen.cards import BLUE, INK, MUTED, RULE
    from sitegen.charts import PRESS_COLOUR

    rgb = Image.open(io.BytesIO(render_card(SPEC))).convert("RGB")
    hexes = {BLUE, INK, MUTED, RULE, PRESS_COLOUR}
    exact = {tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h in hexes}
    colours = {c for _, c in rgb.getcolors(1 << 16)}
    assert exact <= colours and (255, 255, 255) in colours
    assert len(colours) <= 30

    def on_a_ramp(c) -> bool:  # c = white + k (colour - white) for one of the five colours, 0 <= k <= 1
        for e in exact:
            ks = [(255 - x) / (255 - y) for x, y in zip(c, e) if y != 255]
            if ks and max(ks) - min(ks) < 0.03 and all(x == 255 for x, y in zip(c, e) if y == 255):
                return True
        return c == (255, 255, 255)
    assert all(on_a_ramp(c) for c in colours), sorted(c for c in colours if not on_a_ramp(c))


def test_each_province_card_lists_the_plans_its_page_lists_in_the_corpus_order():
    """province_cards indexes the plans by unit once: each unit page's card has the plans signed in it
    and those of the units it was formed from (a present-day unit), in the corpus' order, as a pass
    over every plan per unit gives them."""
    from helpers import REAL_CORPUS
    from sitegen.pages import kits
    from sitegen.pages.kit import unit_of, unit_pages
    from sitegen.pipeline import gather, province_cards
    from sitegen.urls import province_path

    k = kits(gather(REAL_CORPUS).site)["vi"]
    plans = k.corpus.plans
    cards = province_cards(k)
    expected = {}
    for uid in unit_pages(plans):
        uid = k.ix.unit_key(uid)
        expected[uid] = [p.id for p in plans if unit_of(p) == uid or uid in p.province_today]
    # A present-day unit lists plans signed in the units it was formed from.
    assert any(unit_of(p) != uid for uid, ids in expected.items() for p in plans if p.id in ids)
    assert {name: [p.id for p in mine] for name, (_, mine) in cards.items()} == {
        province_path(uid)[len("provinces/"):-len(".html")]: ids for uid, ids in expected.items()}
