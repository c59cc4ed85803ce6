"""Stage 4, charts: plotly figure specs built as plain dicts, each with its table equivalent.

Figures are built directly as dicts (not through plotly.graph_objects, which is
slow) and serialized once; tests check them against plotly's own schema.

Plotly reads a little HTML in every text it draws (labels, hover texts, legend names, axis
titles, tick labels): <b>, <i>, <br>, <a href=...> and character references. The labels come
from the corpus, so the figures are built with plain text (a hover text of several lines is a
`Lines`) and `_chart` escapes all of it once, when the figure is finished.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

import orjson

from .i18n import fmt_list, fmt_number, fmt_value, t

# Okabe-Ito colours (colour-blind safe): official texts blue, press reports orange.
OFFICIAL_COLOUR = "#0072B2"
PRESS_COLOUR = "#E69F00"
# The province network names its instruments on the chart only up to this many.
NETWORK_MAX_LABELS = 60


@dataclass(frozen=True)
class Chart:
    """A chart: its plotly figure, a table equivalent with the same numbers, and words about it."""

    id: str  # stable: used in anchors, chart page and embed URLs, download names
    title: str
    figure: dict  # {"data": [...], "layout": {...}}
    columns: tuple[str, ...]  # table header
    rows: tuple[tuple[str, ...], ...]  # table cells, formatted for reading
    csv_columns: tuple[str, ...]  # the data as drawn, machine-readable
    csv_rows: tuple[tuple, ...]
    source: str  # the source line: which documents
    description: str  # a text alternative written from the data
    subtitle: str = ""  # what the chart shows: targets (chỉ tiêu), their deadlines, subjects, equal values
    notes: tuple[str, ...] = ()  # what the chart leaves out and why, said under it (and in its image)
    omitted: tuple[str, ...] = ()  # the items it leaves out, listed under it
    # The columns of its table holding what a bar's hover adds after its first HOVER_KEPT lines (the
    # subject as written, the quote): a page ships them once, in the table (page_figure).
    hover_cells: tuple[int, ...] = ()


# The per-point fields every chart of target values carries in its CSV and JSON.
POINT_COLUMNS = ("target_id", "subject_text", "comparability", "deadline", "source_kind", "quote")


@lru_cache(maxsize=1 << 14)
def _hover_text(text: str, width: int = 60) -> tuple[str, ...]:
    """Corpus text for a plotly hover label, wrapped into lines (plain text: _chart escapes it). Kept:
    a target's subject and quote are wrapped for every chart that shows it, in both languages (the
    wrapping was a twelfth of the page jobs' time, profiled)."""
    return tuple(textwrap.wrap(text, width)) or ("—",)


def _deadline(value, lang: str) -> str:
    return str(value) if value is not None else t(lang, "deadline_unknown")


def targets_subtitle(rows: list[dict], texts: list[str], lang: str, subjects_note: str = "") -> str:
    """The words under a chart of target values: these are targets (not results) and by when, how the
    subjects differ, what the orange bars are, and that every value is the same when it is."""
    years = sorted({r["deadline"] for r in rows if r["deadline"] is not None})
    deadlines = [str(y) for y in years] + [t(lang, "deadline_unknown")] * any(r["deadline"] is None for r in rows)
    parts = [t(lang, "chart_targets_note" if len(deadlines) < 2 else "chart_targets_note_many",
               deadlines=fmt_list(deadlines, lang))]
    if subjects_note:
        parts.append(subjects_note)
    if any(r["source_kind"] == "press" for r in rows):
        parts.append(t(lang, "chart_press_note"))
    if len(rows) > 1 and len(set(texts)) == 1:
        parts.append(t(lang, "chart_all_same", value=texts[0], n=len(rows)))
    return " ".join(parts)


class Lines(tuple):
    """A text of several lines (plain text each), drawn one under the other."""


# The figure keys whose strings plotly draws as text (x and y: category names on the axes).
_DRAWN = frozenset(("text", "hovertext", "name", "ticktext", "tickvals", "categoryarray", "x", "y"))


def plot_text(text: str) -> str:
    """Plain text as plotly must be given it to draw it literally: & < > as character references
    (plotly turns those back into the characters, and reads no tag)."""
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


