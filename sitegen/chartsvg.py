"""Stage 4, charts: each chart drawn once at build time as a static SVG, shown as soon as the HTML
arrives (on Slow 4G the chart library takes seconds more), then replaced by the interactive chart.

The SVG is drawn from the same plotly figure dict the browser draws (bars, markers, text, lines,
category and linear axes, annotations). It is as wide as the page: horizontal places are percentages
of the plot's width, vertical ones pixels of the figure's height, so that text keeps its size on a
phone. Shapes that may stretch (bars, grid, lines) are drawn in a nested SVG scaled to the plot's
width (`preserveAspectRatio="none"`, strokes that do not scale); markers and text are placed by
percentage and keep their shape. Same figure, same bytes.
"""
from __future__ import annotations

import html
import math
import textwrap

# The scaled layer's width in its own units: a horizontal place is x / SCALE of the plot's width.
SCALE = 1000
# Average advance of a character, as a share of the font size (for margins of tick labels only).
CHAR_W = 0.56


def _lines(text) -> list[str]:
    """A figure's text (escaped for plotly, lines joined by <br>) as plain lines."""
    return [html.unescape(part) for part in str(text).split("<br>")]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _n(v: float) -> str:
    """A coordinate, rounded (deterministic and short)."""
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


def _tick_number(v: float, separators: str) -> str:
    """A tick value as plotly writes it: the figure's decimal separator, no thousands separator."""
    text = str(int(v)) if v == int(v) else f"{v:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", separators[:1] or ".")


def _nice_ticks(lo: float, hi: float, dtick: float | None = None) -> list[float]:
    """About six round ticks (1, 2 or 5 times a power of ten) between lo and hi, or every dtick."""
    a, b = min(lo, hi), max(lo, hi)
    if not dtick:
        raw = (b - a) / 6 or 1
        power = 10 ** math.floor(math.log10(raw))
        dtick = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(a / dtick - 1e-9)
    return [round(k * dtick, 9) for k in range(first, math.floor(b / dtick + 1e-9) + 1)]


class _Axis:
    """One axis: where a value goes (0..1 of the plot, from the left or from the bottom) and its ticks."""

    def __init__(self, spec: dict, values: list, separators: str, *, bars: bool):
        self.spec = spec
        present = [v for v in values if v is not None]
        self.category = spec.get("type") == "category" or any(isinstance(v, str) for v in present)
        if self.category:
            order = list(spec.get("categoryarray") or [])
            order += [v for v in dict.fromkeys(present) if v not in order]
            self.order = order
            self.lo, self.hi = -0.5, len(order) - 0.5
            ticks = [(i, _lines(v)) for i, v in enumerate(order)]
        else:
            lo, hi = (spec["range"] if spec.get("range") else self._auto(present, bars))
            self.lo, self.hi = lo, hi
            if spec.get("tickvals") is not None:
                ticks = [(v, _lines(t)) for v, t in zip(spec["tickvals"], spec.get("ticktext") or spec["tickvals"])]
            else:
                ticks = [(v, [_tick_number(v, separators)]) for v in _nice_ticks(lo, hi, spec.get("dtick"))]
        if self.category and spec.get("tickvals") is not None:
            where = {v: i for i, v in enumerate(self.order)}
            ticks = [(where[v], _lines(t)) for v, t in zip(spec["tickvals"], spec.get("ticktext") or spec["tickvals"])
                     if v in where]
        span = (self.hi - self.lo) or 1
        # Ticks as (place from 0 to 1, lines): a category's place is its index.
        ticks = [((v - self.lo) / span, lines) for v, lines in ticks]
        self.ticks = ticks if spec.get("showticklabels", True) else []
        self.grid = [f for f, _ in ticks] if spec.get("showgrid", not self.category) else []

    def _auto(self, values: list, bars: bool) -> tuple[float, float]:
        lo, hi = (min(values), max(values)) if values else (0, 1)
        if bars or self.spec.get("rangemode") == "tozero":
            lo, hi = min(lo, 0), max(hi, 0)
            return lo, (hi * 1.05 or 1)
        pad = (hi - lo) * 0.06 or 1
        return lo - pad, hi + pad

    def at(self, v) -> float:
        """Where v is, from 0 (range's start) to 1 (its end)."""
        pos = self.order.index(v) if self.category else v
        return (pos - self.lo) / ((self.hi - self.lo) or 1)

    def slot(self) -> float:
        """A category's width, as a share of the axis."""
        return 1 / len(self.order) if self.category and self.order else 0.05


