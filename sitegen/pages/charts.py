"""Each chart's own page (its permalink, which is also its embed: opened at #embed it shows the
chart alone), made once every page that draws charts is made (a chart's page links back to the
first page that drew it); and where its embed page was, a redirect to it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..charts import Chart
from .kit import ChartView, Kit, Link, Page, deadlines_plan_column


@dataclass(frozen=True)
class ChartPageContext:
    """A chart's own page (permalink and embed; template chart.html)."""

    template: ClassVar[str] = "chart.html"
    chart: ChartView
    back: Link


@dataclass(frozen=True)
class EmbedRedirectContext:
    """Where a chart's embed page was (template embed.html): a redirect to the chart page at #embed.
    The embed page repeated the chart page's figure and table (at 10,000 plans 360 MB for 2,954
    charts); an embed code copied before it went still shows the chart."""

    template: ClassVar[str] = "embed.html"
    title: str
    target: str  # the chart page at #embed, relative to the redirect


def chart_pages(k: Kit, charts: dict[str, tuple[Chart, str]]) -> list[Page]:
    """The pages of charts, and the redirects from their old embed pages: chart id -> (chart, the
    path of the page it links back to)."""
    pages = []
    for cid in sorted(charts):
        chart, home = charts[cid]
        path = urls.chart_path(cid)
        base = k.base(path, chart.title, chart.description, "", scripts=urls.CHART_SCRIPTS, crumbs=k.home_crumbs())
        back = Link(k.t("chart_back"), k.url(path, home))
        pages.append(k.page(path, base, ChartPageContext(k.chart_view(path, chart), back)))
        old = urls.embed_path(cid)
        pages.append(k.page(old, k.base(old, chart.title, chart.description, ""),
                            EmbedRedirectContext(chart.title, k.url(old, urls.embed_url(cid)))))
    return pages


def chart_reads(chart: Chart) -> frozenset:
    """What a chart's own pages read besides BASE_READS: the plans its data names when the deadlines
    of their targets, which go into its downloaded image's subtitle, are not in its data
    (Kit.chart_deadlines); nothing for a chart whose points carry them."""
    pid = deadlines_plan_column(chart)
    if pid is None:
        return frozenset()
    at = chart.csv_columns.index(pid)
    return frozenset(("plan", row[at]) for row in chart.csv_rows)
