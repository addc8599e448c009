"""An indicator sheet beside the figures: what `panelsite import` needs to start a new KPI.

Read from the workbook's `Indicators` sheet, or from `<name>.meta.csv` beside a CSV file (as
Explore Education Statistics publishes its metadata). A row names the indicator's id and gives its
label, unit and definition (and, if known, polarity, target, theme and source); units and
polarities are read as a spreadsheet writes them (`%`, `rate per 10000`, `High`). An indicator
whose id is already a KPI is left as it is: the sheet only ever starts new ones, and a new KPI is
written with the figures of the same import, never with placeholder words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Problems
from ..models.common import Period
from ..yaml_edit import Flow, dump_block
from .ees import Observation, split_where
from .sheets import Cell, Sheet, SheetError, read_sheet

UNITS = {
    "%": "percent",
    "percent": "percent",
    "percentage": "percent",
    "rate per 10000": "rate per 10,000",
    "rate per 10,000": "rate per 10,000",
    "per 10000": "rate per 10,000",
    "per 10,000": "rate per 10,000",
    "count": "count",
    "number": "number",
    "days": "days",
    "£": "gbp",
    "gbp": "gbp",
}
POLARITIES = {
    "high": "higher is better",
    "higher is better": "higher is better",
    "up": "higher is better",
    "low": "lower is better",
    "lower is better": "lower is better",
    "down": "lower is better",
    "": "information only",
    "information only": "information only",
    "neutral": "information only",
}
FREQUENCIES = {
    "month": "monthly",
    "day": "monthly",
    "quarter": "quarterly",
    "financial_year": "annual",
    "year": "annual",
}


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator sheet."""

    id: str
    cells: dict[str, Cell]

    def get(self, *names: str) -> str:
        """The first of these columns that the row fills in, else ""."""
        return next((self.cells[n].text for n in names if n in self.cells and self.cells[n].text), "")


def indicator_sheet(file: Path, sheet: str | None) -> Sheet | None:
    """The indicator sheet that goes with `file`, if there is one."""
    if file.suffix.lower() == ".csv":
        meta = file.with_name(file.name[: -len(".csv")] + ".meta.csv")
        return read_sheet(meta) if meta.is_file() else None
    if sheet == "Indicators":
        return None
    try:
        return read_sheet(file, "Indicators")
    except SheetError:
        return None


def indicators(sheet: Sheet) -> dict[str, Indicator]:
    """Rows by indicator id (`indicator`, or EES's `col_name` on its Indicator rows)."""
    found: dict[str, Indicator] = {}
    for row in sheet.rows:
        kind = row.get("col_type")
        if kind is not None and kind.text.lower() != "indicator":
            continue
        key = row.get("indicator") or row.get("col_name")
        if key is not None and key.text:
            found[key.text.strip()] = Indicator(key.text.strip(), row)
    return found


def _problem(cell: Cell, field: str, message: str, hint: str | None = None) -> Problem:
    file, line, column = split_where(cell.where)
    return Problem(file, line, column, field, message, hint=hint)


def new_kpi_text(
    row: Indicator,
    found: list[Observation],
    sources: set[str],
    default_source: str | None,
    themes: list[str],
) -> tuple[str | None, Problems]:
    """The YAML of a new KPI from its row and its figures, or the problems that stop it."""
    problems = Problems()
    own = [o for o in found if o.area is None]
    where = row.cells.get("indicator") or row.cells.get("col_name") or next(iter(row.cells.values()))
    label = row.get("label", "title")
    definition = row.get("definition")
    unit = UNITS.get(" ".join(row.get("unit", "indicator_unit").lower().split()))
    polarity = POLARITIES.get(row.get("polarity").lower().strip())
    source = row.get("source") or default_source
    if not label:
        problems.add(_problem(where, "label", f"{row.id}: a new KPI needs its label (its title on the site)"))
    if not definition:
        problems.add(
            _problem(
                where,
                "definition",
                f"{row.id}: a new KPI needs its definition, what exactly is counted (a `definition` column)",
                "panelsite never publishes placeholder words: add the column, or use `panelsite new kpi`",
            )
        )
    if unit is None:
        known = ", ".join(sorted({k for k in UNITS if k}))
        problems.add(
            _problem(where, "unit", f"{row.id}: the unit {row.get('unit', 'indicator_unit')!r} is not one of {known}")
        )
    if polarity is None:
        problems.add(
            _problem(
                where, "polarity", f"{row.id}: polarity should be High, Low or left empty (got {row.get('polarity')!r})"
            )
        )
    if not source or source not in sources:
        problems.add(
            _problem(
                where,
                "source",
                f"{row.id}: give the id of its document in data/sources.yml (a `source` column or --source)",
            )
        )
    numbers = [o for o in own if o.symbol is None]
    if not numbers:
        problems.add(_problem(where, "indicator", f"{row.id}: a new KPI needs at least one figure for your own area"))
    if problems.has_errors:
        return None, problems
    kinds = {Period(o.period).kind for o in numbers}
    frequency = FREQUENCIES.get(kinds.pop(), "occasional") if len(kinds) == 1 else "occasional"
    target = row.get("target")
    record: dict[str, object] = {
        "title": label,
        "definition": definition,
        "theme": row.get("theme") or (themes[0] if themes else "Other"),
        "unit": unit,
        "polarity": polarity,
        "frequency": frequency,
    }
    if target and re.fullmatch(r"-?\d+(\.\d+)?", target):
        record["target"] = float(target) if "." in target else int(target)
    record["source"] = Flow(doc=source)
    record["values"] = [Flow(period=o.period, value=o.value) for o in sorted(numbers, key=lambda o: o.period)]
    held = [Flow(period=o.period, symbol=o.symbol) for o in sorted(own, key=lambda o: o.period) if o.symbol]
    if held:
        record["withheld"] = held
    theirs = sorted({o.area for o in found if o.area is not None and o.symbol is None})
    if theirs:
        record["benchmarks"] = [
            {
                "name": name,
                "values": [
                    Flow(period=o.period, value=o.value)
                    for o in sorted(found, key=lambda o: o.period)
                    if o.area == name and o.symbol is None
                ],
            }
            for name in theirs
        ]
    header = f"# Started by `panelsite import` from its indicator sheet ({where.where.split(':')[0]}).\n"
    return header + "\n".join(dump_block(record, 0)) + "\n", problems
