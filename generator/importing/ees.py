"""The EES "tidy" long layout: one row per figure, read into observations panelsite can place.

Columns (DfE's open data standards, as Explore Education Statistics and LAIT publish them):
`time_period`, `time_identifier`, `geographic_level`, the geography columns (`country_code`,
`country_name`, `region_code`, `region_name`, `new_la_code`, `la_name`, `old_la_code`), then
`indicator` (a KPI id) and `value`. Any other column is a filter panelsite does not know, and is
refused. A value may be a GSS symbol instead of a number; it keeps its meaning and is never zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import Problem, Problems
from ..models.common import MONTH_NAMES
from ..models.kpi import GSS_SYMBOLS
from ..settings import Settings
from .sheets import Cell, Sheet

REQUIRED = ("time_period", "time_identifier", "geographic_level", "indicator", "value")
GEOGRAPHY = ("country_code", "country_name", "region_code", "region_name", "new_la_code", "old_la_code", "la_name")
OPTIONAL = ("note", "provisional")

SYMBOLS = GSS_SYMBOLS
"""The GSS symbols a value may be instead of a number, and what each means."""

CHILD_LEVEL_COLUMNS = {
    "child",
    "childid",
    "child_id",
    "lachildid",
    "la_child_id",
    "upn",
    "dob",
    "date_of_birth",
    "nhs_number",
    "name",
    "forename",
    "surname",
    "postcode",
    "home_post_code",
}
"""Columns that only a file about individual children has (SSDA903, CIN census, Annex A)."""

_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_FINANCIAL = re.compile(r"^(\d{4})(\d{2})$")


class ChildLevelFile(ValueError):
    """The file holds records about individual children; panelsite imports figures only."""


@dataclass(frozen=True)
class Observation:
    """One figure for one indicator, one area and one period, with where it came from."""

    indicator: str
    area: str | None
    """None for the council's own area, else the comparator's name."""
    period: str
    value: float | None
    symbol: str | None
    where: Cell
    """The value's cell."""
    indicator_cell: Cell


def refuse_child_level(sheet: Sheet) -> None:
    """Raise `ChildLevelFile` when the header names a column only child-level records have."""
    found = sorted(set(sheet.header) & CHILD_LEVEL_COLUMNS)
    if found:
        raise ChildLevelFile(
            f"{sheet.name}: this looks like a file of records about individual children (it has "
            f"{', '.join(found)} columns); panelsite publishes only totals and rates, so it imports only "
            "figures already added up, such as the tables you send to DfE or download from Explore Education "
            "Statistics. Nothing was read."
        )


def period_of(time_period: str, time_identifier: str) -> str | None:
    """panelsite's period for an EES time (`2023` + `March` -> `2023-03`), or None if it has none.

    `Day` with a `YYYY-MM-DD` time_period is panelsite's own addition, for figures taken on a day.
    """
    identifier = " ".join(time_identifier.split()).lower()
    period = time_period.strip()
    if identifier in _MONTHS and re.fullmatch(r"\d{4}", period):
        return f"{period}-{_MONTHS[identifier]:02d}"
    if identifier == "calendar year" and re.fullmatch(r"\d{4}", period):
        return period
    if identifier == "day" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return period
    financial = _FINANCIAL.match(period)
    if financial and (int(financial.group(1)) + 1) % 100 == int(financial.group(2)):
        year = f"{financial.group(1)}/{financial.group(2)}"
        if identifier == "financial year":
            return year
        quarter = re.fullmatch(r"financial year q([1-4])", identifier)
        if quarter:
            return f"{year} Q{quarter.group(1)}"
    return None


