"""Reading a spreadsheet of figures: a CSV file, or one sheet of an XLSX workbook.

Every cell keeps where it came from, so a problem names the place the officer will look:
`values.csv:14:3` (line and column) or `kpis.xlsx:Values!C14` (sheet and cell).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..site_folder import os_failure

MAX_ROWS = 1_000_000
"""More rows than any council's figures need: a bigger file is refused before it is read in full."""


class SheetError(ValueError):
    """The file cannot be read as a table; the message is one line naming the file."""


@dataclass(frozen=True)
class Cell:
    """One cell's text (numbers as written, empty as "") and its place."""

    text: str
    where: str


@dataclass(frozen=True)
class Sheet:
    """A table: its header names (lower case, trimmed) and its rows of cells."""

    name: str
    header: tuple[str, ...]
    rows: tuple[dict[str, Cell], ...]
    header_where: dict[str, str]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The table in a .csv file, or in one sheet of an .xlsx/.xlsm/.ods file (default: "Values", else the first)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet:
            raise SheetError(f"{path.name}: a CSV file has no sheets; leave out --sheet")
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm", ".ods", ".xls"):
        return _read_workbook(path, sheet)
    raise SheetError(f"{path.name}: panelsite imports .csv and .xlsx files (got {suffix or 'no extension'})")


def _read_csv(path: Path) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetError(os_failure(exc, path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(f"{path.name}: is not UTF-8 text; save it from Excel as 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row = next(reader)
    except (StopIteration, csv.Error):
        raise SheetError(f"{path.name}: is empty") from None
    header = tuple(name.strip().lower() for name in header_row)
    name = path.name
    rows = []
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS:
                raise SheetError(f"{name}: has more than {MAX_ROWS:,} rows")
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            rows.append(
                {
                    column: Cell(row[i].strip() if i < len(row) else "", f"{name}:{line}:{i + 1}")
                    for i, column in enumerate(header)
                }
            )
    except csv.Error as exc:
        raise SheetError(f"{name}:{reader.line_num}: not readable as CSV ({exc})") from None
    return Sheet(name, header, tuple(rows), {c: f"{name}:1:{i + 1}" for i, c in enumerate(header)})


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value).strip() if value is not None else ""


def _read_workbook(path: Path, sheet: str | None) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except OSError as exc:
        raise SheetError(os_failure(exc, path)) from None
    except Exception as exc:  # noqa: BLE001 - the reader's own errors have no common base class
        raise SheetError(f"{path.name}: not readable as a workbook ({type(exc).__name__})") from None
    names = list(book.sheet_names)
    chosen = sheet or ("Values" if "Values" in names else names[0] if names else None)
    if chosen not in names:
        listed = ", ".join(names) or "none"
        raise SheetError(f"{path.name}: has no sheet named {chosen!r} (its sheets: {listed})")
    grid = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    if not grid:
        raise SheetError(f"{path.name}:{chosen}: is empty")
    if len(grid) > MAX_ROWS:
        raise SheetError(f"{path.name}:{chosen}: has more than {MAX_ROWS:,} rows")
    header = tuple(_cell_text(value).lower() for value in grid[0])
    place = f"{path.name}:{chosen}!"
    rows = []
    for number, row in enumerate(grid[1:], start=2):
        cells = [_cell_text(value) for value in row]
        if not any(cells):
            continue
        rows.append(
            {
                column: Cell(cells[i] if i < len(cells) else "", f"{place}{column_letter(i)}{number}")
                for i, column in enumerate(header)
                if column
            }
        )
    where = {c: f"{place}{column_letter(i)}1" for i, c in enumerate(header) if c}
    return Sheet(f"{path.name}:{chosen}", tuple(c for c in header if c), tuple(rows), where)
