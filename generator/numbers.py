"""Figures that cannot be true: a percent outside 0-100, a negative count, amount of money or number of days.

Checked once the KPIs are valid, so each problem points at the value's own line in its file.
"""

from __future__ import annotations

from collections.abc import Iterator

from .dataset import Dataset, problem_at
from .errors import Problems
from .models.kpi import Kpi, Unit
from .yamlio import Loc

RANGES: dict[Unit, tuple[float, float | None]] = {
    Unit.PERCENT: (0, 100),
    Unit.COUNT: (0, None),
    Unit.DAYS: (0, None),
    Unit.GBP: (0, None),
    Unit.RATE_PER_10000: (0, 10_000),
}
_WHAT = {
    Unit.PERCENT: "a percent",
    Unit.COUNT: "a count",
    Unit.DAYS: "a number of days",
    Unit.GBP: "an amount of money",
    Unit.RATE_PER_10000: "a rate per 10,000",
}


def _figures(kpi: Kpi) -> Iterator[tuple[Loc, float, Unit]]:
    for i, value in enumerate(kpi.values):
        yield ("values", i, "value"), value.value, kpi.unit
    if kpi.target is not None:
        yield ("target",), kpi.target, kpi.unit
    if kpi.previous_year is not None:
        yield ("previous_year", "value"), kpi.previous_year.value, kpi.unit
    if kpi.year_to_date is not None:
        yield ("year_to_date", "value"), kpi.year_to_date.value, kpi.unit
    for b, benchmark in enumerate(kpi.benchmarks):
        for i, value in enumerate(benchmark.values):
            yield ("benchmarks", b, "values", i, "value"), value.value, kpi.unit
    for b, breakdown in enumerate(kpi.breakdowns):
        for i, item in enumerate(breakdown.items):
            yield ("breakdowns", b, "items", i, "value"), item.value, breakdown.unit


def check_numbers(dataset: Dataset) -> Problems:
    """A located error for every KPI figure outside what its unit allows."""
    problems = Problems()
    for kpi_id, kpi in dataset.kpis.items():
        doc = dataset.documents[dataset.origin("kpis", kpi_id)]
        for loc, value, unit in _figures(kpi):
            low, high = RANGES.get(unit, (None, None))
            if low is not None and value < low:
                problems.add(problem_at(doc, loc, f"{_WHAT[unit]} cannot be below {low:g}", f"{value:g}"))
            elif high is not None and value > high:
                problems.add(
                    problem_at(
                        doc,
                        loc,
                        f"{_WHAT[unit]} cannot be above {high:,g}",
                        f"{value:g}",
                        "write a percent as 73.5, not 735" if unit is Unit.PERCENT else None,
                    )
                )
    return problems