def ees_time(period: str) -> tuple[str, str]:
    """The EES `time_period` and `time_identifier` for a panelsite period (the reverse of `period_of`)."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return period[:4], MONTH_NAMES[int(period[5:7]) - 1]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return period, "Day"
    quarter = re.fullmatch(r"(\d{4})/(\d{2}) Q([1-4])", period)
    if quarter:
        return quarter.group(1) + quarter.group(2), f"Financial year Q{quarter.group(3)}"
    financial = re.fullmatch(r"(\d{4})/(\d{2})", period)
    if financial:
        return financial.group(1) + financial.group(2), "Financial year"
    return period, "Calendar year"


def _area(row: dict[str, Cell], settings: Settings) -> tuple[str | None, bool, str | None]:
    """(comparator name or None for our own area, whether the row is ours to import, a problem)."""
    level = " ".join(row["geographic_level"].text.split()).lower()
    comparators = {c.name: c for c in settings.comparators}
    if level == "national":
        country = row.get("country_name", Cell("", "")).text.lower() or "england"
        return (country, True, None) if country in comparators else (None, False, None)
    if level == "regional":
        region = " ".join(row.get("region_name", Cell("", "")).text.split()).lower()
        return (region, True, None) if region in comparators else (None, False, None)
    if level in ("local authority", "local authority district"):
        code = row.get("new_la_code", Cell("", "")).text.upper()
        name = " ".join(row.get("la_name", Cell("", "")).text.split()).lower()
        ours = (settings.la_code and code == settings.la_code.upper()) or name == settings.area_name.lower()
        return None, bool(ours), None
    if level in comparators:
        return level, True, None
    known = "National, Regional, Local authority" + "".join(f", {c}" for c in comparators)
    return None, False, f"should be one of {known} (got {row['geographic_level'].text!r})"


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def observations(sheet: Sheet, settings: Settings) -> tuple[list[Observation], Problems, int]:
    """Every row about our area or a configured comparator; the problems; and how many rows were others'."""
    problems = Problems()
    refuse_child_level(sheet)
    missing = [c for c in REQUIRED if c not in sheet.header]
    if missing:
        first = sheet.header_where.get(sheet.header[0]) if sheet.header else None
        file, line, column = split_where(first or f"{sheet.name}:1:1")
        message = f"needs the columns {', '.join(missing)}"
        problems.add(Problem(file, line, column, "header", message, hint=_layout_hint()))
        return [], problems, 0
    for name in sheet.header:
        if name not in (*REQUIRED, *GEOGRAPHY, *OPTIONAL):
            file, line, col = split_where(sheet.header_where[name])
            problems.add(
                Problem(
                    file,
                    line,
                    col,
                    name,
                    "is a column panelsite does not know; filter the sheet to the figures you mean and remove it",
                    hint=_layout_hint(),
                )
            )
    if problems.has_errors:
        return [], problems, 0
    found: list[Observation] = []
    others = 0
    for row in sheet.rows:
        area, ours, area_problem = _area(row, settings)
        if area_problem:
            _add(problems, row["geographic_level"], "geographic_level", area_problem)
            continue
        if not ours:
            others += 1
            continue
        period = period_of(row["time_period"].text, row["time_identifier"].text)
        if period is None:
            _add(
                problems,
                row["time_identifier"],
                "time_identifier",
                f"{row['time_period'].text!r} + {row['time_identifier'].text!r} is not a period panelsite knows",
                "write a month (2023 + March), a financial year (202223 + Financial year), a quarter (202223 + "
                "Financial year Q3) or a calendar year (2023 + Calendar year)",
            )
            continue
        cell = row["value"]
        symbol = cell.text.lower() if cell.text.lower() in SYMBOLS else None
        value = None if symbol else _number(cell.text)
        if symbol is None and value is None:
            what = "is empty" if not cell.text else "is not a number or a GSS symbol"
            hint = f"write the figure, or a symbol: {', '.join(SYMBOLS)} (for example c when it is suppressed)"
            _add(problems, cell, "value", what + (f" (got {cell.text!r})" if cell.text else ""), hint)
            continue
        indicator = row["indicator"].text.strip()
        found.append(Observation(indicator, area, period, value, symbol, cell, row["indicator"]))
    return found, problems, others


def _layout_hint() -> str:
    return "the columns are " + ", ".join((*REQUIRED[:3], "the geography columns", *REQUIRED[3:]))


def split_where(where: str) -> tuple[str, int, int]:
    """A cell's place as a problem's file, line and column (a workbook cell keeps its A1 name)."""
    match = re.fullmatch(r"(.*):(\d+):(\d+)", where)
    if match:
        return match.group(1), int(match.group(2)), int(match.group(3))
    workbook = re.fullmatch(r"(.*)!([A-Z]+)(\d+)", where)
    if workbook:
        return f"{workbook.group(1)}!{workbook.group(2)}{workbook.group(3)}", 0, 0
    return where, 0, 0


def _add(problems: Problems, cell: Cell, field: str, message: str, hint: str | None = None) -> None:
    file, line, column = split_where(cell.where)
    problems.add(Problem(file, line, column, field, message, hint=hint))
