"""Accessible, deterministic charts (Matplotlib object API, SVG with real text)."""

from .kpi_charts import RenderedChart, csv_text, render_kpi_charts, table_rows
from .render import ChartCache

__all__ = ["ChartCache", "RenderedChart", "csv_text", "render_kpi_charts", "table_rows"]
