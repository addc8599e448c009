"""Plain text made safe for the outputs MkDocs and spreadsheets read: page titles and CSV cells.

**Titles.** MkDocs treats a page's title as HTML: a title it takes from a page's `# heading` is
the heading's rendered HTML, and MkDocs and Material insert `page.title` and nav labels
unescaped into the navigation, the search index (whose results Material shows as HTML) and the
browser title. panelsite's titles are plain text from the data, so each is written escaped
(`html_title`): `<img src=x onerror=…>` or `<javascript:alert(1)>` in a record's title is shown as
written and is never an element, a link or a script.

**CSV** that a spreadsheet opens as data, never as formulas (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
(and treat a leading tab or carriage return the same way once trimmed); a source title such as
`=HYPERLINK("http://…")` in a download would run on the reader's machine. Every CSV panelsite
writes goes through `safe_rows`:

- a **text** cell that starts with one of those characters gets a single quote in front
  (`'=HYPERLINK(…)`, `'@council`, `'-England`), which spreadsheets show and never run;
- a **number** cell (a column written from a number, such as `value`) is left as it is when it
  is a plain number, so `-4.5` stays a negative number a spreadsheet can add up; a number column
  holding anything else is treated as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Characters that make a spreadsheet read a cell as a formula (OWASP's list, with line feed)."""
_PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def html_title(text: str) -> str:
    """A plain-text title as MkDocs wants a page or nav title: HTML, with `<` and `>` escaped.

    Those two are all it takes to start an element or an autolink. `&` is left as it is: a
    browser shows a lone `&` as itself, and an engine that escapes titles again (Zensical, which
    builds the export) would otherwise show "Yorkshire &amp; Humber".
    """
    return text.replace("<", "&lt;").replace(">", "&gt;")


def safe_cell(value: object, numeric: bool = False) -> str:
    """The cell as written: text starting like a formula gets a leading `'`; plain numbers stay."""
    text = "" if value is None else str(value)
    if numeric and _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_rows(header: Sequence[str], rows: Iterable[Sequence[object]], numeric: Iterable[str] = ()) -> str:
    """CSV text (`\\n` line ends) with every cell made safe; columns named in `numeric` keep numbers."""
    numbers = {header.index(name) for name in numeric}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell, index in numbers) for index, cell in enumerate(row)])
    return buffer.getvalue()
