"""Social cards: the PNG a shared link shows (og:image, twitter:image), made at build time.

Every chart, category and province has its own card, in each language; a plan page shows its
province's card (so that 10,000 plans add no image), every other page the site's card. A card
is drawn with Pillow in the DejaVu Sans font that matplotlib's wheel ships (it has every
Vietnamese glyph): pure Python, no browser, the same bytes for the same content (Pillow writes
no time into a PNG). The build keys each card by its content (CardSpec), so an unchanged card
is carried over from the previous build instead of drawn again.
"""
from __future__ import annotations

import hashlib
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .charts import PRESS_COLOUR
from . import deps
from .i18n import fmt_count, fmt_date, fmt_number, t
from .model import TARGETS_NOT_IN_TEXT
from .textutil import slugify
from .wording import DOC_TYPES_EN

WIDTH, HEIGHT = 1200, 630  # the size Facebook, LinkedIn and X show large
MAX_BARS = 6
RENDERER = "cards-5"  # bump when the drawing changes: every card is drawn again
BLUE, INK, MUTED, RULE = "#0072B2", "#1a1a1a", "#4a4a4a", "#d0d0d0"


class CardError(RuntimeError):
    """What the build needs to draw cards and does not have."""


@dataclass(frozen=True)
class Bar:
    """One bar of a card: its label, its length (value) and the value as the page writes it."""

    label: str
    value: float
    text: str
    press: bool = False


@dataclass(frozen=True)
class CardSpec:
    """Everything a card shows; equal specs give equal PNG bytes."""

    lang: str
    title: str
    subtitle: str
    bars: tuple[Bar, ...]
    more: str  # "and 57 more bars", or ""
    site_name: str
    footer: str  # data version (and the site's address when known)
    lines: tuple[str, ...] = ()  # what the page says instead, when there are no bars to draw


# ---------------------------------------------------------------- which card a page shows


def card_path_for(path: str, province_of) -> str:
    """The site path (without the en/ prefix) of the card a page shows; province_of(plan id) is the
    file name (without .html) of the plan's province page, or None when it has none."""
    parts = path.split("/")
    name = parts[-1].removesuffix(".html")
    if parts[0] == "provinces" and len(parts) == 2 and name != "index":
        return f"cards/provinces/{name}.png"
    if parts[0] == "categories" and len(parts) >= 2 and not (len(parts) == 2 and name == "index"):
        return f"cards/categories/{parts[1].removesuffix('.html')}.png"
    if parts[0] in ("charts", "embed") and len(parts) == 2:
        return f"cards/charts/{name}.png"
    if parts[0] == "plans" and len(parts) == 2:
        province = province_of(name)  # the name of its province page (provinces/<name>.html)
        if province:
            return f"cards/provinces/{province}.png"
    return "cards/site.png"


# ---------------------------------------------------------------- what each card shows


@dataclass(frozen=True)
class Tallies:
    """What the cards count of the plans, in no language (card_specs: the same for both)."""

    n_provinces: int
    all_targets: Counter  # targets by category
    # Each province page's card: (page file name, title, its plans, their years, targets by category,
    # whether none is known because its texts do not give them), by file name.
    provinces: tuple[tuple[str, str, list, list[int], Counter, bool], ...]
    by_cat: dict[str, Counter]  # each category's targets by province
    plans_of: dict[str, int]  # how many plans have targets in each category


def tallies(plans, provinces: dict | None = None) -> Tallies:
    """The counts card_specs shows (`provinces` as it takes them), made once for both languages."""
    if provinces is None:
        by_province = defaultdict(list)
        for p in plans:
            by_province[p.province].append(p)
        provinces = {slugify(prov): (prov, mine) for prov, mine in by_province.items()}
    rows = []
    for name_, (title, mine) in sorted(provinces.items()):
        counts = Counter(tg.category for p in mine for tg in p.targets)
        # No target in texts that are excerpts or press reports is not "0 targets": they are not in the text.
        unknown = not counts and any(p.targets_state == TARGETS_NOT_IN_TEXT for p in mine)
        rows.append((name_, title, mine, sorted({p.year for p in mine}), counts, unknown))
    # Each category's targets by province, and its plans, in one pass over the targets (a pass per
    # category was most of this stage in an incremental build).
    all_targets: Counter = Counter()
    by_cat: dict[str, Counter] = defaultdict(Counter)
    plans_of: dict[str, set] = defaultdict(set)
    for p in plans:
        for tg in p.targets:
            all_targets[tg.category] += 1
            by_cat[tg.category][p.province] += 1
            plans_of[tg.category].add(p.id)
    return Tallies(len({p.province for p in plans}), all_targets, tuple(rows), dict(by_cat),
                   {c: len(ids) for c, ids in plans_of.items()})


