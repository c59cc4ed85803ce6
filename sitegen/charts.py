"""Stage 4, charts: plotly figure specs built as plain dicts, each with its table equivalent.

Figures are built directly as dicts (not through plotly.graph_objects, which is
slow) and serialized once; tests check them against plotly's own schema.
"""
from __future__ import annotations

from dataclasses import dataclass

import orjson

from .i18n import fmt_number, fmt_value, t

# Colour-blind-safe palette (Okabe-Ito), cycled by category.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999", "#882255", "#44AA99", "#117733")
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
    return {"data": [trace], "layout": layout}


def comparison_chart(chart_id: str, title: str, rows: list[dict], unit_label: str, lang: str,
                     source: str) -> Chart:
    """Bars of comparable targets, one per plan; ranges as error bars, press reports in orange.

    Each row: label (plan), value, value_max, comparator, subject_text, source_kind, year, quote.
    """
    texts = [fmt_value(r["value"], r["value_max"], r["comparator"], unit_label, lang) for r in rows]
    hover = [f"{r['label']}<br>{texts[i]}<br>{r['subject_text']}" for i, r in enumerate(rows)]
    figure = _value_bars([r["label"] for r in rows], rows, texts, hover, unit_label, lang)
    columns = (t(lang, "col_plan"), t(lang, "col_value"), t(lang, "col_subject"), t(lang, "col_source_kind"))
    table = tuple((r["label"], texts[i], r["subject_text"], t(lang, "kind_" + r["source_kind"]))
                  for i, r in enumerate(rows))
    desc = t(lang, "chart_desc_compare", title=title, n=len(rows),
             items="; ".join(f"{r['label']}: {texts[i]}" for i, r in enumerate(rows)))
    return Chart(chart_id, title, figure, columns, table,
                 ("plan_id", "label", "value", "value_max", "comparator", "unit", "source_kind"),
                 tuple((r["plan_id"], r["label"], r["value"], r["value_max"], r["comparator"], r["unit"],
                        r["source_kind"]) for r in rows),
                 source, desc)


def latest_chart(chart_id: str, title: str, rows: list[dict], unit_label: str, lang: str, source: str) -> Chart:
    """One bar per province: the value its latest plan states (a quoted value, never an aggregate).

    Each row: province, plan_id, plan_label, year, issued, target_id, value, value_max, comparator,
    subject_text, source_kind, unit.
    """
    texts = [fmt_value(r["value"], r["value_max"], r["comparator"], unit_label, lang) for r in rows]
    hover = [f"{r['province']}<br>{texts[i]}<br>{r['plan_label']}<br>{r['subject_text']}"
             for i, r in enumerate(rows)]
    figure = _value_bars([r["province"] for r in rows], rows, texts, hover, unit_label, lang)
    columns = (t(lang, "col_province"), t(lang, "col_latest_value"), t(lang, "col_latest_plan"),
               t(lang, "col_subject"), t(lang, "col_source_kind"))
    table = tuple((r["province"], texts[i], r["plan_label"], r["subject_text"], t(lang, "kind_" + r["source_kind"]))
                  for i, r in enumerate(rows))
    desc = t(lang, "chart_desc_latest", title=title, n=len(rows),
             items="; ".join(f"{r['province']}: {texts[i]} ({r['plan_label']})" for i, r in enumerate(rows)))
    # "label" is the bar's label (the province), as in the comparison charts' CSV.
    return Chart(chart_id, title, figure, columns, table,
                 ("label", "latest_plan_id", "latest_plan", "latest_plan_year", "latest_plan_issued", "target_id",
                  "value", "value_max", "comparator", "unit", "source_kind"),
                 tuple((r["province"], r["plan_id"], r["plan_label"], r["year"], r["issued"], r["target_id"],
                        r["value"], r["value_max"], r["comparator"], r["unit"], r["source_kind"]) for r in rows),
                 source, desc)


def counts_chart(chart_id: str, title: str, plans: list[str], series: list[tuple[str, list[int]]],
                 lang: str, source: str, y_title: str) -> Chart:
    """Stacked bars: for each plan, how many targets fall in each category."""
    data = []
    for i, (name, counts) in enumerate(series):
        data.append({"type": "bar", "name": name, "x": plans, "y": counts,
                     "marker": {"color": PALETTE[i % len(PALETTE)]},
                     "hovertemplate": "%{x}<br>" + name.replace("%", "%%") + ": %{y}<extra></extra>"})
    layout = base_layout(lang, y_title=y_title, height=420)
    layout["barmode"] = "stack"
    layout["showlegend"] = True
    # The legend above the bars: below them it met the axis labels once they turned (narrow screens).
    layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}
    columns = (t(lang, "col_plan"), *[name for name, _ in series], t(lang, "col_total"))
    rows = tuple((plan, *[fmt_number(c[j], lang) for _, c in series],
                  fmt_number(sum(c[j] for _, c in series), lang)) for j, plan in enumerate(plans))
    totals = [sum(c[j] for _, c in series) for j in range(len(plans))]
    desc = t(lang, "chart_desc_counts", title=title,
             items="; ".join(f"{p}: {fmt_number(n, lang)}" for p, n in zip(plans, totals)))
    csv_rows = tuple((plan, name, c[j]) for j, plan in enumerate(plans) for name, c in series)
    return Chart(chart_id, title, {"data": data, "layout": layout}, columns, rows,
                 ("plan", "category", "targets"), csv_rows, source, desc)