def _drawn(value):
    if isinstance(value, Lines):
        return "<br>".join(plot_text(line) for line in value)
    if isinstance(value, str):
        return plot_text(value)
    if isinstance(value, list):
        return [_drawn(v) for v in value]
    return value


def finish_figure(figure):
    """A copy of a figure with every text plotly draws escaped (see the module's docstring)."""
    if isinstance(figure, dict):
        return {k: _drawn(v) if k in _DRAWN and not isinstance(v, dict) else finish_figure(v)
                for k, v in figure.items()}
    if isinstance(figure, list):
        return [finish_figure(v) for v in figure]
    return figure


def _chart(chart_id: str, title: str, figure: dict, *rest, **words) -> Chart:
    """A Chart of a figure built with plain text: the one place figures are finished."""
    return Chart(chart_id, title, finish_figure(figure), *rest, **words)


# A bar's hover: plan, then value and deadline, kept in the figure a page ships; the lines after them
# (the subject as written, the quote) are cells of the page's table, which charts.js reads them from.
HOVER_KEPT = 2


def page_figure(chart: Chart) -> dict:
    """The figure as a page ships it: without what the page's table already holds. A bar's hover keeps
    its first lines, as a list (charts.js adds the subject and the quote from the table's cells, wraps
    them and joins the lines); layout.meta.hover_cells names the columns of the chart's own table."""
    if not chart.hover_cells:
        return chart.figure
    data = [dict(tr, hovertext=[h.split("<br>")[:HOVER_KEPT] for h in tr["hovertext"]])
            if tr.get("type") == "bar" and "hovertext" in tr else tr for tr in chart.figure["data"]]
    layout = chart.figure["layout"]
    return {"data": data, "layout": {**layout, "meta": {**layout.get("meta", {}),
                                                         "hover_cells": list(chart.hover_cells)}}}


def figure_json(figure: dict) -> str:
    """Serialize a figure for a <script type="application/json"> block, safe against '</script>'."""
    raw = orjson.dumps(figure, option=orjson.OPT_SORT_KEYS).decode()
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def base_layout(lang: str, *, y_title: str = "", x_title: str = "", height: int = 380) -> dict:
    """Layout every chart shares: Vietnamese separators, readable fonts, no plotly logo."""
    return {
        "separators": ",." if lang == "vi" else ".,",
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 24, "b": 96},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {"title": {"text": x_title}, "automargin": True, "fixedrange": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "fixedrange": True, "rangemode": "tozero",
                  "gridcolor": "#ccc"},
        "showlegend": False,
        "hoverlabel": {"align": "left"},
    }


def _value_bars(x: list[str], rows: list[dict], texts: list[str], hover: list[str], unit_label: str,
                lang: str) -> dict:
    """One bar per row at x: ranges as error bars, press reports in orange and hatched."""
    y = [r["value"] for r in rows]
    up = [(r["value_max"] - r["value"]) if r["value_max"] is not None else 0 for r in rows]
    colours = [PRESS_COLOUR if r["source_kind"] == "press" else OFFICIAL_COLOUR for r in rows]
    patterns = ["/" if r["source_kind"] == "press" else "" for r in rows]
    trace = {
        "type": "bar", "x": x, "y": y, "text": texts, "textposition": "outside", "cliponaxis": False,
        "hovertext": hover, "hoverinfo": "text",
        "marker": {"color": colours, "pattern": {"shape": patterns}},
    }
    if any(up):
        trace["error_y"] = {"type": "data", "symmetric": False, "array": up,
                            "arrayminus": [0] * len(up), "color": "#333", "thickness": 2, "width": 10}
    top = max((r["value_max"] or r["value"]) for r in rows) if rows else 1
    layout = base_layout(lang, y_title=unit_label)
    layout["yaxis"]["range"] = [0, top * 1.2 or 1]
    if unit_label.startswith("%") and top <= 100:
        # A share's axis ends at 100% (a full bar is all of it): the value labels go in the margin above.
        layout["yaxis"]["range"] = [0, 100]
        layout["margin"]["t"] = 40
        layout["meta"] = {"share": True}  # charts.js keeps the 100% end when it lays the bars on their side
    return {"data": [trace], "layout": layout}