class _Svg:
    """The two layers of a static chart: the scaled shapes and the placed marks and text."""

    def __init__(self, prefix: str, top: float, bottom: float):
        self.prefix, self.top, self.bottom = prefix, top, bottom
        self.shapes: list[str] = []
        self.marks: list[str] = []
        self.defs: dict[str, str] = {}
        self.hatches: dict[str, str] = {}  # colour -> its hatch pattern's id: one for every bar it fills

    def y(self, frac: float) -> float:
        return self.bottom - frac * (self.bottom - self.top)

    @staticmethod
    def pct(frac: float) -> str:
        return _n(frac * 100) + "%"

    def text(self, frac: float, y: float, lines: list[str], *, anchor="middle", dx=0.0, size=13, colour="",
             weight="", baseline="central", line_h=1.2, css="") -> None:
        """Text at a percentage across and a pixel height: several lines centred on y."""
        # The SVG's defaults (chart_svg): centred, middle of the line, 13 px.
        attrs = f' class="{css}"' if css else ""
        attrs += f' text-anchor="{anchor}"' if anchor != "middle" else ""
        attrs += f' dx="{_n(dx)}"' if dx else ""
        attrs += f' font-size="{size}"' if size != 13 else ""
        attrs += f' fill="{_esc(colour)}"' if colour else ""
        attrs += f' font-weight="{weight}"' if weight else ""
        first = y - (len(lines) - 1) * size * line_h / 2
        attrs += f' dominant-baseline="{baseline}"' if baseline != "central" else ""
        for k, line in enumerate(lines):
            self.marks.append(f'<text x="{self.pct(frac)}" y="{_n(first + k * size * line_h)}"{attrs}>'
                              f'{_esc(line)}</text>')

    def marker(self, frac: float, y: float, symbol: str, size: float, colour: str) -> None:
        """A marker that keeps its shape at any width: a shared symbol placed with <use>."""
        kind = symbol if symbol in ("square", "diamond") else "circle"
        key = f"{kind}{_n(size)}"
        r = size / 2
        if key not in self.defs:
            shape = {"circle": f'<circle r="{_n(r)}"/>',
                     "square": f'<rect x="{_n(-r)}" y="{_n(-r)}" width="{_n(size)}" height="{_n(size)}"/>',
                     "diamond": f'<path d="M0,{_n(-r * 1.3)}L{_n(r * 1.3)},0L0,{_n(r * 1.3)}L{_n(-r * 1.3)},0Z"/>'}[kind]
            self.defs[key] = f'<g id="{self.prefix}-{key}">{shape}</g>'
        self.marks.append(f'<use href="#{self.prefix}-{key}" x="{self.pct(frac)}" y="{_n(y)}" fill="{_esc(colour)}"/>')


def _each(value, n: int) -> list:
    """A per-point attribute (a list) or one value for all n points."""
    return list(value) if isinstance(value, list) else [value] * n


def _bars(svg: _Svg, trace: dict, xa: _Axis, ya: _Axis, font: int) -> None:
    xs, ys = trace.get("x") or [], trace.get("y") or []
    colours = _each((trace.get("marker") or {}).get("color", "#0072B2"), len(xs))
    patterns = _each(((trace.get("marker") or {}).get("pattern") or {}).get("shape", ""), len(xs))
    texts = _each(trace.get("text", ""), len(xs))
    err = trace.get("error_y") or {}
    ups = _each(err.get("array", 0), len(xs)) if err else [0] * len(xs)
    width = xa.slot() * 0.8
    zero = svg.y(ya.at(0))
    for x, v, colour, pattern, text, up in zip(xs, ys, colours, patterns, texts, ups):
        if v is None:
            continue
        centre, top = xa.at(x), svg.y(ya.at(v))
        left = (centre - width / 2) * SCALE
        fill = _esc(colour)
        if pattern:
            key = svg.hatches.get(fill)
            if key is None:
                key = svg.hatches[fill] = f"hatch{len(svg.defs)}"
                svg.defs[key] = (f'<pattern id="{svg.prefix}-{key}" width="8" height="8" patternUnits="userSpaceOnUse" '
                                 f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{fill}"/>'
                                 f'<rect width="3" height="8" fill="#fff" fill-opacity=".55"/></pattern>')
            fill = f"url(#{svg.prefix}-{key})"
        svg.shapes.append(f'<rect x="{_n(left)}" y="{_n(min(top, zero))}" width="{_n(width * SCALE)}" '
                          f'height="{_n(abs(zero - top))}" fill="{fill}"/>')
        label_y = top
        if up:
            end = svg.y(ya.at(v + up))
            svg.shapes.append(f'<path d="M{_n(centre * SCALE)},{_n(top)}V{_n(end)}" stroke="{_esc(err.get("color", "#333"))}" '
                              f'stroke-width="{_n(err.get("thickness", 2))}" vector-effect="non-scaling-stroke"/>')
            svg.text(centre, end, ["—"], colour=err.get("color", "#333"), size=font)
            label_y = end
        if text and trace.get("textposition", "outside") in ("outside", "auto"):
            svg.text(centre, label_y - font * 0.9, _lines(text), size=font, baseline="auto")


