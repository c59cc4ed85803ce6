"""What a downloaded chart image prints around the chart, so that it stands alone when published.

charts.js draws the PNG or SVG in the browser (plotly's own image export, at print and social
sizes) and frames it with what is here: title, subtitle (what is measured, the deadline), the
legend of press-reported and range bars, notes, the source line, and the site's name, URL and
data version, in the page's language, on an opaque light background.
"""
from __future__ import annotations

from .charts import PRESS_COLOUR, Chart, figure_json
from .i18n import t

# Sizes offered for download: (width, height, label key).
IMAGE_SIZES = ((1200, 675, "img_size_wide"), (1080, 1080, "img_size_square"))


def _bars(chart: Chart) -> list[dict]:
    return [tr for tr in chart.figure.get("data", ()) if tr.get("type") == "bar"]


def chart_subtitle(chart: Chart, lang: str, deadlines: tuple[str, ...] = ()) -> str:
    """What the chart measures (chỉ tiêu: its axis), and the deadlines of its targets when known."""
    own = chart.subtitle  # a chart that carries its own subtitle says it best
    if own:
        return own
    layout = chart.figure.get("layout", {})
    axis = ((layout.get("yaxis") or {}).get("title") or {}).get("text") or ""
    subject_col = t(lang, "col_subject")
    if subject_col in chart.columns:
        i = chart.columns.index(subject_col)
        subjects = "; ".join(dict.fromkeys(str(r[i]) for r in chart.rows if r[i]))
        text = t(lang, "img_measure", what=f"{subjects} ({axis})" if axis else subjects)
    else:
        text = axis or chart.description
    if deadlines:
        text += " · " + t(lang, "img_deadline", deadline=", ".join(deadlines))
    return text


def chart_notes(chart: Chart, lang: str) -> list[str]:
    """The legend a reader needs beside the bars: press-reported values, ranges; the chart's own notes."""
    notes = list(chart.notes)
    if chart.omitted:  # a note that lists what the chart leaves out: the list follows it
        notes[-1] += " " + "; ".join(chart.omitted) + "."
    bars = _bars(chart)
    if any(PRESS_COLOUR in (b.get("marker", {}).get("color") or ()) for b in bars if len(bars) == 1):
        notes.append(t(lang, "img_press_legend"))
    if any(b.get("error_y") for b in bars):
        notes.append(t(lang, "img_range_legend"))
    return notes


def image_meta(chart: Chart, lang: str, *, site_name: str, version: str, url: str, url_rel: str,
               deadlines: tuple[str, ...] = ()) -> str:
    """The frame of a chart's downloaded image, as JSON for a <script type="application/json"> block:
    only what the page around the chart does not show. charts.js (pageWords) reads the title, the
    source line, the chart's subtitle and its notes (the last followed by what it leaves out) from the
    page; here are a subtitle the page does not show, the legend notes, the footer and the address.

    url: the chart's permalink (absolute, or its site path when the site's address is unknown, in
    which case url_rel, the link from the page, lets the browser make it absolute)."""
    meta = {"lang": lang}
    if not chart.subtitle:  # the page shows the chart's own subtitle; this one only the image
        meta["subtitle"] = chart_subtitle(chart, lang, deadlines)
    return figure_json({
        **meta, "legend": chart_notes(chart, lang)[len(chart.notes):],
        "footer": t(lang, "img_footer", site=site_name, url="{url}", version=version),
        "url": url, "url_rel": url_rel, "filename": chart.id,
        "press_colour": PRESS_COLOUR,
        "sizes": [[w, h] for w, h, _ in IMAGE_SIZES],
    })
