"""Derived KPI values, computed in one place: latest, direction, judgement, RAG, comparisons.

What this module works out is typed data (`Figures`, `Base`, `Comparison` and the enums below);
the words that say it, in either edition, are made in `generator.kpi_words`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from operator import attrgetter

from .comparators import DEFAULT_COMPARATORS, Comparator, find
from .models.common import MONTH_NAMES, Period
from .models.kpi import BAND_PATTERN, Benchmark, BenchmarkName, Cover, Kpi, Polarity, Unit, Value

RAG_ORDER = ("green", "amber", "red")
SMALL_COUNT = 10


class Moved(StrEnum):
    """Raw direction of travel from the comparison base to the latest value."""

    UP = "up"
    DOWN = "down"
    SAME = "same"  # a change below the unit's threshold (`about_the_same`)


class Judged(StrEnum):
    """Whether a change (or a place against a benchmark) is better or worse given the KPI's polarity."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


class Relation(StrEnum):
    """Where the area's own value stands against a benchmark's for the same period."""

    ABOVE = "above"
    BELOW = "below"
    SAME = "same"  # about the same (`about_the_same`)


class Extreme(StrEnum):
    """The highest or lowest value shown."""

    HIGHEST = "highest"
    LOWEST = "lowest"


class BaseKind(Enum):
    """What the latest value is compared with (`comparison_base`)."""

    A_YEAR_EARLIER = "a year earlier"  # the same month (or month-end day) a year before
    SAME_POINT_A_YEAR_EARLIER = "same point a year earlier"  # a year-to-date figure's
    YEAR_BEFORE = "year before"  # a (financial) year's figure, the year before
    MONTH_BEFORE = "month before"
    QUARTER_BEFORE = "quarter before"
    PREVIOUS = "previous"  # the previous figure of the same kind, neither a year nor one step before


class TargetWithheld(Enum):
    """Why the KPI's bare target does not judge a value (`target_withheld`)."""

    SET_LATER = "set later"  # set after the value was reported
    OLD_MEASURE = "old measure"  # set for the measure before a break in the series


ABOUT_THE_SAME = {
    Unit.PERCENT: ("points", 0.5),
    Unit.RATE_PER_10000: ("share", 0.02),
    Unit.COUNT: ("share", 0.02),
    Unit.DAYS: ("share", 0.02),
    Unit.GBP: ("share", 0.02),
    Unit.NUMBER: ("share", 0.02),
}
"""Below these a change is 'about the same': under 0.5 percentage points, or under 2% of the earlier value."""
FAR_FACTOR = 5
"""A peak or low is worth a mention when the latest value is this many 'about the same' steps from it."""
SMALL_BASE = 30
"""A percent counted out of fewer than this many children is shown with its count."""


_PERIOD_END = attrgetter("period.end")


def sorted_values(values: list[Value]) -> list[Value]:
    """The values by the end of their period (sorted some 13,000 times a build: the key is C's)."""
    return sorted(values, key=_PERIOD_END)


def latest(kpi: Kpi) -> Value:
    return sorted_values(kpi.values)[-1]


def frequency_group(period: Period) -> str:
    """The frequency a period belongs to: a day counts as a monthly snapshot ('month')."""
    return "month" if period.kind in ("day", "month") else period.kind


def series_group(value: Value) -> tuple[str, str]:
    """Values drawn as one line share a frequency and what they cover."""
    return frequency_group(value.period), value.covers.value


def shown_values(kpi: Kpi) -> list[Value]:
    """The values of the latest value's frequency and cover: what the chart draws as the main line."""
    group = series_group(latest(kpi))
    return [v for v in sorted_values(kpi.values) if series_group(v) == group]


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def comparable(first: Value, second: Value) -> bool:
    """Same length of period and same cover: month with month (or a month's last day), year with year."""
    if first.covers is Cover.PART or second.covers is Cover.PART or first.covers is not second.covers:
        return False
    kinds = {first.period.kind, second.period.kind}
    if kinds == {"day", "month"}:
        day = first.period if first.period.kind == "day" else second.period
        return _month_end(day.end)
    return len(kinds) == 1