def _scatter(svg: _Svg, trace: dict, xa: _Axis, ya: _Axis, font: int) -> None:
    xs, ys = trace.get("x") or [], trace.get("y") or []
    mode = trace.get("mode", "markers")
    if "lines" in mode:
        line = trace.get("line") or {}
        path, pen = [], "M"
        for x, y in zip(xs, ys):
            if x is None or y is None:
                pen = "M"
                continue
            path.append(f"{pen}{_n(xa.at(x) * SCALE)},{_n(svg.y(ya.at(y)))}")
            pen = "L"
        if path:
            svg.shapes.append(f'<path d="{"".join(path)}" fill="none" stroke="{_esc(line.get("color", "#888"))}" '
                              f'stroke-width="{_n(line.get("width", 2))}" vector-effect="non-scaling-stroke"/>')
    marker = trace.get("marker") or {}
    sizes = _each(marker.get("size", 6), len(xs))
    if "markers" in mode:
        colours = _each(marker.get("color", "#1f77b4"), len(xs))
        symbols = _each(marker.get("symbol", "circle"), len(xs))
        for x, y, size, colour, symbol in zip(xs, ys, sizes, colours, symbols):
            if x is not None and y is not None:
                svg.marker(xa.at(x), svg.y(ya.at(y)), symbol, size, colour)
    if "text" in mode:
        texts = _each(trace.get("text", ""), len(xs))
        places = _each(trace.get("textposition", "middle center"), len(xs))
        tf = trace.get("textfont") or {}
        for x, y, text, place, size in zip(xs, ys, texts, places, sizes):
            if x is None or y is None or not text:
                continue
            anchor = {"left": "end", "right": "start"}.get(place.split()[-1], "middle")
            dx = {"end": -(size / 2 + 4), "start": size / 2 + 4}.get(anchor, 0)
            svg.text(xa.at(x), svg.y(ya.at(y)), _lines(text), anchor=anchor, dx=dx,
                     size=tf.get("size", font), colour=tf.get("color", ""))


def _label_width(lines: list[str], size: float) -> float:
    return max((len(line) for line in lines), default=0) * size * CHAR_W