def _hover(head: str, r: dict, text: str, lang: str) -> Lines:
    """A bar's hover text: plan, value and deadline, the subject as written, the quote."""
    return Lines((head, f"{text} · {t(lang, 'col_deadline')}: {_deadline(r['deadline'], lang)}",
                  *_hover_text(r["subject_text"]), *_hover_text(f"“{r['quote']}”")))


def comparison_chart(chart_id: str, title: str, rows: list[dict], unit_label: str, lang: str,
                     source: str, subjects_note: str = "") -> Chart:
    """Bars of comparable targets, one per plan; ranges as error bars, press reports in orange.

    Each row: plan_id, target_id, label (plan), value, value_max, comparator, unit, subject_text (as
    written), comparability, deadline (None: not stated), source_kind, quote. `subjects_note` names the
    subjects when the chart joins a subject and a broader one.
    """
    texts = [fmt_value(r["value"], r["value_max"], r["comparator"], unit_label, lang) for r in rows]
    hover = [_hover(r["label"], r, texts[i], lang) for i, r in enumerate(rows)]
    figure = _value_bars([r["label"] for r in rows], rows, texts, hover, unit_label, lang)
    columns = (t(lang, "col_plan"), t(lang, "col_value"), t(lang, "col_deadline"), t(lang, "col_subject_written"),
               t(lang, "col_source_kind"), t(lang, "col_quote"))
    table = tuple((r["label"], texts[i], _deadline(r["deadline"], lang), r["subject_text"],
                   t(lang, "kind_" + r["source_kind"]), r["quote"]) for i, r in enumerate(rows))
    subtitle = targets_subtitle(rows, texts, lang, subjects_note)
    desc = t(lang, "chart_desc_compare", title=title, n=len(rows),
             items="; ".join(f"{r['label']}: {texts[i]}" for i, r in enumerate(rows))) + " " + subtitle
    return _chart(chart_id, title, figure, columns, table,
                  ("plan_id", "label", "value", "value_max", "comparator", "unit", *POINT_COLUMNS),
                 tuple((r["plan_id"], r["label"], r["value"], r["value_max"], r["comparator"], r["unit"],
                        *(r[c] for c in POINT_COLUMNS)) for r in rows),
                 source, desc, subtitle, hover_cells=(3, 5))


def latest_chart(chart_id: str, title: str, rows: list[dict], unit_label: str, lang: str, source: str,
                 subjects_note: str = "") -> Chart:
    """One bar per province: the value its latest plan states (a quoted value, never an aggregate).

    Each row: province, plan_id, plan_label, year, issued, value, value_max, comparator, unit, and the
    point fields (POINT_COLUMNS: target_id, subject_text, comparability, deadline, source_kind, quote).
    """
    texts = [fmt_value(r["value"], r["value_max"], r["comparator"], unit_label, lang) for r in rows]
    hover = [_hover(f"{r['province']} · {r['plan_label']}", r, texts[i], lang) for i, r in enumerate(rows)]
    figure = _value_bars([r["province"] for r in rows], rows, texts, hover, unit_label, lang)
    columns = (t(lang, "col_province"), t(lang, "col_latest_value"), t(lang, "col_latest_plan"),
               t(lang, "col_subject"), t(lang, "col_source_kind"), t(lang, "col_deadline"), t(lang, "col_quote"))
    table = tuple((r["province"], texts[i], r["plan_label"], r["subject_text"], t(lang, "kind_" + r["source_kind"]),
                   _deadline(r["deadline"], lang), r["quote"]) for i, r in enumerate(rows))
    subtitle = targets_subtitle(rows, texts, lang, subjects_note)
    desc = t(lang, "chart_desc_latest", title=title, n=len(rows),
             items="; ".join(f"{r['province']}: {texts[i]} ({r['plan_label']})" for i, r in enumerate(rows)))
    # "label" is the bar's label (the province), as in the comparison charts' CSV.
    return _chart(chart_id, title, figure, columns, table,
                 ("label", "latest_plan_id", "latest_plan", "latest_plan_year", "latest_plan_issued",
                  "value", "value_max", "comparator", "unit", *POINT_COLUMNS),
                 tuple((r["province"], r["plan_id"], r["plan_label"], r["year"], r["issued"],
                        r["value"], r["value_max"], r["comparator"], r["unit"], *(r[c] for c in POINT_COLUMNS))
                       for r in rows),
                 source, desc + " " + subtitle, subtitle, hover_cells=(3, 6))