def card_specs(site, lang: str, charts: dict, base_url: str = "",
               provinces: dict | None = None, tallied: Tallies | None = None) -> dict[str, CardSpec]:
    """Every card of one language by its site path (without en/): the site's, each province page's
    (`provinces`: page file name -> (title, its plans); by default one per province name), each
    category's and each chart's (`charts`: id -> charts.Chart). tallied: tallies(plans, provinces), when
    made already (for the other language)."""
    corpus = site.corpus
    name = corpus.settings.name(lang)
    footer = _footer(site, lang, base_url)
    cats = corpus.lookups.categories

    def label(key: str) -> str:
        c = cats.get(key)
        return key if c is None else (c.en if lang == "en" else c.vi)

    def spec(title: str, subtitle: str, bars: list[Bar], lines=()) -> CardSpec:
        more = t(lang, "card_more", n=fmt_number(len(bars) - MAX_BARS, lang)) if len(bars) > MAX_BARS else ""
        return CardSpec(lang, title, subtitle, tuple(bars[:MAX_BARS]), more, name, footer,
                        () if bars else tuple(lines))

    def count(key: str, n: int) -> str:
        return fmt_count(lang, key, n)

    def counted(counts: Counter, key_label) -> list[Bar]:
        order = sorted(counts, key=lambda k: (-counts[k], key_label(k)))
        return [Bar(key_label(k), counts[k], fmt_number(counts[k], lang)) for k in order]

    out: dict[str, CardSpec] = {}
    plans = corpus.plans
    tally = tallied if tallied is not None else tallies(plans, provinces)
    n_provinces, all_targets = tally.n_provinces, tally.all_targets
    out["cards/site.png"] = spec(
        name, t(lang, "card_site_sub", plans=count("n_plans", len(plans)), provinces=count("n_provinces", n_provinces),
                targets=count("n_quantified", sum(all_targets.values()))), counted(all_targets, label))
    for name_, title, mine, years, counts, unknown in tally.provinces:
        # The plans' lines only for a card without bars (spec drops them otherwise): a line per plan of
        # every province was most of keying the cards of an incremental build.
        lines = () if counts else (t(lang, "card_targets_not_in_text" if unknown else "card_no_targets"),
                                   *(_plan_line(p, corpus, lang) for p in mine))
        out[f"cards/provinces/{name_}.png"] = spec(
            title, t(lang, "card_province_sub_not_in_text" if unknown else
                     "card_province_sub" if counts else "card_province_sub_none", plans=count("n_plans", len(mine)),
                     years=", ".join(str(y) for y in years), targets=count("n_quantified", sum(counts.values()))),
            counted(counts, label), lines)
    for cat in cats:
        counts = tally.by_cat.get(cat, Counter())
        n_plans = tally.plans_of.get(cat, 0)
        out[f"cards/categories/{cat.replace('_', '-')}.png"] = spec(
            label(cat), t(lang, "card_category_sub", targets=count("n_targets", sum(counts.values())),
                          plans=count("n_plans", n_plans), provinces=count("n_provinces", len(counts))),
            counted(counts, str), (t(lang, "no_targets_in_category"),))
    for cid in sorted(charts):
        out[f"cards/charts/{cid}.png"] = chart_card_spec(charts[cid], lang, name, footer)
    return out


def _footer(site, lang: str, base_url: str) -> str:
    footer = t(lang, "cite_version", version=site.corpus.data_version)
    return f"{base_url.rstrip('/')} · {footer}" if base_url else footer


def chart_card_spec(chart, lang: str, site_name: str, footer: str) -> CardSpec:
    """A chart's card: made of the chart, the language, the site's name and the footer only (so that
    chart_card_key can key it by the chart's digest, without the chart)."""
    bars = _chart_bars(chart, lang)
    more = t(lang, "card_more", n=fmt_number(len(bars) - MAX_BARS, lang)) if len(bars) > MAX_BARS else ""
    return CardSpec(lang, chart.title, _chart_subtitle(chart, lang), tuple(bars[:MAX_BARS]), more, site_name, footer,
                    () if bars else (chart.description,))


