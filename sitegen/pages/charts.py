"""Each chart's own pages: its permalink page and its embed page, made once every page that draws
charts is made (a chart's page links back to the first page that drew it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..charts import Chart
from .kit import ChartView, Kit, Link, Page


@dataclass(frozen=True)
class ChartPageContext:
    """A chart's own page (permalink; template chart.html) or its embed page (template embed.html)."""

    template: ClassVar[str] = "chart.html"
    chart: ChartView
    back: Link


@dataclass(frozen=True)
class EmbedContext(ChartPageContext):
    """A chart's embed page (template embed.html): the chart alone, to show in an iframe."""

    template: ClassVar[str] = "embed.html"


def chart_pages(k: Kit, charts: dict[str, tuple[Chart, str]]) -> list[Page]:
    """The permalink and embed pages of charts: chart id -> (chart, the path of the page it links back to)."""
    pages = []
    for cid in sorted(charts):
        chart, home = charts[cid]
        for kind, path_fn, context in (("chart", urls.chart_path, ChartPageContext),
                                       ("embed", urls.embed_path, EmbedContext)):
            path = path_fn(cid)
            base = k.base(path, chart.title, chart.description, "", scripts=urls.CHART_SCRIPTS,
                          crumbs=k.home_crumbs() if kind == "chart" else ())
            back = Link(k.t("chart_back"), k.url(path, home))
            pages.append(k.page(path, base, context(k.chart_view(path, chart), back)))
    return pages


def chart_reads(chart: Chart) -> frozenset:
    """What a chart's own pages read besides BASE_READS: the plans its data names (the deadlines of
    their targets go into its downloaded image's subtitle: Kit.chart_deadlines)."""
    cols = chart.csv_columns
    found = [c for c in ("plan_id", "latest_plan_id") if c in cols]
    return frozenset(("plan", row[cols.index(c)]) for c in found for row in chart.csv_rows)