def text_kind(source_kind: str, excerpt: bool, lang: str) -> str:
    """What text the site has of a plan: the full text, an excerpt, or a press report about it."""
    return t(lang, "text_kind_press" if source_kind == "press" else "text_kind_excerpt" if excerpt
             else "text_kind_full")


def category_matrix_chart(chart_id: str, title: str, columns: list[dict], categories: list[tuple[str, list]],
                          lang: str, source: str, subtitle: str) -> Chart:
    """In which categories each plan sets targets: a dot where it sets at least one, with the number of
    its top-level targets there (parts never counted). One column per plan (or per province's latest plan).

    columns: {label, plan_id, plan_label, source_kind, excerpt[, not_in_text]}; categories: (label, one cell
    per column), a cell None (no target) or {targets, parts, subjects (as written), deadlines}. A column
    whose plan's targets are not in the text the site has (not_in_text) says so in each cell of its
    table, and its counts in the CSV are unknown (empty), never 0.
    """
    xs = [f"{c['label']} ({text_kind(c['source_kind'], c['excerpt'], lang)})" for c in columns]
    px, py, text, hover = [], [], [], []
    for name, cells in categories:
        for x, col, cell in zip(xs, columns, cells):
            if cell is None:
                continue
            px.append(x)
            py.append(name)
            text.append(fmt_number(cell["targets"], lang))
            count = t(lang, "n_targets_one" if cell["targets"] == 1 else "n_targets", n=fmt_number(cell["targets"], lang))
            if cell["parts"]:
                count += " (" + t(lang, "n_parts_one" if cell["parts"] == 1 else "n_parts",
                                  n=fmt_number(cell["parts"], lang)) + ")"
            hover.append(Lines((col["plan_label"], f"{name}: {count}", *_hover_text("; ".join(cell["subjects"])))))
    data = [{"type": "scatter", "mode": "markers+text", "x": px, "y": py, "text": text, "textposition": "middle center",
             "hovertext": hover, "hoverinfo": "text", "cliponaxis": False,
             "marker": {"size": 20, "color": [PRESS_COLOUR if columns[xs.index(x)]["source_kind"] == "press"
                                              else OFFICIAL_COLOUR for x in px],
                        "symbol": ["square" if columns[xs.index(x)]["source_kind"] == "press" else "circle"
                                   for x in px]},
             "textfont": {"color": "#fff"}}]
    layout = base_layout(lang, height=140 + 40 * len(categories))
    # Each column's name on two lines (the plan, then the kind of text), so that names do not run together.
    ticks = [Lines((c["label"], f"({text_kind(c['source_kind'], c['excerpt'], lang)})")) for c in columns]
    layout["xaxis"].update({"type": "category", "categoryorder": "array", "categoryarray": xs, "side": "top",
                            "tickvals": xs, "ticktext": ticks, "showgrid": True, "gridcolor": "#eee",
                            "tickfont": {"size": 11}})
    names = [n for n, _ in categories][::-1]
    # Long category names on two or three short lines: on a phone the columns keep their room.
    layout["yaxis"] = {"type": "category", "categoryorder": "array", "categoryarray": names, "tickvals": names,
                       "ticktext": [Lines(textwrap.wrap(n, 18)) for n in names],
                       "automargin": True, "fixedrange": True, "showgrid": True, "gridcolor": "#eee",
                       "tickfont": {"size": 11}}
    layout["margin"] = {"l": 16, "r": 16, "t": 80, "b": 16}
    table_columns = (t(lang, "col_category"), *xs)
    missing = t(lang, "targets_not_in_text_short")
    empty = ["—" if not col.get("not_in_text") else missing for col in columns]
    rows = tuple((name, *[fmt_number(c["targets"], lang) if c else empty[j] for j, c in enumerate(cells)])
                 for name, cells in categories)
    desc = t(lang, "chart_desc_matrix", title=title,
             items="; ".join(f"{x}: {', '.join(n for n, cells in categories if cells[j]) or empty[j]}"
                             for j, x in enumerate(xs))) + " " + subtitle
    zero = lambda col: "" if col.get("not_in_text") else 0  # noqa: E731 (unknown, not none)
    csv_rows = tuple((col["label"], col["plan_id"], name, c["targets"] if c else zero(col), c["parts"] if c else zero(col),
                      "; ".join(c["subjects"]) if c else "", "count", " ".join(str(d) for d in c["deadlines"]) if c else "",
                      col["source_kind"], col["excerpt"])
                     for name, cells in categories for col, c in zip(columns, cells))
    return _chart(chart_id, title, {"data": data, "layout": layout}, table_columns, rows,
                 ("label", "plan_id", "category", "targets", "parts", "subject_text", "comparability", "deadline",
                  "source_kind", "excerpt"), csv_rows, source, desc, subtitle)