def chart_card_key(chart_digest: str, lang: str, site_name: str, footer: str) -> str:
    """The key of a chart's card (chart_card_spec) from the chart's digest (pages.Drawn), without the
    chart: a chart drawn as before is never unpacked to be keyed. Covers the drawing (renderer_key) and the
    code that makes the spec from the chart, with the UI strings it uses (deps.code_digest)."""
    return hashlib.blake2b(f"{renderer_key()}\0{deps.code_digest('sitegen.cards')}\0chart\0{chart_digest}\0{lang}\0"
                           f"{site_name}\0{footer}".encode(), digest_size=16).hexdigest()


def _plan_line(p, corpus, lang: str) -> str:
    """A plan as a card without bars lists it: 'Kế hoạch 86/KH-UBND, 10/12/2013 · Mại dâm'."""
    doc = DOC_TYPES_EN.get(p.doc_type, p.doc_type) if lang == "en" else p.doc_type
    when = fmt_date(p.issued, lang) or str(p.year)
    themes = corpus.lookups.themes
    topics = ", ".join(dict.fromkeys((themes[th.theme].en if lang == "en" else themes[th.theme].vi)
                                     if th.theme in themes else th.theme for th in p.themes))
    head = f"{doc} {p.number}, {when}" if p.number else f"{doc}, {when}"
    return f"{head} · {topics}" if topics else head


def _chart_subtitle(chart, lang: str) -> str:
    from .chartimage import chart_subtitle
    return chart_subtitle(chart, lang)


def _chart_bars(chart, lang: str) -> list[Bar]:
    """The chart's bars as drawn: one trace's values (press-reported ones marked), or the totals of
    stacked traces; none for a network."""
    bars = [tr for tr in chart.figure.get("data", ()) if tr.get("type") == "bar"]
    if not bars:
        return []
    if len(bars) == 1:
        tr = bars[0]
        colours = (tr.get("marker") or {}).get("color")
        texts = tr.get("text") or [fmt_number(v, lang) for v in tr["y"]]
        return [Bar(str(x), float(y or 0), str(texts[i]),
                    isinstance(colours, (list, tuple)) and colours[i] == PRESS_COLOUR)
                for i, (x, y) in enumerate(zip(tr["x"], tr["y"]))]
    totals: dict[str, float] = {}
    for tr in bars:
        for x, y in zip(tr["x"], tr["y"]):
            totals[str(x)] = totals.get(str(x), 0) + (y or 0)
    return [Bar(x, v, fmt_number(v, lang)) for x, v in totals.items()]


