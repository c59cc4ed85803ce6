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
    layout["legend"] = {"orientation": "h", "y": -0.35}
    layout["margin"]["b"] = 150
    columns = (t(lang, "col_plan"), *[name for name, _ in series], t(lang, "col_total"))
    rows = tuple((plan, *[fmt_number(c[j], lang) for _, c in series],
                  fmt_number(sum(c[j] for _, c in series), lang)) for j, plan in enumerate(plans))
    totals = [sum(c[j] for _, c in series) for j in range(len(plans))]
    desc = t(lang, "chart_desc_counts", title=title,
             items="; ".join(f"{p}: {fmt_number(n, lang)}" for p, n in zip(plans, totals)))
    csv_rows = tuple((plan, name, c[j]) for j, plan in enumerate(plans) for name, c in series)
    return Chart(chart_id, title, {"data": data, "layout": layout}, columns, rows,
                 ("plan", "category", "targets"), csv_rows, source, desc)


def network_chart(chart_id: str, title: str, plans: list[dict], instruments: list[dict],
                  edges: list[tuple[int, int]], lang: str, source: str) -> Chart:
    """Plans (by year) linked to the instruments they cite (by level and year), as a scatter with lines.

    plans: {label, year}; instruments: {label, year, level, rank}; edges: (plan index, instrument index).
    """
    px = [p["year"] for p in plans]
    py = [0] * len(plans)
    ix = [i["year"] for i in instruments]
    iy = [i["rank"] for i in instruments]
    ex, ey = [], []
    for a, b in edges:
        ex += [px[a], ix[b], None]
        ey += [py[a], iy[b], None]
    data = [
        {"type": "scatter", "mode": "lines", "x": ex, "y": ey, "hoverinfo": "skip",
         "line": {"color": "rgba(80,80,80,0.35)", "width": 1}},
        {"type": "scatter", "mode": "markers+text", "x": ix, "y": iy, "text": [i["short"] for i in instruments],
         "textposition": "middle right", "hovertext": [i["label"] for i in instruments], "hoverinfo": "text",
         "marker": {"size": 10, "color": "#D55E00", "symbol": "diamond"}, "name": t(lang, "instruments")},
        {"type": "scatter", "mode": "markers+text", "x": px, "y": py, "text": [p["label"] for p in plans],
         "textposition": "bottom center", "hovertext": [p["label"] for p in plans], "hoverinfo": "text",
         "marker": {"size": 14, "color": "#0072B2"}, "name": t(lang, "plans")},
    ]
    levels = sorted({(i["rank"], i["level"]) for i in instruments})
    layout = base_layout(lang, x_title=t(lang, "col_year"), height=560)
    layout["yaxis"] = {"tickvals": [0] + [r for r, _ in levels], "ticktext": [t(lang, "plans")] +
                       [lv for _, lv in levels], "automargin": True, "fixedrange": True, "zeroline": False}
    layout["xaxis"]["dtick"] = 1
    layout["xaxis"]["tickformat"] = "d"
    layout["margin"] = {"l": 150, "r": 140, "t": 24, "b": 60}
    columns = (t(lang, "col_plan"), t(lang, "col_instrument"), t(lang, "col_level"), t(lang, "col_year"))
    rows = tuple((plans[a]["label"], instruments[b]["label"], instruments[b]["level"],
                  str(instruments[b]["year"])) for a, b in edges)
    desc = t(lang, "chart_desc_network", n_plans=len(plans), n_inst=len(instruments), n_edges=len(edges))
    return Chart(chart_id, title, {"data": data, "layout": layout}, columns, rows,
                 ("plan", "instrument", "level", "instrument_year"),
                 tuple((plans[a]["label"], instruments[b]["label"], instruments[b]["level"],
                        instruments[b]["year"]) for a, b in edges), source, desc)