def _level_rows(instruments: list[dict]) -> tuple[list[int], list[tuple[int, str]], int]:
    """A row for every instrument, grouped by level (highest first), each group under a heading row:
    (each instrument's row, the heading rows with their level, the next free row)."""
    order = sorted(range(len(instruments)), key=lambda n: (instruments[n]["rank"], instruments[n]["level"],
                                                           instruments[n]["year"], instruments[n]["short"], n))
    headings: list[tuple[int, str]] = []
    iy = [0] * len(instruments)
    row = 0
    for n in order:
        level = instruments[n]["level"]
        if not headings or headings[-1][1] != level:
            headings.append((row, level))
            row += 1
        iy[n] = row
        row += 1
    return iy, headings, row


def _rows_layout(layout: dict, rows: int, headings: list[tuple[int, str]]) -> None:
    """Rows from the top, headings as annotations at the left edge (no axis labels to take a phone's width)."""
    layout["yaxis"] = {"range": [rows - 0.5, -0.7], "showticklabels": False, "fixedrange": True,
                       "zeroline": False, "showgrid": False}
    layout["annotations"] = [{"xref": "paper", "x": 0, "xanchor": "left", "yref": "y", "y": r, "text": text,
                              "showarrow": False, "font": {"size": 13}} for r, text in headings]
    layout["xaxis"]["gridcolor"] = "rgba(128,128,128,0.25)"
    layout["margin"] = {"l": 16, "r": 16, "t": 16, "b": 60}


def _label_side(x: float, first: float, last: float) -> str:
    """Where a node's label goes: right of the node in the left half, left of it in the right half
    (so that no label runs off the chart's edge, at any width)."""
    return "middle right" if x <= (first + last) / 2 else "middle left"


def undated_note(instruments: list[dict], undated: tuple[str, ...], lang: str) -> dict:
    """What a network leaves out: the cited instruments without a known date (its x axis is the year),
    said and listed under the chart (Chart.notes, Chart.omitted)."""
    if not undated:
        return {}
    key = "chart_network_undated_one" if len(undated) == 1 else "chart_network_undated"
    note = t(lang, key, n=fmt_number(len(undated), lang), total=fmt_number(len(instruments) + len(undated), lang))
    return {"notes": (note,), "omitted": tuple(undated)}


