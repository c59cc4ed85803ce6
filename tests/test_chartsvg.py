"""Issue 20 item 5: every chart drawn at build time as a static SVG (sitegen/chartsvg.py): in the page,
one shape per bar and a mark per node, the same bytes every build, no markup from the corpus; a share's
axis ends at 100%; the network says which instruments it leaves out."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sitegen.charts import comparison_chart, network_chart
from sitegen.chartsvg import chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _row(label: str, value: float, kind: str = "official") -> dict:
    return {"plan_id": label.lower().replace(" ", "-"), "target_id": "t1", "label": label, "value": value,
            "value_max": None, "comparator": "eq", "unit": "percent", "subject_text": "xã", "comparability": "same",
            "deadline": 2025, "source_kind": kind, "quote": f"{value}% xã"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
                         .replace('href="', 'data-href="'))


def test_bars_of_a_share_are_drawn_once_each_on_an_axis_ending_at_100():
    chart = comparison_chart("c", "Title", [_row("Quảng Ninh 2021", 100), _row("Ninh Thuận 2020", 40, "press")],
                             "%", "vi", "Nguồn")
    assert chart.figure["layout"]["yaxis"]["range"] == [0, 100]
    svg = chart_svg(chart.figure, "cs-c")
    assert svg == chart_svg(chart.figure, "cs-c")  # deterministic
    root = _parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") and float(r.get("height")) > 20]
    assert len(bars) == 2
    # The 100% bar fills the plot from its floor to its top (margin 40, height 380, bottom margin 96).
    full = max(bars, key=lambda r: float(r.get("height")))
    assert float(full.get("y")) == 40 and float(full.get("height")) == 380 - 96 - 40
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "100%" in texts and "40%" in texts and "Quảng Ninh 2021" in texts
    assert 'fill="url(#cs-c-hatch' in svg  # the press-reported bar is hatched, as on the page


def test_press_bars_share_one_hatch_pattern():
    """Issue 19 item 6: every press-reported bar of a colour is filled by one pattern, not one each."""
    rows = [_row(f"Tỉnh {n}", 10 + n, "press" if n % 2 else "official") for n in range(8)]
    svg = chart_svg(comparison_chart("c", "T", rows, "%", "vi", "S").figure, "cs-c")
    assert svg.count("<pattern ") == 1 and svg.count('fill="url(#cs-c-hatch0)"') == 4


def test_no_markup_from_the_corpus_reaches_the_svg():
    chart = comparison_chart("c", "T", [_row('<script>alert(1)</script> & "x"', 50)], "%", "vi", "S")
    svg = chart_svg(chart.figure, "cs-c")
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/" in svg and "&amp; &quot;x&quot;" in svg
    _parse(svg)  # well-formed


def _network(undated=()):
    plans = [{"label": "Quảng Ninh 2021", "year": 2021}, {"label": "Tuyên Quang 2019", "year": 2019}]
    insts = [{"label": "Chỉ thị 36-CT/TW", "short": "36-CT/TW", "year": 2019, "level": "Trung ương Đảng", "rank": 1},
             {"label": "Nghị định 116/2021/NĐ-CP", "short": "116/2021/NĐ-CP", "year": 2021, "level": "Chính phủ",
              "rank": 2}]
    return network_chart("n", "Mạng", plans, insts, [(0, 0), (0, 1), (1, 0)], "vi", "S", undated)


def test_the_network_is_drawn_with_every_node_and_label():
    svg = chart_svg(_network().figure, "cs-n")
    root = _parse(svg)
    assert len(list(root.iter(f"{SVG}use"))) == 4  # two plans, two instruments
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"36-CT/TW", "116/2021/NĐ-CP", "Quảng Ninh 2021", "Tuyên Quang 2019", "Trung ương Đảng"} <= texts
    # the three links in one path of three strokes
    path = next(p for p in root.iter(f"{SVG}path") if p.get("fill") == "none")
    assert len(re.findall("M", path.get("d"))) == 3


def test_the_network_says_which_instruments_it_leaves_out():
    assert _network().notes == () and _network().omitted == ()
    chart = _network(("Luật Phòng, chống ma túy năm 2021",))
    assert chart.omitted == ("Luật Phòng, chống ma túy năm 2021",)
    assert "1 trong 3" in chart.notes[0]
