"""Performance indicators (KPIs): one file per indicator in `data/kpis/<id>.yml`."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .common import Citation, ComparatorName, PeriodText, Slug, Strict, Text


class Unit(str, Enum):
    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_10000 = "rate per 10,000"
    DAYS = "days"
    GBP = "gbp"
    NUMBER = "number"


class Polarity(str, Enum):
    HIGHER_IS_BETTER = "higher is better"
    LOWER_IS_BETTER = "lower is better"
    INFORMATION_ONLY = "information only"


class Frequency(str, Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    OCCASIONAL = "occasional"


BenchmarkName = ComparatorName
"""A benchmark's name: any of the `comparators` configured in site_config.yml (checked when data loads)."""


class Cover(str, Enum):
    """What stretch of time a value sums up, beside its own period."""

    PERIOD = "period"
    YEAR_TO_DATE = "year to date"
    ROLLING_12_MONTHS = "rolling 12 months"
    PART = "part of the period"


BAND_PATTERN = re.compile(r"^(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


class Value(Strict):
    """One observed value of the indicator for one period."""

    period: PeriodText = Field(description="2022-12 (month), 2022-12-31 (day), 2022/23 Q3, 2022/23 or 2022.")
    value: float = Field(description="The value in the KPI's unit (a percent as 73.0, not 0.73).")
    numerator: int | None = Field(
        None, ge=0, le=10_000_000, description="For a percent or rate: how many met the measure."
    )
    denominator: int | None = Field(
        None, gt=0, le=10_000_000, description="For a percent or rate: how many were counted."
    )
    provisional: bool = Field(False, description="True while the figure may still change.")
    covers: Cover = Field(
        Cover.PERIOD,
        description="'period' (the default), 'year to date' (the financial year up to "
        "this month), 'rolling 12 months' (the 12 months to this period) or 'part of the period' "
        "(never compared with a whole one).",
    )
    note: Text | None = Field(None, description="A caveat about this value (definition change, data gap).")
    source: Citation | None = Field(None, description="Overrides the KPI's source for this value.")
    reported: dt.date | None = Field(
        None,
        description="When this figure first reached the panel (YYYY-MM-DD); by default the date of its "
        "source document. A meeting pack shows only figures reported on or before its meeting.",
    )
    revised: bool = Field(
        False, description="True when the figure was revised after it was first published (set by `panelsite import`)."
    )
    new_series: bool = Field(
        False,
        description="True when this value starts a new series (the definition or method changed): nothing "
        "is compared across the break, and charts show it. Say what changed in `note`.",
    )


GSS_SYMBOLS = {
    "c": "confidential: held back so that no one can be identified",
    "x": "not available",
    "z": "not applicable",
    "low": "a small number that rounds to zero, but is not zero",
    "u": "too unreliable to publish",
    ":": "not available",
}
"""The Government Statistical Service's symbols for a figure that is not published, and what each means."""

Symbol = Literal["c", "x", "z", "low", "u", ":"]


class Withheld(Strict):
    """A period whose figure is not published: a GSS symbol stands in its place, and it is never zero."""

    period: PeriodText = Field(description="The period the figure is for, as in `values`.")
    symbol: Symbol = Field(
        description="Why there is no figure: c (confidential, suppressed), x or : (not available), z (not "
        "applicable), low (rounds to zero but is not zero), u (too unreliable to publish)."
    )
    note: Text | None = Field(None, description="More about why, if the source says.")
    source: Citation | None = Field(None, description="Where the symbol comes from, if not the KPI's source.")
    revised: bool = Field(False, description="True when this replaced a figure published earlier.")

    @property
    def meaning(self) -> str:
        """What the symbol says, in words."""
        return GSS_SYMBOLS[self.symbol]


class Benchmark(Strict):
    """A comparator series, one of the configured `comparators`: England, statistical neighbours, a region…"""

    name: BenchmarkName = Field(
        description="Which comparator this is: one of the names in site_config.yml `comparators` (by default england, statistical neighbours, best statistical neighbour, top quartile)."
    )
    values: list[Value] = Field(min_length=1, description="The comparator's values by period.")
    withheld: list[Withheld] = Field(
        default_factory=list, description="Periods whose comparator figure is not published (a GSS symbol)."
    )
    source: Citation | None = Field(None, description="Where the comparator comes from, if not the KPI's source.")


class BreakdownItem(Strict):
    label: Text = Field(description="The category, e.g. 'Foster care'.")
    value: float = Field(description="The count or share for this category.")


class Breakdown(Strict):
    """A split of the indicator into categories at one point in time (shown as a bar chart)."""

    title: Text = Field(description="What is split, e.g. 'Children in care by type of home'.")
    period: PeriodText = Field(description="When the split was taken.")
    unit: Unit = Field(description="Unit of the item values.")
    items: list[BreakdownItem] = Field(min_length=2, description="The categories and their values.")
    source: Citation = Field(description="Where the split comes from.")


class YearToDate(Strict):
    """A financial-year-to-date figure, shown beside the latest month."""

    period: PeriodText = Field(description="The financial year, e.g. 2022/23.")
    to: PeriodText = Field(description="The last month counted, e.g. 2022-12.")
    value: float = Field(description="The year-to-date value.")
    a_year_earlier: float | None = Field(
        None, description="The year-to-date value at the same point of the year before."
    )


class Target(Strict):
    """A target set for one period (councils often set them each financial year)."""

    period: PeriodText = Field(description="The period the target is for, e.g. 2022/23; values inside it use it.")
    value: float = Field(description="The target value in the KPI's unit.")


class YoungKpi(Strict):
    title: Text = Field(description="A plain-words title, e.g. 'Care leavers in a safe home'.")
    explanation: Text = Field(description="Two or three short sentences on what this number means.")


class Kpi(Strict):
    """A performance indicator and its values over time."""

    id: Slug = Field(description="The indicator's id; the file is data/kpis/<id>.yml and the page /performance/<id>/.")
    ref: Text | None = Field(None, description="The council's own reference, e.g. '4.30'.")
    title: Text = Field(description="The indicator's name.")
    headline: Text | None = Field(
        None, description="A sentence that states the message, e.g. 'More children are in care than in similar areas'."
    )
    definition: Text = Field(description="What exactly is counted.")
    theme: Text = Field(description="Group on the scorecard, e.g. 'Placement stability'.")
    unit: Unit = Field(description="count, percent, 'rate per 10,000', days, gbp or number.")
    polarity: Polarity = Field(description="'higher is better', 'lower is better' or 'information only'.")
    frequency: Frequency = Field(description="How often it is reported.")
    target: float | None = Field(
        None,
        description="A target with no period of its own (see `targets`): it judges only values reported on or "
        "after `target_set`, and not across a break in the series made after then.",
    )
    target_set: dt.date | None = Field(
        None,
        description="When the bare `target` and the `rag` bands were set (YYYY-MM-DD); by default the date of "
        "the KPI's `source` document. Values reported before it are not judged against them.",
    )
    targets: list[Target] = Field(
        default_factory=list,
        description="Targets by period; a value uses the target whose period holds it, else `target`.",
    )
    rag: dict[str, str] | None = Field(
        None,
        description="RAG bands, e.g. {green: '>= 95', amber: '>= 87', red: '< 87'}; checked green, amber, red in turn.",
    )
    source: Citation = Field(description="Where the values come from.")
    values: list[Value] = Field(min_length=1, description="The values over time.")
    withheld: list[Withheld] = Field(
        default_factory=list,
        description="Periods whose figure is not published: each with its GSS symbol (c, x, z, low, u, :), "
        "shown as not published and never as zero.",
    )
    year_to_date: YearToDate | None = Field(None, description="Financial year to date, if reported.")
    previous_year: Value | None = Field(None, description="The previous financial year's outturn, e.g. 2021/22.")
    benchmarks: list[Benchmark] = Field(default_factory=list, description="Comparators.")
    breakdowns: list[Breakdown] = Field(default_factory=list, description="Splits by category.")
    notes: list[Text] = Field(default_factory=list, description="Caveats and context.")
    young: YoungKpi | None = Field(
        None, description="Plain words for the young people's edition (required if the KPI is listed there)."
    )

    @field_validator("rag")
    @classmethod
    def _bands(cls, bands: dict[str, str] | None) -> dict[str, str] | None:
        if bands is None:
            return None
        unknown = set(bands) - {"green", "amber", "red"}
        if unknown:
            raise ValueError(f"RAG bands are green, amber and red (got {', '.join(sorted(unknown))})")
        for name, rule in bands.items():
            if not BAND_PATTERN.match(str(rule).strip()):
                raise ValueError(f"band {name} should look like '>= 95' or '< 87' (got {rule!r})")
        if "green" not in bands or "red" not in bands:
            raise ValueError("RAG bands need at least green and red")
        cleaned = {name: str(rule).strip() for name, rule in bands.items()}
        problem = band_coverage_problem(cleaned)
        if problem:
            raise ValueError(problem)
        return cleaned

    @model_validator(mode="after")
    def _unique_periods(self) -> Kpi:
        seen: set[str] = set()
        for value in self.values:
            if value.period in seen:
                raise ValueError(f"values has the period {value.period} twice")
            seen.add(value.period)
        for withheld in self.withheld:
            if withheld.period in seen:
                raise ValueError(f"the period {withheld.period} is in both values and withheld; keep one")
            seen.add(withheld.period)
        targets: set[str] = set()
        for target in self.targets:
            if target.period in targets:
                raise ValueError(f"targets has the period {target.period} twice")
            targets.add(target.period)
        if self.rag and self.polarity is Polarity.INFORMATION_ONLY:
            raise ValueError("rag bands are not allowed on an 'information only' KPI")
        return self


def _band(rule: str) -> tuple[str, float]:
    """A band's operator and threshold; `_bands` has checked every rule against BAND_PATTERN."""
    match = BAND_PATTERN.match(rule)
    assert match is not None
    return match.group(1), float(match.group(2))


def _matches(rule: str, value: float) -> bool:
    operator, threshold = _band(rule)
    return {">=": value >= threshold, "<=": value <= threshold, ">": value > threshold, "<": value < threshold}[
        operator
    ]


def band_coverage_problem(bands: dict[str, str]) -> str | None:
    """Why the bands leave a gap or overlap, or None when every value falls in exactly one.

    Bands are read green, then amber, then red, so amber may be written as '>= 87' under a green
    '>= 95'; but red must not share any value with green or amber, and no value may be left out.
    """
    thresholds = sorted({_band(rule)[1] for rule in bands.values()})
    probes = [(thresholds[0] - 1e6, "a very low value"), (thresholds[-1] + 1e6, "a very high value")]
    for low, high in zip(thresholds, thresholds[1:], strict=False):
        probes.append(((low + high) / 2, f"a value between {low:g} and {high:g}"))
    for threshold in thresholds:
        probes += [
            (threshold - 1e-9, f"a value just below {threshold:g}"),
            (threshold, f"{threshold:g}"),
            (threshold + 1e-9, f"a value just above {threshold:g}"),
        ]
    for probe, shown in probes:
        hits = [name for name in ("green", "amber", "red") if name in bands and _matches(bands[name], probe)]
        if not hits:
            return f"the RAG bands leave a gap: {shown} is in no band"
        if "red" in hits and len(hits) > 1:
            return f"the RAG bands overlap: {shown} is both red and {hits[0]}"
    return None