def network_chart(chart_id: str, title: str, plans: list[dict], instruments: list[dict],
                  edges: list[tuple[int, int]], lang: str, source: str, undated: tuple[str, ...] = ()) -> Chart:
    """Plans (by year) linked to the instruments they cite (by level and year), as a scatter with lines.

    plans: {label, year}; instruments: {label, year, level, rank}; edges: (plan index, instrument index).
    Every node has a row of its own (instruments grouped by level, highest first, then the plans), so
    that no two labels share a line and none can print over another, at any width. undated: the labels
    of the cited instruments left out for want of a date (said under the chart).
    """
    # Rows from the top: a heading row naming each level, then that level's instruments; then the plans.
    iy, headings, row = _level_rows(instruments)
    headings.append((row, t(lang, "plans")))
    px = [p["year"] for p in plans]
    py = [row + 1 + n for n in range(len(plans))]
    rows = row + 1 + len(plans)
    ix = [i["year"] for i in instruments]
    years = px + ix
    first, last = min(years), max(years)
    ex, ey = [], []
    for a, b in edges:
        ex += [px[a], ix[b], None]
        ey += [py[a], iy[b], None]
    data = [
        {"type": "scatter", "mode": "lines", "x": ex, "y": ey, "hoverinfo": "skip",
         "line": {"color": "rgba(80,80,80,0.35)", "width": 1}},
        {"type": "scatter", "mode": "markers+text", "x": ix, "y": iy, "text": [i["short"] for i in instruments],
         "textposition": [_label_side(x, first, last) for x in ix], "cliponaxis": False,
         "hovertext": [i["label"] for i in instruments], "hoverinfo": "text",
         "marker": {"size": 10, "color": "#D55E00", "symbol": "diamond"}, "name": t(lang, "instruments")},
        {"type": "scatter", "mode": "markers+text", "x": px, "y": py, "text": [p["label"] for p in plans],
         "textposition": [_label_side(x, first, last) for x in px], "cliponaxis": False,
         "hovertext": [p["label"] for p in plans], "hoverinfo": "text",
         "marker": {"size": 14, "color": "#0072B2"}, "name": t(lang, "plans")},
    ]
    layout = base_layout(lang, x_title=t(lang, "col_year"), height=max(360, 22 * rows + 100))
    _rows_layout(layout, rows, headings)
    layout["xaxis"]["dtick"] = 1 if last - first <= 12 else 2
    layout["xaxis"]["tickformat"] = "d"
    layout["xaxis"]["range"] = [first - 0.6, last + 0.6]
    columns = (t(lang, "col_plan"), t(lang, "col_instrument"), t(lang, "col_level"), t(lang, "col_year"))
    rows_ = tuple((plans[a]["label"], instruments[b]["label"], instruments[b]["level"],
                   str(instruments[b]["year"])) for a, b in edges)
    desc = t(lang, "chart_desc_network", n_plans=len(plans), n_inst=len(instruments), n_edges=len(edges))
    return _chart(chart_id, title, {"data": data, "layout": layout}, columns, rows_,
                 ("plan", "instrument", "level", "instrument_year"),
                 tuple((plans[a]["label"], instruments[b]["label"], instruments[b]["level"],
                        instruments[b]["year"]) for a, b in edges), source, desc,
                  **undated_note(instruments, undated, lang))