def chart_svg(figure: dict, prefix: str) -> str:
    """A figure drawn as a static, page-wide SVG in a <div class="chart-static">; prefix makes its ids
    unique on the page."""
    layout, data = figure.get("layout", {}), figure.get("data", [])
    font = (layout.get("font") or {}).get("size", 13)
    height = layout.get("height", 380)
    margin = {"l": 80, "r": 80, "t": 100, "b": 80, **(layout.get("margin") or {})}
    bars = any(tr.get("type") == "bar" for tr in data)
    seps = layout.get("separators", ".,")
    xspec, yspec = layout.get("xaxis") or {}, layout.get("yaxis") or {}
    xa = _Axis(xspec, [v for tr in data for v in tr.get("x") or []], seps, bars=False)
    ya = _Axis(yspec, [v for tr in data for v in tr.get("y") or []], seps, bars=bars)
    tick_size = (yspec.get("tickfont") or {}).get("size", font)
    y_title = _lines(((yspec.get("title") or {}).get("text")) or "")
    y_title = [] if y_title == [""] else y_title
    left = margin["l"]
    if ya.ticks and yspec.get("automargin"):
        left = max(left, max(_label_width(t, tick_size) for _, t in ya.ticks) + 12 + (font * 1.6 if y_title else 0))
    svg = _Svg(prefix, margin["t"], height - margin["b"])
    for f in ya.grid:
        y = svg.y(f)
        svg.shapes.append(f'<path d="M0,{_n(y)}H{SCALE}" stroke="{_esc(yspec.get("gridcolor", "#ddd"))}" '
                          f'stroke-width="1" vector-effect="non-scaling-stroke"/>')
    for f in xa.grid:
        x = _n(f * SCALE)
        svg.shapes.append(f'<path d="M{x},{_n(svg.top)}V{_n(svg.bottom)}" stroke="{_esc(xspec.get("gridcolor", "#ddd"))}" '
                          f'stroke-width="1" vector-effect="non-scaling-stroke"/>')
    for trace in data:
        (_bars if trace.get("type") == "bar" else _scatter)(svg, trace, xa, ya, font)
    for f, lines in ya.ticks:
        svg.text(0, svg.y(f), lines, anchor="end", dx=-6, size=tick_size)
    if y_title:
        mid = _n((svg.top + svg.bottom) / 2)
        svg.marks.append(f'<text transform="rotate(-90)" x="-{mid}" y="{_n(-left + font)}">'
                         f'{_esc(" ".join(y_title))}</text>')
    _x_ticks(svg, xa, xspec, font, height)
    for a in layout.get("annotations") or ():
        y = svg.y(ya.at(a["y"])) if a.get("yref", "y") == "y" else svg.bottom - a["y"] * (svg.bottom - svg.top)
        svg.text(a.get("x", 0), y, _lines(a["text"]), anchor={"left": "start", "right": "end"}.get(
            a.get("xanchor", ""), "middle"), size=(a.get("font") or {}).get("size", font), weight="bold")
    family = (layout.get("font") or {}).get("family", "sans-serif")
    defs = f'<defs>{"".join(svg.defs[k] for k in svg.defs)}</defs>' if svg.defs else ""
    return (f'<div class="chart-static" aria-hidden="true" style="padding:0 {_n(margin["r"])}px 0 {_n(left)}px">'
            f'<svg width="100%" height="{_n(height)}" overflow="visible" font-family="{_esc(family)}" '
            f'font-size="{_n(font)}" fill="currentColor" text-anchor="middle" dominant-baseline="central" '
            f'focusable="false">{defs}'
            f'<svg width="100%" height="{_n(height)}" viewBox="0 0 {SCALE} {_n(height)}" preserveAspectRatio="none" '
            f'overflow="visible">{"".join(svg.shapes)}</svg>{"".join(svg.marks)}</svg></div>')


def _x_ticks(svg: _Svg, xa: _Axis, spec: dict, font: int, height: float) -> None:
    """The x axis's tick labels (under the plot, or over it when its side is the top) and title."""
    size = (spec.get("tickfont") or {}).get("size", font)
    on_top = spec.get("side") == "top"
    many = xa.category and len(xa.ticks) > (12 if on_top else 6)
    for n, (frac, lines) in enumerate(xa.ticks):
        if many:
            # Many categories: each name slanted, as plotly turns them when they do not fit.
            at, turn, anchor = (svg.top - 8, -60, "start") if on_top else (svg.bottom + 8, -40, "end")
            svg.marks.append(f'<svg x="{svg.pct(frac)}" overflow="visible"><text transform="translate(0,'
                             f'{_n(at)}) rotate({turn})" text-anchor="{anchor}"'
                             f'{"" if size == font else f" font-size={chr(34)}{size}{chr(34)}"}>'
                             f'{_esc(" ".join(lines))}</text></svg>')
            continue
        if xa.category:
            # Short lines, so that a phone's narrow columns keep their names apart (over the plot the
            # margin has room for five lines of a word or two; under it, for three).
            lines = [part for line in lines for part in textwrap.wrap(line, 8 if on_top else 18)] or [""]
        block = (len(lines) - 1) * size * 1.2
        y = svg.top - 8 - block / 2 - size / 2 if on_top else svg.bottom + 8 + size / 2 + block / 2
        # Years across a phone's width would touch: style.css hides every other one there.
        svg.text(frac, y, lines, size=size, css="alt" if n % 2 and not xa.category and len(xa.ticks) > 6 else "")
    title = _lines(((spec.get("title") or {}).get("text")) or "")
    if title != [""]:
        svg.text(0.5, height - font, title)
