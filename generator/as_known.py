"""Figures as the panel knew them: when each KPI value first reached the panel, and what a day could see.

Rules (tested in tests/test_as_known.py):

1. A value's `reported` date is its own, else the `date` of its source document in data/sources.yml
   (the value's own `source`, else its benchmark's, else the KPI's). `resolve_dates` fills it in
   once, when the data loads; a value whose source carries no date keeps `reported: None`.
2. A KPI's `target_set` (when its bare `target` and `rag` bands were set) is its own, else the date
   of the KPI's `source` document.
3. `kpi_as_known(kpi, day)` keeps only the values reported on or before `day` (benchmarks and the
   previous year's outturn too; a year-to-date figure goes with the month it runs to). A value with
   no reported date falls back to its period's end, the best the data can say.
"""

from __future__ import annotations

import datetime as dt

from .models.common import Citation
from .models.kpi import Kpi, Value
from .models.source import Sources


def source_dates(sources: Sources | None) -> dict[str, dt.date]:
    """The date of each source document that carries one, by id."""
    return {d.id: d.date for d in sources.documents if d.date} if sources else {}


def _dated(value: Value, citation: Citation, dates: dict[str, dt.date]) -> Value:
    if value.reported is not None:
        return value
    when = dates.get((value.source or citation).doc)
    return value.model_copy(update={"reported": when}) if when else value


def resolve_dates(kpi: Kpi, dates: dict[str, dt.date]) -> Kpi:
    """The KPI with each value's `reported` and its `target_set` filled in from the source dates."""
    values = [_dated(v, kpi.source, dates) for v in kpi.values]
    benchmarks = [
        b.model_copy(update={"values": [_dated(v, b.source or kpi.source, dates) for v in b.values]})
        for b in kpi.benchmarks
    ]
    previous = _dated(kpi.previous_year, kpi.source, dates) if kpi.previous_year else None
    target_set = kpi.target_set or dates.get(kpi.source.doc)
    update = {"values": values, "benchmarks": benchmarks, "previous_year": previous, "target_set": target_set}
    if all(getattr(kpi, name) == new for name, new in update.items()):
        return kpi
    return kpi.model_copy(update=update)


_LAST: dict[str, tuple[Kpi, dict[str, dt.date], Kpi]] = {}
"""The last load's results by KPI id: an unchanged record (the loader hands back the very same
object) under unchanged source dates gets back the very same resolved object, so `serve` keeps
comparing unchanged pages' inputs by identity (see `generator.render_memo`)."""


def with_reported_dates(kpis: dict[str, Kpi], sources: Sources | None) -> dict[str, Kpi]:
    """Every KPI with its dates filled in (see `resolve_dates`), in the same order."""
    dates = source_dates(sources)
    resolved: dict[str, Kpi] = {}
    for key, kpi in kpis.items():
        kept = _LAST.get(key)
        if kept is not None and kept[0] is kpi and kept[1] == dates:
            resolved[key] = kept[2]
        else:
            resolved[key] = resolve_dates(kpi, dates)
            _LAST[key] = (kpi, dates, resolved[key])
    return resolved


def reported_on(value: Value) -> dt.date:
    """When the value reached the panel: its `reported` date, else (undated source) its period's end."""
    return value.reported or value.period.end


def known_on(value: Value, day: dt.date) -> bool:
    """True when the value had reached the panel by `day`."""
    return reported_on(value) <= day


def kpi_as_known(kpi: Kpi, day: dt.date) -> Kpi | None:
    """The indicator as the panel knew it on `day`, or None when no value had reached it yet."""
    values = [v for v in kpi.values if known_on(v, day)]
    if not values:
        return None
    benchmarks = []
    for benchmark in kpi.benchmarks:
        kept = [v for v in benchmark.values if known_on(v, day)]
        if kept:
            benchmarks.append(benchmark.model_copy(update={"values": kept}))
    previous = kpi.previous_year if kpi.previous_year and known_on(kpi.previous_year, day) else None
    ytd = kpi.year_to_date
    year_to_date = ytd if ytd and any(v.period == ytd.to for v in values) else None
    return kpi.model_copy(
        update={"values": values, "benchmarks": benchmarks, "previous_year": previous, "year_to_date": year_to_date}
    )


def scorecard_as_known(kpis: dict[str, Kpi], day: dt.date) -> list[Kpi]:
    """Every indicator that had a value reported by `day`, as the panel knew it then."""
    return [k for k in (kpi_as_known(kpi, day) for kpi in kpis.values()) if k is not None]
