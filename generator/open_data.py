"""The KPI data set as open data: one CSV in the EES long layout, and its `.meta.csv`.

The same layout `panelsite import` reads, so a council's published figures can be taken back in
exactly (a test imports this CSV into a copy whose values were removed and gets the same values).
The council's own rows are at `Local authority` level (with its `la_code`, if set); England's at
`National`; every other comparator's rows name the comparator in `geographic_level`, since
statistical neighbours and quartiles are not places. A suppressed figure keeps its GSS symbol.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .importing.ees import ees_time
from .models.kpi import Kpi, Value
from .settings import Settings

COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "new_la_code",
    "la_name",
    "indicator",
    "value",
)
META_COLUMNS = (
    "col_name",
    "col_type",
    "label",
    "indicator_unit",
    "indicator_dp",
    "filter_hint",
    "filter_grouping_column",
)
ENGLAND_CODE = "E92000001"
UNIT_SIGNS = {"percent": "%", "gbp": "£"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _cell(value: Value) -> str:
    return _number(value.value)


def _rows(kpi: Kpi, settings: Settings) -> Iterator[dict[str, str]]:
    own = {"geographic_level": "Local authority", "new_la_code": settings.la_code or "", "la_name": settings.area_name}
    series = [(own, kpi.values, kpi.withheld)]
    for benchmark in kpi.benchmarks:
        level = "National" if benchmark.name == "england" else benchmark.name
        series.append(({"geographic_level": level}, benchmark.values, benchmark.withheld))
    for place, values, withheld in series:
        cells = [(str(v.period), _cell(v)) for v in values] + [(str(w.period), w.symbol) for w in withheld]
        for period_text, cell in cells:
            period, identifier = ees_time(period_text)
            yield {"time_period": period, "time_identifier": identifier, **place, "indicator": kpi.id, "value": cell}


def kpi_rows(kpis: dict[str, Kpi], settings: Settings) -> Iterator[dict[str, str]]:
    """Every KPI's values and benchmarks, one row per figure, every column filled ("" when empty)."""
    for kpi_id in sorted(kpis):
        for row in _rows(kpis[kpi_id], settings):
            yield {column: "" for column in COLUMNS} | {"country_code": ENGLAND_CODE, "country_name": "England", **row}


def kpi_csv(kpis: dict[str, Kpi], settings: Settings) -> str:
    """Every KPI's values and benchmarks, one row per figure, in the EES long layout."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in kpi_rows(kpis, settings):
        writer.writerow(_safe(row))
    return out.getvalue()


def kpi_meta_csv(kpis: dict[str, Kpi]) -> str:
    """The `.meta.csv` beside it: one row per indicator, with its label and unit, as EES publishes."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=META_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for kpi_id in sorted(kpis):
        kpi = kpis[kpi_id]
        writer.writerow(
            _safe(
                {
                    "col_name": kpi.id,
                    "col_type": "Indicator",
                    "label": kpi.title,
                    "indicator_unit": UNIT_SIGNS.get(kpi.unit.value, ""),
                    "indicator_dp": "",
                    "filter_hint": "",
                    "filter_grouping_column": "",
                }
            )
        )
    return out.getvalue()


def _safe(row: dict[str, str]) -> dict[str, str]:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    return {
        k: "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(v) else v for k, v in row.items()
    }


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
