"""Building blocks shared by every collection: strict base model, citations, quotes, periods."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
)
from pydantic_core import CoreSchema, core_schema

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
URL_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_NOT_IN_URLS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\{}|^]")


def check_url(value: str) -> str:
    """A web address that can only be a link: https:, http:, mailto:, tel: or a relative path.

    `javascript:`, `data:` and every other scheme are refused, and so are spaces, quotes, angle
    brackets, braces and backslashes, so the value can never close an attribute or start markup.
    """
    bad = _NOT_IN_URLS.search(value)
    if bad:
        raise ValueError(
            f"a web address cannot hold {'spaces' if bad.group(0).isspace() else repr(bad.group(0))}; "
            "write it as one unbroken address"
        )
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        raise ValueError(f"web addresses may start https:, http:, mailto: or tel: only (got {scheme.group(1)}:)")
    if value.startswith("//"):
        raise ValueError("write the address in full, starting https://")
    return value


Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_url)]
"""A link target: https:, http:, mailto:, tel: or a relative path; never `javascript:`."""
MAX_PEOPLE = 100_000
"""No count of people in this service comes near this; a bigger number is a typing mistake."""
MAX_AGE = 30
"""No age in this service goes beyond this; the configured `upper_age` (25 by default) is checked on load."""
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
"""A colour written as #rrggbb."""
ComparatorName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9 ,'&()-]*$"
    ),
]
"""A benchmark's name, in lower case words; it must be one of the configured `comparators`."""


class Strict(BaseModel):
    """Base for every record: unknown fields are errors, values are frozen after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


class Citation(Strict):
    """Where a fact comes from: a document listed in `data/sources.yml` and the place in it."""

    doc: Slug = Field(description="The id of a document in data/sources.yml.")
    where: Text | None = Field(None, description="Section, page, table or paragraph in that document.")


class Quote(Strict):
    """What a young person said, summarised in our own words and attributed by role and age only.

    There is deliberately no field for a name: young people are never named.
    """

    text: Text = Field(description="A short summary of what was said, in our own words.")
    role: Text = Field(description="Who said it, by role, e.g. 'Children in Care Council member'.")
    age: int | None = Field(
        None, ge=5, le=MAX_AGE, description="Their age at the time, if known (up to the configured upper_age)."
    )

    @property
    def attribution(self) -> str:
        return f"{self.role}, {self.age}" if self.age else self.role


_PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")),
    ("financial_year", re.compile(r"^(\d{4})/(\d{2})$")),
    ("year", re.compile(r"^(\d{4})$")),
]
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, whatever the machine's locale (one list for the whole package)."""


class Period(str):
    """A reporting period written as text: `2022-12-31` (a day), `2022-12` (a month),
    `2022/23 Q3` (a financial quarter), `2022/23` (a financial year) or `2022` (a year).

    Periods sort by the day they end on.
    """

    kind: str
    end: dt.date

    def __new__(cls, text: str) -> Period:
        text = str(text).strip()
        for kind, pattern in _PERIOD_PATTERNS:
            match = pattern.match(text)
            if match:
                period = super().__new__(cls, text)
                period.kind = kind
                period.end = _period_end(kind, match.groups())
                return period
        raise ValueError("period should look like 2022-12-31, 2022-12, 2022/23 Q3, 2022/23 or 2022")

    @property
    def label(self) -> str:
        """Human wording: 'December 2022', '31 December 2022', '2022/23 Q3'."""
        if self.kind == "day":
            return f"{self.end.day} {MONTH_NAMES[self.end.month - 1]} {self.end.year}"
        if self.kind == "month":
            return f"{MONTH_NAMES[self.end.month - 1]} {self.end.year}"
        return str(self)

    @property
    def preposition(self) -> str:
        """'on 31 March 2011', but 'in December 2022' and 'in 2021/22'."""
        return "on" if self.kind == "day" else "in"

    @property
    def short_label(self) -> str:
        if self.kind == "month":
            return f"{MONTH_NAMES[self.end.month - 1][:3]} {self.end.year}"
        if self.kind == "day":
            return f"{self.end.day} {MONTH_NAMES[self.end.month - 1][:3]} {self.end.year}"
        return str(self)


def _period_end(kind: str, groups: tuple[str, ...]) -> dt.date:
    year = int(groups[0])
    if kind == "day":
        return dt.date(year, int(groups[1]), int(groups[2]))
    if kind == "month":
        month = int(groups[1])
        if not 1 <= month <= 12:
            raise ValueError("month should be 01 to 12")
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if kind in ("quarter", "financial_year"):
        if int(groups[1]) != (year + 1) % 100:
            raise ValueError(f"a financial year runs over two years in a row, e.g. {year}/{(year + 1) % 100:02d}")
        if kind == "financial_year":
            return dt.date(year + 1, 3, 31)
        quarter = int(groups[2])
        return [dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31), dt.date(year + 1, 3, 31)][
            quarter - 1
        ]
    return dt.date(year, 12, 31)


def parse_period(value: object) -> Period:
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("period should be text such as 2022-12")
    return Period(value)


def _period_schema(_source: Any, _handler: GetCoreSchemaHandler) -> CoreSchema:
    # Validated as a string first (so the JSON Schema says "string" and a bare number such as
    # 2022 is refused as before), then parsed into the `Period` the field really holds.
    return core_schema.no_info_after_validator_function(parse_period, core_schema.str_schema())


PeriodText = Annotated[Period, GetPydanticSchema(_period_schema)]
"""A period field: text in the file (a string in the JSON Schema), a `Period` once loaded."""


@dataclass(frozen=True, order=True)
class DayOrMonth:
    """A date as precise as the source: a day (`2016-10-12`) or, when the papers give only the
    month, a month (`2016-10`), shown as "12 October 2016" or "October 2016". Sorts by its first day."""

    start: dt.date
    precision: str = "day"  # "day" or "month"

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def is_month(self) -> bool:
        return self.precision == "month"

    @property
    def label(self) -> str:
        month_year = f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        return month_year if self.is_month else f"{self.start.day} {month_year}"

    def isoformat(self) -> str:
        return self.start.isoformat()[:7] if self.is_month else self.start.isoformat()

    def __str__(self) -> str:
        return self.isoformat()


_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{2})$")


def _day_or_month(value: object, handler: ValidatorFunctionWrapHandler) -> DayOrMonth:
    if isinstance(value, DayOrMonth):
        return value
    match = _MONTH_ONLY.match(value) if isinstance(value, str) else None
    if match:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError("month should be 01 to 12")
        return DayOrMonth(dt.date(int(match.group(1)), month, 1), "month")
    return DayOrMonth(handler(value), "day")


def _day_or_month_schema(_source: Any, _handler: GetCoreSchemaHandler) -> CoreSchema:
    # A month is caught before the date parser sees it; anything else is parsed as a date (with
    # pydantic's own messages) and wrapped. Not generated from the dataclass, which would ask for
    # `start` and `precision` fields.
    return core_schema.no_info_wrap_validator_function(_day_or_month, core_schema.date_schema())


DayOrMonthDate = Annotated[
    DayOrMonth,
    GetPydanticSchema(_day_or_month_schema),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
            "description": "YYYY-MM-DD, or YYYY-MM when only the month is known.",
        }
    ),
]
"""A date field that accepts a whole month where the source gives no day; a `DayOrMonth` once loaded."""
