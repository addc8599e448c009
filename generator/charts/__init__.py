"""Accessible, deterministic charts (Matplotlib object API, SVG with real text)."""

from .kpi_charts import RenderedChart, chart_timings, csv_text, render_kpi_charts, table_rows
from .layout import ChartTextOutside
from .render import ChartCache

__all__ = [
    "ChartCache",
    "ChartTextOutside",
    "RenderedChart",
    "chart_timings",
    "csv_text",
    "render_kpi_charts",
    "table_rows",
]