def _own_values(kpi: Kpi) -> list[Value]:
    values = list(kpi.values)
    if kpi.previous_year and all(v.period != kpi.previous_year.period for v in values):
        values.append(kpi.previous_year)
    return sorted_values(values)


def same_series(kpi: Kpi, first: Value, second: Value) -> bool:
    """True when no break in the series (a value with `new_series`) lies after the earlier of the two
    and at or before the later: values either side of a break are never compared."""
    early, late = sorted((first.period.end, second.period.end))
    return not any(v.new_series and early < v.period.end <= late for v in _own_values(kpi))


def series_start(kpi: Kpi, value: Value | None = None) -> Value | None:
    """The break that starts the value's series (the latest by default), when earlier values exist
    before it; None when the value's series runs from the first value."""
    value = value or latest(kpi)
    own = _own_values(kpi)
    found = [v for v in own if v.new_series and v.period.end <= value.period.end]
    if not found:
        return None
    start = found[-1]
    return start if any(v.period.end < start.period.end for v in own) else None


def _a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _months(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class Base:
    """The value the latest is compared with, and how to name it."""

    value: Value
    kind: BaseKind


_PREVIOUS_KINDS = {
    "month": BaseKind.MONTH_BEFORE,
    "quarter": BaseKind.QUARTER_BEFORE,
    "financial_year": BaseKind.YEAR_BEFORE,
    "year": BaseKind.YEAR_BEFORE,
}
_STEP_MONTHS = {"month": 1, "quarter": 3, "financial_year": 12, "year": 12}


def comparison_base(kpi: Kpi) -> Base | None:
    """The same period a year earlier if given, else the previous period of the same length; never another kind."""
    now = latest(kpi)
    own = _own_values(kpi)
    breaks = [v.period.end for v in own if v.new_series]  # `same_series`, with the values sorted once
    earlier = [
        v
        for v in own
        if v.period.end < now.period.end
        and comparable(now, v)
        and not any(v.period.end < end <= now.period.end for end in breaks)
    ]
    if not earlier:
        return None
    group = frequency_group(now.period)
    year_before = _a_year_before(now.period.end)
    for value in earlier:
        same_month = _months(value.period.end) == _months(year_before)
        if same_month and (now.period.kind != "day" or value.period.end == year_before or _month_end(value.period.end)):
            if group in ("financial_year", "year"):
                return Base(value, BaseKind.YEAR_BEFORE)
            year_to_date = now.covers is Cover.YEAR_TO_DATE
            return Base(value, BaseKind.SAME_POINT_A_YEAR_EARLIER if year_to_date else BaseKind.A_YEAR_EARLIER)
    previous = earlier[-1]
    step = _months(now.period.end) - _months(previous.period.end)
    if step == _STEP_MONTHS[group] and now.period.kind != "day":
        return Base(previous, _PREVIOUS_KINDS[group])
    return Base(previous, BaseKind.PREVIOUS)


def about_the_same(unit: Unit, before: float, after: float) -> bool:
    """True when the change is below the unit's threshold (0.5 points for percents, 2% otherwise)."""
    kind, size = ABOUT_THE_SAME[unit]
    if kind == "points":
        return abs(after - before) < size
    return abs(after - before) < size * abs(before) if before else after == before


def _far(unit: Unit, value: float, other: float) -> bool:
    kind, size = ABOUT_THE_SAME[unit]
    limit = size * FAR_FACTOR * (1 if kind == "points" else abs(value) or abs(other))
    return other != value and abs(other - value) >= limit


def extremes(kpi: Kpi) -> list[tuple[Extreme, Value]]:
    """The highest and lowest shown values of the latest's series, when the latest is far from them
    (and they are not its base)."""
    values = shown_values(kpi)
    now, base = values[-1], comparison_base(kpi)
    breaks = [v.period.end for v in _own_values(kpi) if v.new_series]  # `same_series`, sorting once
    values = [v for v in values if not any(min(v.period.end, now.period.end) < end <= now.period.end for end in breaks)]
    if len(values) < 3:
        return []
    found = []
    for which, pick in ((Extreme.HIGHEST, max), (Extreme.LOWEST, min)):
        chosen = pick(values, key=lambda v: v.value)
        if chosen is not now and (base is None or chosen is not base.value) and _far(kpi.unit, now.value, chosen.value):
            found.append((which, chosen))
    return found


def previous(kpi: Kpi) -> Value | None:
    """The value the latest is compared with (see `comparison_base`)."""
    base = comparison_base(kpi)
    return base.value if base else None


def moved(unit: Unit, before: float, after: float) -> Moved:
    """Which way `after` lies from `before`: up, down or the same (below the unit's threshold)."""
    if about_the_same(unit, before, after):
        return Moved.SAME
    return Moved.UP if after > before else Moved.DOWN


def direction(kpi: Kpi) -> Moved | None:
    """Raw direction of travel from the comparison base to the latest: up, down or same (about the same)."""
    before = previous(kpi)
    if before is None:
        return None
    return moved(kpi.unit, before.value, latest(kpi).value)


def judgement(kpi: Kpi) -> Judged | None:
    """Whether the direction is better or worse given the KPI's polarity (None for information only)."""
    raw = direction(kpi)
    if raw is None or kpi.polarity is Polarity.INFORMATION_ONLY:
        return None
    if raw is Moved.SAME:
        return Judged.SAME
    good = Moved.UP if kpi.polarity is Polarity.HIGHER_IS_BETTER else Moved.DOWN
    return Judged.BETTER if raw is good else Judged.WORSE


def target_entry(kpi: Kpi, value: Value | None = None) -> tuple[float, Period | None] | None:
    """The target for the value's period and that period: a `targets` entry holding it, else the
    bare `target` when it applies to the value (see `set_judges`)."""
    value = value or latest(kpi)
    for target in kpi.targets:
        if period_start(target.period) <= value.period.end <= target.period.end:
            return target.value, target.period
    return (kpi.target, None) if kpi.target is not None and set_judges(kpi, value) else None


def set_judges(kpi: Kpi, value: Value) -> bool:
    """Whether the bare `target` and the `rag` bands, set on `kpi.target_set`, judge this value.

    They judge a value reported on or after the day they were set, and not one beyond a break in
    the series made after that day (a target is set for the measure as it then was). With no
    `target_set`, or no `reported` date on the value, nothing limits them.
    """
    set_on = kpi.target_set
    if set_on is None or value.reported is None:
        return True
    if value.reported < set_on:
        return False
    return not any(
        v.new_series and v.period.end <= value.period.end and (v.reported or v.period.end) > set_on
        for v in _own_values(kpi)
    )


def target_for(kpi: Kpi, value: Value | None = None) -> float | None:
    """The target value for the value's period (None when there is none)."""
    entry = target_entry(kpi, value)
    return entry[0] if entry else None


def period_start(period: Period) -> dt.date:
    end = period.end
    months = {"day": 0, "month": 1, "quarter": 3, "financial_year": 12, "year": 12}[period.kind]
    if months == 0:
        return end
    first = _months(end) - months + 1
    return dt.date(first // 12, first % 12 + 1, 1)


def target_withheld(kpi: Kpi, value: Value | None = None) -> TargetWithheld | None:
    """Why the bare target does not judge the value (set after it was reported, or for the measure
    before a break); None when it does or there is none (`generator.kpi_words.withheld_words` says it)."""
    value = value or latest(kpi)
    if kpi.target is None or target_entry(kpi, value) is not None or kpi.target_set is None:
        return None
    if value.reported is not None and value.reported < kpi.target_set:
        return TargetWithheld.SET_LATER
    return TargetWithheld.OLD_MEASURE


def band_matches(rule: str, value: float) -> bool:
    match = BAND_PATTERN.match(rule.strip())
    if not match:
        raise ValueError(f"not a band rule: {rule!r}")
    operator, threshold = match.group(1), float(match.group(2))
    return {">=": value >= threshold, "<=": value <= threshold, ">": value > threshold, "<": value < threshold}[
        operator
    ]


def rag_status(kpi: Kpi, value: float | None = None) -> str | None:
    """The first band (green, amber, red) the value falls in.

    A KPI with a target but no bands is green when the target is met and red when not; None when it
    has neither (or is information only). The latest value (the default) is judged only by bands and
    a bare target that apply to it (see `set_judges`).
    """
    judged = latest(kpi) if value is None else None
    value = judged.value if judged is not None else value
    assert value is not None
    if kpi.rag:
        if judged is not None and not set_judges(kpi, judged):
            return None
        for name in RAG_ORDER:
            rule = kpi.rag.get(name)
            if rule and band_matches(rule, value):
                return name
        return None
    target = target_for(kpi)
    if target is None or kpi.polarity is Polarity.INFORMATION_ONLY:
        return None
    met = value >= target if kpi.polarity is Polarity.HIGHER_IS_BETTER else value <= target
    return "green" if met else "red"


def format_number(value: float, unit: Unit) -> str:
    if unit is Unit.GBP:
        return f"£{value:,.0f}" if value == int(value) else f"£{value:,.2f}"
    if value == int(value) and unit in (Unit.COUNT, Unit.DAYS, Unit.NUMBER):
        return f"{int(value):,}"
    if unit in (Unit.PERCENT, Unit.RATE_PER_10000):
        return f"{value:,.1f}"
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def format_value(value: float, unit: Unit) -> str:
    """A value with its unit, for text: '73.0%', '551', '95.9 per 10,000', '552 days'."""
    number = format_number(value, unit)
    return {Unit.PERCENT: f"{number}%", Unit.RATE_PER_10000: f"{number} per 10,000", Unit.DAYS: f"{number} days"}.get(
        unit, number
    )


def format_with_count(value: Value, unit: Unit) -> str:
    """A percent beside its count when the count is small (fewer than 10 children)."""
    text = format_value(value.value, unit)
    if (
        unit is Unit.PERCENT
        and value.numerator is not None
        and value.denominator is not None
        and value.denominator < SMALL_COUNT
    ):
        text += f" ({value.numerator} of {value.denominator})"
    return text


def benchmark(kpi: Kpi, name: BenchmarkName) -> Benchmark | None:
    return next((b for b in kpi.benchmarks if b.name == name), None)


def latest_benchmark_value(kpi: Kpi, name: BenchmarkName) -> Value | None:
    found = benchmark(kpi, name)
    return sorted_values(found.values)[-1] if found else None


@dataclass(frozen=True)
class Comparison:
    name: BenchmarkName
    label: str
    value: Value  # the benchmark's value
    own: Value | None  # the area's value for the same period, when there is one
    relation: Relation | None  # None when nothing is comparable
    judged: Judged | None  # better or worse; None when about the same or information only


def _relation(kpi: Kpi, own: float, other: float) -> Relation:
    return {Moved.UP: Relation.ABOVE, Moved.DOWN: Relation.BELOW, Moved.SAME: Relation.SAME}[
        moved(kpi.unit, other, own)
    ]


def compare(
    kpi: Kpi, name: BenchmarkName, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS
) -> Comparison | None:
    """The benchmark against the area's own value for the same period (the latest period both have).

    When the area has no value for any of the benchmark's periods, the benchmark's latest value is
    returned with no relation: a December figure is never set against a whole year's.
    """
    found = benchmark(kpi, name)
    if found is None:
        return None
    own_values = _own_values(kpi)
    for other in reversed(sorted_values(found.values)):
        own = next((v for v in reversed(own_values) if v.period.end == other.period.end and comparable(v, other)), None)
        if own is not None:
            relation = _relation(kpi, own.value, other.value)
            judged = None
            if kpi.polarity is not Polarity.INFORMATION_ONLY and relation is not Relation.SAME:
                good = Relation.ABOVE if kpi.polarity is Polarity.HIGHER_IS_BETTER else Relation.BELOW
                judged = Judged.BETTER if relation is good else Judged.WORSE
            return Comparison(found.name, label_of(found.name, comparators), other, own, relation, judged)
    return Comparison(found.name, label_of(found.name, comparators), sorted_values(found.values)[-1], None, None, None)


def label_of(name: str, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str:
    """How a sentence names a benchmark, as site_config.yml configures it ('statistical neighbours')."""
    return find(comparators, name).label


def ratio_mismatches(kpi: Kpi, tolerance: float = 0.1) -> list[tuple[int, Value, float]]:
    """Percents and rates per 10,000 that disagree with their numerator and denominator beyond rounding."""
    scale = {Unit.PERCENT: 100, Unit.RATE_PER_10000: 10_000}.get(kpi.unit)
    found: list[tuple[int, Value, float]] = []
    if scale is None:
        return found
    for index, value in enumerate(kpi.values):
        if value.numerator is not None and value.denominator:
            computed = scale * value.numerator / value.denominator
            if abs(computed - value.value) > tolerance + 0.05:
                found.append((index, value, computed))
    return found


percent_mismatches = ratio_mismatches


EXPECTED_GROUPS = {"monthly": {"month"}, "quarterly": {"quarter"}, "annual": {"financial_year", "year"}}


def frequency_mismatch(kpi: Kpi) -> str | None:
    """A note when `frequency` disagrees with the latest value's period (None when they agree)."""
    expected = EXPECTED_GROUPS.get(kpi.frequency.value)
    now = latest(kpi)
    if expected is None or frequency_group(now.period) in expected:
        return None
    return (
        f"frequency is {kpi.frequency.value} but the latest value is for {now.period.label} "
        f"({now.period.kind.replace('_', ' ')})"
    )


def by_theme(kpis: list[Kpi], order: list[str]) -> list[tuple[str, list[Kpi]]]:
    """KPIs grouped by theme: configured themes first in their order, then the rest alphabetically."""
    groups: dict[str, list[Kpi]] = {}
    for item in kpis:
        groups.setdefault(item.theme, []).append(item)
    rank = {name.lower(): index for index, name in enumerate(order)}
    names = sorted(groups, key=lambda name: (rank.get(name.lower(), len(rank)), name.lower()))
    return [(name, sorted(groups[name], key=lambda k: (k.ref is None, _ref_key(k.ref), k.title))) for name in names]


def _ref_key(ref: str | None) -> tuple[int, ...]:
    parts = (ref or "").split(".")
    return tuple(int(p) if p.isdigit() else 0 for p in parts)


def data_as_at(kpis: list[Kpi]) -> str:
    """The end of the latest period any KPI reports, as '31 December 2022'."""
    if not kpis:
        return ""
    end = max(latest(k).period.end for k in kpis)
    return f"{end.day} {MONTH_NAMES[end.month - 1]} {end.year}"


@dataclass(frozen=True)
class YearToDateFigure:
    """The financial year to date beside a monthly figure, as the summary states it."""

    value: Value  # the year-to-date figure, as a value covering the year to date
    a_year_earlier: float | None  # the same point a year earlier, when given and not across a break
    change: Moved | None  # from a year earlier, when that is given
    small_base: bool  # the latest monthly figure is counted out of few children


@dataclass(frozen=True)
class Figures:
    """Everything said about a KPI, worked out once: the words come from `generator.kpi_words`."""

    kpi: Kpi
    latest: Value
    base: Base | None  # what the latest is compared with, and its kind
    direction: Moved | None  # None for a first figure
    judgement: Judged | None  # None for a first figure or an information-only KPI
    series_start: Value | None  # the break that starts the latest value's series
    extremes: tuple[tuple[Extreme, Value], ...]  # peaks or lows far from the latest
    year_to_date: YearToDateFigure | None
    target: tuple[float, Period | None] | None  # the target for the latest value's period
    status: str | None  # 'green', 'amber', 'red' or None
    withheld: TargetWithheld | None  # why the bare target does not judge the latest value
    comparisons: tuple[Comparison, ...]  # each benchmark the KPI gives, in its order

    def comparison(self, name: str) -> Comparison | None:
        """The comparison with the benchmark of this name, or None when the KPI gives none."""
        return next((c for c in self.comparisons if c.name == name), None)


def _year_to_date(kpi: Kpi, now: Value) -> YearToDateFigure | None:
    ytd = kpi.year_to_date
    if ytd is None or now.covers is not Cover.PERIOD or ytd.to != now.period:
        return None
    earlier = ytd.a_year_earlier if not _break_since_a_year_earlier(kpi, now) else None
    return YearToDateFigure(
        Value(period=ytd.to, value=ytd.value, covers=Cover.YEAR_TO_DATE),
        earlier,
        moved(kpi.unit, earlier, ytd.value) if earlier is not None else None,
        now.denominator is not None and now.denominator < SMALL_BASE,
    )


def _break_since_a_year_earlier(kpi: Kpi, now: Value) -> bool:
    """True when the series breaks after the start of the financial year a year before `now`: the
    year-to-date figure of a year earlier was then counted another way, at least in part."""
    start = series_start(kpi, now)
    if start is None:
        return False
    end = now.period.end
    first_year = (end.year if end.month >= 4 else end.year - 1) - 1
    return period_start(start.period) > dt.date(first_year, 4, 1)


def figures_of(kpi: Kpi, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> Figures:
    """Every figure said about the KPI, with its benchmarks named as `comparators` configures them."""
    names = list(dict.fromkeys(b.name for b in kpi.benchmarks))
    now = latest(kpi)
    return Figures(
        kpi=kpi,
        latest=now,
        base=comparison_base(kpi),
        direction=direction(kpi),
        judgement=judgement(kpi),
        series_start=series_start(kpi),
        extremes=tuple(extremes(kpi)),
        year_to_date=_year_to_date(kpi, now),
        target=target_entry(kpi),
        status=rag_status(kpi),
        withheld=target_withheld(kpi),
        comparisons=tuple(c for name in names if (c := compare(kpi, name, comparators)) is not None),
    )


JUMP_FACTOR = 100
"""A value this many times its neighbours (or this many times smaller) is probably mistyped."""


def implausible(values: list[Value], unit: Unit) -> list[tuple[int, str, str]]:
    """(index in `values`, message, hint) for each value that looks mistyped.

    A percent under 1 beside percents over 10 in the same series looks like a fraction (a
    spreadsheet's 0.62 for 62%); a value a hundred times its neighbours in the series (the median of
    up to two values each side), or a hundredth of them, looks like a slipped decimal point (a value
    with fewer than two neighbours is not judged so). Zeros are never flagged.
    """
    found: list[tuple[int, str, str]] = []
    order = sorted(range(len(values)), key=lambda i: values[i].period.end)
    groups: dict[tuple[str, str], list[int]] = {}
    for index in order:
        groups.setdefault(series_group(values[index]), []).append(index)
    for members in groups.values():
        numbers = [values[i].value for i in members]
        for place, index in enumerate(members):
            value = values[index].value
            shown = format_value(value, unit) if unit is not Unit.PERCENT else f"{value:g}%"
            if unit is Unit.PERCENT and 0 < abs(value) < 1 and any(abs(n) > 10 for n in numbers):
                found.append(
                    (
                        index,
                        f"{shown} is under 1% beside figures over 10% in the same series",
                        f"{value:g} looks like a fraction; write {value * 100:g} for {value * 100:g}%",
                    )
                )
                continue
            near = [abs(n) for n in numbers[max(0, place - 2) : place] + numbers[place + 1 : place + 3]]
            if not value or len(near) < 2:
                continue
            typical = statistics.median(near)
            if typical and abs(value) >= JUMP_FACTOR * typical:
                size = "a hundred times"
            elif abs(value) * JUMP_FACTOR <= typical:
                size = "under a hundredth of"
            else:
                continue
            found.append(
                (
                    index,
                    f"{shown} is {size} the figures next to it in the series",
                    "check for a slipped decimal point or a figure in another unit"
                    + (
                        f"; {value:g} looks like a fraction: write {value * 100:g} for {value * 100:g}%"
                        if unit is Unit.PERCENT and abs(value) < 1
                        else ""
                    ),
                )
            )
    return sorted(found)
