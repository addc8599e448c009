"""`panelsite template kpis FILE.xlsx`: a spreadsheet ready to fill in, in the layout import reads.

Three sheets: **Values** (the council's KPIs, one row per figure already published, in the EES long
layout, with drop-down lists for the time identifier, the geographic level and the indicator),
**Indicators** (each KPI's label, unit, polarity, target and source, for reference) and
**Instructions** (what to write where, in plain words). Importing the file unchanged changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from ..models.common import MONTH_NAMES
from ..models.kpi import Kpi
from ..open_data import COLUMNS, kpi_rows
from ..settings import Settings
from .ees import SYMBOLS

TIME_IDENTIFIERS = (
    *MONTH_NAMES,
    "Financial year",
    *(f"Financial year Q{q}" for q in range(1, 5)),
    "Calendar year",
    "Day",
)

INSTRUCTIONS = (
    "How to use this spreadsheet",
    "",
    "1. On the Values sheet, add one row for each new figure: the period, your area or a comparator, the "
    "indicator and the value. Leave the rows that are already there as they are.",
    "2. time_period and time_identifier say when: a month is the calendar year and the month (2023 and "
    "March); a financial year is both years run together (202223) with 'Financial year'; a quarter adds "
    "its number ('Financial year Q3'); a whole year is 2023 with 'Calendar year'.",
    "3. geographic_level is 'Local authority' for your own council's figures, 'National' for England, or "
    "the name of one of your comparators (for example statistical neighbours).",
    "4. value is the figure as a number: a percent as 62, not 0.62 or 62%. When a figure is held back, write "
    "the symbol instead of a number: " + "; ".join(f"{s} = {meaning}" for s, meaning in SYMBOLS.items()) + ".",
    "5. Never put records about individual children in this file: only totals, rates and percentages.",
    "6. Save the file, then run: panelsite import FILE.xlsx --source <the id of the report in data/sources.yml>. "
    "Add --dry-run first to see what would change. Every problem is listed with its cell, and nothing is "
    "written until there are none.",
    "7. To start a new indicator, add a row on the Indicators sheet: a short id in lower case with hyphens, its "
    "label, its unit (%, rate per 10000, count, number, days or £), High or Low for which way is better, its "
    "target if it has one, the source's id and its definition (exactly what is counted). Then give its figures on "
    "the Values sheet under that id: the import starts its page.",
)


def write_template(path: Path, kpis: dict[str, Kpi], settings: Settings) -> int:
    """Write the workbook; returns how many figures its Values sheet holds."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    values = book.active
    values.title = "Values"
    values.append(list(COLUMNS))
    rows = list(kpi_rows(kpis, settings))
    for row in rows:
        values.append([_typed(row[c]) if c == "value" else row[c] for c in COLUMNS])
    last = max(len(rows) + 200, 1000)
    lists = {
        "time_identifier": ",".join(TIME_IDENTIFIERS),
        "geographic_level": ",".join(["Local authority", "National", *(c.name for c in settings.comparators)]),
    }
    for column, choices in lists.items():
        letter = chr(ord("A") + COLUMNS.index(column))
        check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=False, showErrorMessage=True)
        check.error = f"Choose a {column} from the list."
        values.add_data_validation(check)
        check.add(f"{letter}2:{letter}{last}")
    indicators = book.create_sheet("Indicators")
    indicators.append(["indicator", "label", "unit", "polarity", "target", "source", "definition", "theme"])
    for kpi_id in sorted(kpis):
        kpi = kpis[kpi_id]
        described = [kpi.id, kpi.title, kpi.unit.value, kpi.polarity.value, kpi.target, kpi.source.doc]
        indicators.append([*described, kpi.definition, kpi.theme])
    letter = chr(ord("A") + COLUMNS.index("indicator"))
    pick = DataValidation(type="list", formula1=f"=Indicators!$A$2:$A${len(kpis) + 200}", showErrorMessage=True)
    pick.error = "Choose an indicator listed on the Indicators sheet."
    values.add_data_validation(pick)
    pick.add(f"{letter}2:{letter}{last}")
    guide = book.create_sheet("Instructions", 0)
    for line in INSTRUCTIONS:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    for sheet in (values, indicators):
        sheet.freeze_panes = "A2"
    book.active = 1
    book.save(path)
    return len(rows)


def _typed(text: str) -> float | str:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text