def latest_counts_chart(chart_id: str, title: str, bars: list[dict], series: list[tuple[str, list[int]]],
                        lang: str, source: str, y_title: str) -> Chart:
    """Stacked bars, one per province: how many targets its latest plan has in each category.

    Each bar: province, plan_id, plan_label; series: (category label, one count per bar).
    """
    chart = counts_chart(chart_id, title, [b["province"] for b in bars], series, lang, source, y_title)
    columns = (t(lang, "col_province"), t(lang, "col_latest_plan"), *chart.columns[1:])
    rows = tuple((row[0], b["plan_label"], *row[1:]) for b, row in zip(bars, chart.rows))
    totals = [sum(c[j] for _, c in series) for j in range(len(bars))]
    desc = t(lang, "chart_desc_latest_counts", title=title, n=len(bars),
             items="; ".join(f"{b['province']}: {fmt_number(n, lang)} ({b['plan_label']})"
                             for b, n in zip(bars, totals)))
    # "label" is the bar's label (the province), as in the other charts' CSV.
    csv_rows = tuple((b["province"], b["plan_id"], b["plan_label"], name, c[j])
                     for j, b in enumerate(bars) for name, c in series)
    return Chart(chart_id, title, chart.figure, columns, rows,
                 ("label", "latest_plan_id", "latest_plan", "category", "targets"), csv_rows, source, desc)


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


def network_chart(chart_id: str, title: str, plans: list[dict], instruments: list[dict],
                  edges: list[tuple[int, int]], lang: str, source: str) -> Chart:
    """Plans (by year) linked to the instruments they cite (by level and year), as a scatter with lines.

    plans: {label, year}; instruments: {label, year, level, rank}; edges: (plan index, instrument index).
    Every node has a row of its own (instruments grouped by level, highest first, then the plans), so
    that no two labels share a line and none can print over another, at any width.
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
    return Chart(chart_id, title, {"data": data, "layout": layout}, columns, rows_,
                 ("plan", "instrument", "level", "instrument_year"),
                 tuple((plans[a]["label"], instruments[b]["label"], instruments[b]["level"],
                        instruments[b]["year"]) for a, b in edges), source, desc)


def province_network_chart(chart_id: str, title: str, provinces: list[dict], instruments: list[dict],
                           edges: list[dict], lang: str, source: str) -> Chart:
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
        hover.append(f"{provinces[a]['label']} → {instruments[b]['label']}<br>"
                     + t(lang, "network_edge_hover", n=fmt_number(e["plans"], lang),
                         years=", ".join(str(y) for y in e["years"])))
    data = [
        {"type": "scatter", "mode": "lines", "x": ex, "y": ey, "hoverinfo": "skip",
         "line": {"color": "rgba(80,80,80,0.35)", "width": 1}},
        {"type": "scatter", "mode": "markers", "x": mx, "y": my, "hovertext": hover, "hoverinfo": "text",
         "marker": {"size": 4, "color": "rgba(80,80,80,0.4)"}, "name": t(lang, "network_links")},
        inst_trace,
        {"type": "scatter", "mode": "markers+text", "x": px, "y": py, "text": [p["label"] for p in provinces],
         "textposition": "middle left" if labelled else "middle right", "cliponaxis": False,
         "hovertext": [f"{p['label']}<br>" + t(lang, "network_province_hover", plans=fmt_number(p["plans"], lang),
                                                 instruments=fmt_number(p["instruments"], lang))
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
    return Chart(chart_id, title, {"data": data, "layout": layout}, columns, rows,
                 ("province", "instrument", "level", "instrument_year", "plans", "plan_years"),
                 tuple((provinces[e["province"]]["label"], instruments[e["instrument"]]["label"],
                        instruments[e["instrument"]]["level"], instruments[e["instrument"]]["year"], e["plans"],
                        " ".join(str(y) for y in e["years"])) for e in edges), source, desc)