def province_network_chart(chart_id: str, title: str, provinces: list[dict], instruments: list[dict],
                           edges: list[dict], lang: str, source: str, undated: tuple[str, ...] = ()) -> Chart:
    """Provinces linked to the instruments their plans cite (by level and year): the network of a corpus
    with too many plans to draw one node per plan.

    provinces: {label, plans, instruments} (plans citing, instruments cited); instruments: {label, short,
    year, level, rank}; edges: {province, instrument (indexes), plans (how many cite it), years (sorted)}.
    """
    ix = [i["year"] for i in instruments]
    first, last = min(ix), max(ix)
    labelled = len(instruments) <= NETWORK_MAX_LABELS
    if labelled:
        # Few enough instruments to name: each has a row (grouped by level under a heading), and the
        # provinces have a row each below them, in a column right of the latest year: no label can
        # meet another at any width.
        iy, headings, row = _level_rows(instruments)
        headings.append((row, t(lang, "network_provinces")))
        column = last + 1.5
        px = [column] * len(provinces)
        py = [row + 1 + n for n in range(len(provinces))]
        rows = row + 1 + len(provinces)
    else:
        # Instruments keep the plan network's places (year across, level up), unlabelled; the provinces
        # stand in a column right of the latest year, one line each, so that none hides another.
        iy = [i["rank"] for i in instruments]
        column = last + 3
        ranks = sorted(set(iy))
        top, bottom = ranks[-1] + 0.5, ranks[0] - 0.5
        step = (top - bottom) / (len(provinces) - 1) if len(provinces) > 1 else 0
        px = [column] * len(provinces)
        py = [round(top - n * step, 3) if step else (top + bottom) / 2 for n in range(len(provinces))]
    inst_trace = {"type": "scatter", "mode": "markers", "x": ix, "y": iy,
                  "hovertext": [i["label"] for i in instruments], "hoverinfo": "text",
                  "marker": {"size": 10, "color": "#D55E00", "symbol": "diamond"},
                  "name": t(lang, "instruments")}
    if len(instruments) <= NETWORK_MAX_LABELS:
        # Beyond that many, labels of one level and year print over each other: hover and the table name them.
        inst_trace.update({"mode": "markers+text", "text": [i["short"] for i in instruments],
                           "textposition": [_label_side(x, first, column) for x in ix], "cliponaxis": False})
    ex, ey, mx, my, hover = [], [], [], [], []
    for e in edges:
        a, b = e["province"], e["instrument"]
        ex += [px[a], ix[b], None]
        ey += [py[a], iy[b], None]
        # Plotly hovers on points, not along lines: each edge gets a point half-way that tells its numbers.
        mx.append((px[a] + ix[b]) / 2)
        my.append(round((py[a] + iy[b]) / 2, 3))
        hover.append(Lines((f"{provinces[a]['label']} → {instruments[b]['label']}",
                            t(lang, "network_edge_hover", n=fmt_number(e["plans"], lang),
                              years=", ".join(str(y) for y in e["years"])))))
    data = [
        {"type": "scatter", "mode": "lines", "x": ex, "y": ey, "hoverinfo": "skip",
         "line": {"color": "rgba(80,80,80,0.35)", "width": 1}},
        {"type": "scatter", "mode": "markers", "x": mx, "y": my, "hovertext": hover, "hoverinfo": "text",
         "marker": {"size": 4, "color": "rgba(80,80,80,0.4)"}, "name": t(lang, "network_links")},
        inst_trace,
        {"type": "scatter", "mode": "markers+text", "x": px, "y": py, "text": [p["label"] for p in provinces],
         "textposition": "middle left" if labelled else "middle right", "cliponaxis": False,
         "hovertext": [Lines((p["label"], t(lang, "network_province_hover", plans=fmt_number(p["plans"], lang),
                                                 instruments=fmt_number(p["instruments"], lang))))
                       for p in provinces], "hoverinfo": "text",
         "marker": {"size": 12, "color": "#0072B2"}, "name": t(lang, "network_provinces")},
    ]
    years = list(range(first, last + 1))
    if labelled:
        layout = base_layout(lang, x_title=t(lang, "col_year"), height=max(360, 22 * rows + 100))
        _rows_layout(layout, rows, headings)
        layout["xaxis"]["tickvals"] = years[::-1][::1 if last - first <= 12 else 2][::-1]
        layout["xaxis"]["ticktext"] = [str(y) for y in layout["xaxis"]["tickvals"]]
        layout["xaxis"]["range"] = [first - 0.6, column + 0.3]
    else:
        levels = sorted({(i["rank"], i["level"]) for i in instruments})
        layout = base_layout(lang, x_title=t(lang, "col_year"), height=max(560, 16 * len(provinces) + 84))
        layout["yaxis"] = {"tickvals": [r for r, _ in levels], "ticktext": [lv for _, lv in levels],
                           "automargin": True, "fixedrange": True, "zeroline": False, "showgrid": False}
        layout["xaxis"]["tickvals"] = [*years, column]
        layout["xaxis"]["ticktext"] = [*(str(y) for y in years), t(lang, "network_provinces")]
        layout["xaxis"]["range"] = [first - 0.7, column + 0.7]
        layout["margin"] = {"l": 150, "r": 190, "t": 24, "b": 60}
    columns = (t(lang, "col_province"), t(lang, "col_instrument"), t(lang, "col_level"), t(lang, "col_year"),
               t(lang, "col_cited_by"), t(lang, "col_plan_years"))
    rows = tuple((provinces[e["province"]]["label"], instruments[e["instrument"]]["label"],
                  instruments[e["instrument"]]["level"], str(instruments[e["instrument"]]["year"]),
                  fmt_number(e["plans"], lang), ", ".join(str(y) for y in e["years"])) for e in edges)
    desc = t(lang, "chart_desc_network_provinces", n_provinces=fmt_number(len(provinces), lang),
             n_inst=fmt_number(len(instruments), lang), n_edges=fmt_number(len(edges), lang))
    return _chart(chart_id, title, {"data": data, "layout": layout}, columns, rows,
                  ("province", "instrument", "level", "instrument_year", "plans", "plan_years"),
                 tuple((provinces[e["province"]]["label"], instruments[e["instrument"]]["label"],
                        instruments[e["instrument"]]["level"], instruments[e["instrument"]]["year"], e["plans"],
                        " ".join(str(y) for y in e["years"])) for e in edges), source, desc,
                  **undated_note(instruments, undated, lang))