# ---------------------------------------------------------------- drawing


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, Path]:
    """DejaVu Sans (regular, bold) from matplotlib's package data; CardError when it is missing."""
    try:
        import PIL  # noqa: F401
    except ImportError as exc:
        raise CardError("social cards need Pillow, which is not installed: run `make site` "
                        "(or `pip install -e .`)") from exc
    from importlib.util import find_spec

    mpl = find_spec("matplotlib")
    if mpl is None or not mpl.submodule_search_locations:
        raise CardError("social cards need the DejaVu Sans font that matplotlib ships, and matplotlib "
                        "is not installed: run `make site` (or `pip install -e .`)")
    folder = Path(list(mpl.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        raise CardError(f"social cards need {regular} and {bold} (matplotlib's DejaVu Sans): "
                        "reinstall matplotlib (`pip install --force-reinstall matplotlib`)")
    return regular, bold


@lru_cache(maxsize=1)
def renderer_key() -> str:
    """What else a card's bytes depend on: the drawing code, Pillow's version and the fonts."""
    import PIL

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{RENDERER} {PIL.__version__}".encode())
    h.update(Path(__file__).read_bytes())
    for f in font_files():
        h.update(f.read_bytes())
    return h.hexdigest()


def card_key(spec: CardSpec) -> str:
    """The build manifest's key of a card: equal keys, equal bytes."""
    return hashlib.blake2b(f"{renderer_key()}\0{spec!r}".encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=16)
def _font(bold: bool, size: int):
    from PIL import ImageFont

    class Font(ImageFont.FreeTypeFont):
        """DejaVu Sans that keeps what it measured and drew: the same labels, values and footers
        recur on hundreds of cards, and measuring and rasterising text was a third of a card's
        time (profiled). The bitmaps are FreeType's own, so the PNG bytes are unchanged."""

        def getlength(self, text, mode="", direction=None, features=None, language=None) -> float:
            if features is not None:
                return super().getlength(text, mode, direction, features, language)
            key = (text, mode, direction, language)
            found = lengths.get(key)
            if found is None:
                if len(lengths) >= 1 << 16:
                    lengths.clear()
                found = lengths[key] = super().getlength(text, mode, direction, features, language)
            return found

        def getmask2(self, text, mode="", direction=None, features=None, language=None, stroke_width=0,
                     anchor=None, ink=0, start=None, *args, **kw):
            # ImageDraw.text passes stroke_filled (Pillow 11.1 and later); nothing else is expected.
            if features is not None or args or set(kw) - {"stroke_filled"} or self.size > 28:  # a title: seldom twice
                return super().getmask2(text, mode, direction, features, language, stroke_width, anchor, ink,
                                        start, *args, **kw)
            key = (text, mode, direction, language, stroke_width, anchor, ink, start, kw.get("stroke_filled"))
            found = masks.get(key)
            if found is None:
                if len(masks) >= 1 << 10:  # a few MB of small bitmaps at most
                    masks.clear()
                found = masks[key] = super().getmask2(text, mode, direction, features, language, stroke_width,
                                                      anchor, ink, start, **kw)
            return found

    lengths: dict = {}
    masks: dict = {}
    return Font(str(font_files()[1 if bold else 0]), size)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Words in lines no wider than `width`; the last line ends in … when the text is longer."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words or (lines and draw.textlength(lines[-1], font=font) > width):
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return lines


@lru_cache(maxsize=1)
def _palette():
    """The cards' palette image: white, INK, MUTED, RULE, BLUE, PRESS_COLOUR, then steps from white to
    INK (which MUTED's and RULE's greys lie on), to BLUE and to PRESS_COLOUR (hatching and text edges)."""
    from PIL import Image, ImageColor

    white = (255, 255, 255)

    def ramp(colour: str, steps: int) -> list[tuple[int, ...]]:
        c = ImageColor.getrgb(colour)
        return [tuple(round(w + (x - w) * i / (steps + 1)) for x, w in zip(c, white)) for i in range(1, steps + 1)]
    colours = [white, *(ImageColor.getrgb(c) for c in (INK, MUTED, RULE, BLUE, PRESS_COLOUR))]
    colours += ramp(INK, 12) + ramp(BLUE, 6) + ramp(PRESS_COLOUR, 6)
    img = Image.new("P", (1, 1))
    img.putpalette([v for c in colours for v in c])
    return img


def render_card(spec: CardSpec) -> bytes:
    """The card as PNG bytes (1200×630, opaque, white background, a palette of 30 colours)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    d = ImageDraw.Draw(img)
    pad = 64
    inner = WIDTH - 2 * pad
    d.rectangle([0, 0, WIDTH, 12], fill=BLUE)
    y = 44
    title_font = _font(True, 50 if len(spec.title) < 60 else 40)
    for line in _wrap(d, spec.title, title_font, inner, 2):
        d.text((pad, y), line, font=title_font, fill=INK)
        y += int(title_font.size * 1.22)
    sub_font = _font(False, 28)
    for line in _wrap(d, spec.subtitle, sub_font, inner, 2):
        d.text((pad, y + 6), line, font=sub_font, fill=MUTED)
        y += 36
    y += 28
    footer_top = HEIGHT - 78
    if spec.bars:
        label_font, value_font = _font(False, 24), _font(True, 24)
        label_w = min(360, max(math.ceil(d.textlength(b.label, font=label_font)) for b in spec.bars) + 18)
        value_w = max(math.ceil(d.textlength(b.text, font=value_font)) for b in spec.bars) + 16
        space = footer_top - 24 - y - (30 if spec.more else 0)
        row = max(28, min(64, space // len(spec.bars)))
        bar_h = max(16, row - 14)
        top = max(b.value for b in spec.bars) or 1
        span = inner - label_w - value_w
        for i, b in enumerate(spec.bars):
            ry = y + i * row
            label = _wrap(d, b.label, label_font, label_w - 16, 1)[0]
            d.text((pad, ry + (bar_h - 24) // 2), label, font=label_font, fill=INK)
            x0 = pad + label_w
            x1 = x0 + max(3, int(span * max(b.value, 0) / top))
            colour = PRESS_COLOUR if b.press else BLUE
            d.rectangle([x0, ry, x1, ry + bar_h], fill=colour)
            if b.press:  # the site's hatching of press-reported values
                for sx in range(x0 - bar_h, x1, 12):
                    d.line([(max(x0, sx), ry + bar_h - max(0, x0 - sx)), (min(x1, sx + bar_h), ry + bar_h
                            - min(bar_h, (min(x1, sx + bar_h) - sx)))], fill="#ffffff", width=3)
            d.text((x1 + 10, ry + (bar_h - 24) // 2), b.text, font=value_font, fill=INK)
        if spec.more:
            d.text((pad + label_w, y + len(spec.bars) * row), spec.more, font=_font(False, 22), fill=MUTED)
    elif spec.lines:  # no bars: what the page says instead (a province whose plans set no target)
        line_font = _font(False, 30)
        for i, text in enumerate(spec.lines):
            for n, line in enumerate(_wrap(d, text, line_font, inner - (0 if i == 0 else 32), 2)):
                if y + 40 > footer_top - 12:
                    break
                if i and not n:
                    d.rectangle([pad, y + 13, pad + 12, y + 25], fill=BLUE)  # a bullet
                d.text((pad + (32 if i else 0), y), line, font=line_font, fill=INK)
                y += 40
            y += 12
    d.line([(pad, footer_top), (WIDTH - pad, footer_top)], fill=RULE, width=2)
    name_font, foot_font = _font(True, 28), _font(False, 22)
    d.text((pad, footer_top + 20), spec.site_name, font=name_font, fill=BLUE)
    foot = _wrap(d, spec.footer, foot_font, inner - int(d.textlength(spec.site_name, font=name_font)) - 40, 1)[0]
    d.text((WIDTH - pad - d.textlength(foot, font=foot_font), footer_top + 25), foot, font=foot_font, fill=MUTED)
    # A fixed palette: white, the card's five colours and their anti-aliasing ramps towards white. Mapping
    # to it is a seventh of the time of an adaptive quantization (measured: 1 ms against 7 ms, of 14 ms a
    # card), and the PNG is no larger (30 colours for flat bars and text). Deterministic, like the rest.
    small = img.quantize(palette=_palette(), dither=Image.Dither.NONE)
    buf = io.BytesIO()
    # zlib level 4, not 6: measured on the 3,154 cards of 1,000 plans, 3.8 ms against 6.2 ms a card (the
    # encoding was half of a card's time, and the cards a third of a full build's) for 8.7 % more bytes
    # (77 MB against 71). Level 3 and below grow them by a quarter or more; zlib-ng, twice as fast,
    # compresses differently on other processors (its own issues #795, #894): the bytes would differ.
    small.save(buf, format="PNG", optimize=False, compress_level=4)
    return buf.getvalue()


@dataclass(frozen=True)
class ChartCard:
    """A chart's card still to draw, without its chart (kept packed until then): the chart's id and
    language and what else chart_card_spec takes."""

    lang: str
    cid: str
    site_name: str
    footer: str


def cards_to_draw(staging, site, lang_path, charts_by_lang: dict,
                  provinces: dict | None = None) -> tuple[int, list[tuple[str, CardSpec | ChartCard, str]]]:
    """Key every card of both languages and carry over those unchanged since the previous build;
    return (cards, those to draw as (site path, CardSpec or ChartCard, key)); draw_card draws one
    (sitegen.pipeline: in the build's workers). `provinces` as card_specs takes it; charts_by_lang: each
    language's charts as pages.Drawn, of which no chart is unpacked here (a chart's card is keyed by its digest)."""
    n = 0
    todo: list[tuple[str, CardSpec | ChartCard, str]] = []
    base_url = site.options.base_url
    tallied = tallies(site.corpus.plans, provinces)  # once for both languages
    for lang, drawn in sorted(charts_by_lang.items()):
        specs: dict = card_specs(site, lang, {}, base_url, provinces, tallied)
        name, footer = site.corpus.settings.name(lang), _footer(site, lang, base_url)
        for cid in drawn.charts:
            specs[f"cards/charts/{cid}.png"] = ChartCard(lang, cid, name, footer)
        for path, spec in sorted(specs.items()):
            rel = lang_path(lang, path)
            key = (card_key(spec) if isinstance(spec, CardSpec)
                   else chart_card_key(drawn.digest(spec.cid), lang, spec.site_name, spec.footer))
            n += 1
            if not staging.reuse(rel, key):
                todo.append((rel, spec, key))
    return n, todo


def draw_card(what: CardSpec | ChartCard, chart=None) -> bytes:
    """A card's PNG bytes: of its spec, or of a chart's card from the chart (charts.Chart)."""
    if isinstance(what, ChartCard):
        what = chart_card_spec(chart, what.lang, what.site_name, what.footer)
    return render_card(what)

