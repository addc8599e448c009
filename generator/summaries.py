"""The computed summary of a KPI: a few short sentences that compare like with like, every time.

Rules (each tested in tests/test_metrics.py):

1. The latest value is compared with the same period a year earlier when there is one, otherwise
   with the previous period of the same length; a month is never set against a year, nor a
   year-to-date figure against a whole year (`metrics.comparison_base`).
2. The kind of comparison is named: "a year earlier", "the month before", "the year before".
3. A change below the unit's threshold is "about the same" (`metrics.ABOUT_THE_SAME`).
4. The highest or lowest value shown is mentioned when the latest is far from it.
5. Year-to-date and rolling figures say so ("in the year to date (April to December 2022)").
6. A percent counted out of few children gives the count ("8.7% (2 of 23)").
7. The target is the one for the latest value's period; benchmarks are compared only with the
   area's own value for the same period, and that period is named. A bare target judges only
   values reported on or after it was set (`metrics.set_judges`).
8. Nothing is compared across a break in the series (a value with `new_series`): no change, peak,
   low or year-to-date change reaches back past it, and the summary says where it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .comparators import DEFAULT_COMPARATORS, Comparator
from .metrics import (
    RAG_WORDS,
    SMALL_BASE,
    Comparison,
    compare,
    comparison_base,
    direction,
    extremes,
    format_value,
    latest,
    period_label,
    period_start,
    period_words,
    rag_status,
    series_start,
    target_entry,
)
from .models.kpi import Cover, Kpi, Unit, Value


def summary_order(comparators: Sequence[Comparator]) -> list[str]:
    """The comparators marked in_summary: statistical neighbours first (the fairest), then as configured."""
    chosen = [c for c in comparators if c.in_summary]
    return [c.name for c in sorted(chosen, key=lambda c: c.name != "statistical neighbours")]


def _with_count(value: Value, unit: Unit) -> str:
    text = format_value(value.value, unit)
    if value.numerator is not None and value.denominator is not None and value.denominator < SMALL_BASE:
        text += f" ({value.numerator} of {value.denominator})"
    return text


def latest_sentence(kpi: Kpi) -> str:
    """'Children looked after: 551 in December 2022, down from 574 a year earlier (31 December 2021).'"""
    now = latest(kpi)
    text = f"{kpi.title}: {_with_count(now, kpi.unit)} {period_words(now)}"
    base = comparison_base(kpi)
    if base is not None:
        before = format_value(base.value.value, kpi.unit)
        change = {"up": "up from", "down": "down from", "same": "about the same as"}[direction(kpi) or "same"]
        if base.words == "the previous figure":
            text += f", {change} {before} {period_words(base.value)}, the previous figure of the same kind"
        else:
            text += f", {change} {before} {base.words} ({period_label(base.value).removesuffix(' (year to date)')})"
    return text + "."


def break_sentence(kpi: Kpi) -> str:
    """'The way it is counted changed in 2020/21, so later figures are not compared with earlier ones.'"""
    start = series_start(kpi)
    if start is None:
        return ""
    return (
        f"The way it is counted changed {period_words(start)}, so figures from then on are not compared "
        "with earlier ones."
    )


def extremes_sentence(kpi: Kpi) -> str:
    """'The highest shown was 657 on 31 August 2018.' (empty when the latest is near both)."""
    found = extremes(kpi)
    if not found:
        return ""
    parts = [f"{word} {format_value(value.value, kpi.unit)} {period_words(value)}" for word, value in found]
    return f"The {parts[0].replace(' ', ' shown was ', 1)}" + (f" and the {parts[1]}" if len(parts) > 1 else "") + "."


def year_to_date_sentence(kpi: Kpi) -> str:
    """The financial year to date beside a monthly figure, with the same point a year earlier."""
    ytd, now = kpi.year_to_date, latest(kpi)
    if ytd is None or now.covers is not Cover.PERIOD or ytd.to != now.period:
        return ""
    as_value = Value(period=ytd.to, value=ytd.value, covers=Cover.YEAR_TO_DATE)
    text = f"{period_words(as_value)[0].upper()}{period_words(as_value)[1:]} it was {format_value(ytd.value, kpi.unit)}"
    if ytd.a_year_earlier is not None and not _break_since_a_year_earlier(kpi, now):
        from .metrics import about_the_same

        if about_the_same(kpi.unit, ytd.a_year_earlier, ytd.value):
            change = "about the same as"
        else:
            change = "up from" if ytd.value > ytd.a_year_earlier else "down from"
        text += f", {change} {format_value(ytd.a_year_earlier, kpi.unit)} at the same point a year earlier"
    if now.denominator is not None and now.denominator < SMALL_BASE:
        text = "Monthly figures rest on small numbers. " + text
    return text + "."


def _break_since_a_year_earlier(kpi: Kpi, now: Value) -> bool:
    """True when the series breaks after the start of the financial year a year before `now`: the
    year-to-date figure of a year earlier was then counted another way, at least in part."""
    start = series_start(kpi, now)
    if start is None:
        return False
    end = now.period.end
    first_year = (end.year if end.month >= 4 else end.year - 1) - 1
    return period_start(start.period) > dt.date(first_year, 4, 1)


def target_sentence(kpi: Kpi) -> str:
    """'The latest figure misses the 2022/23 target of 35.0%.', using the target for the latest value's period."""
    entry = target_entry(kpi)
    if entry is None:
        return ""
    value, period = entry
    status = rag_status(kpi)
    verb = {"green": "meets", "amber": "is close to", "red": "misses"}.get(status or "", "is set against")
    which = f"the {period} target" if period else "the target"
    return f"The latest figure {verb} {which} of {format_value(value, kpi.unit)}."


def benchmark_sentences(kpi: Kpi, area: str, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str:
    """'In 2021/22, the figure for Northby (96.6%) was above statistical neighbours (90.2%) and England (88.0%).'"""
    # Keyed by the area's period: its own value (from the first comparison for it) and the comparisons.
    by_period: dict[str, tuple[Value, list[Comparison]]] = {}
    for name in summary_order(comparators):
        found = compare(kpi, name, comparators)
        if found and found.own is not None:
            by_period.setdefault(str(found.own.period), (found.own, []))[1].append(found)
    sentences = []
    for own, group in sorted(by_period.values(), key=lambda entry: entry[0].period.end, reverse=True):
        parts = [f"{c.relation} {c.label} ({format_value(c.value.value, kpi.unit)})" for c in group]
        joined = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        when = period_label(own)
        sentences.append(
            f"{'On' if own.period.kind == 'day' else 'In'} {when}, the figure for {area} "
            f"({format_value(own.value, kpi.unit)}) was {joined}."
        )
    return " ".join(sentences)


def summary(kpi: Kpi, area: str = "Our area", comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str:
    """The KPI's summary: latest against like, peak or low, year to date, target, benchmarks."""
    parts = [
        latest_sentence(kpi),
        break_sentence(kpi),
        extremes_sentence(kpi),
        year_to_date_sentence(kpi),
        target_sentence(kpi),
        benchmark_sentences(kpi, area, comparators),
    ]
    return " ".join(part for part in parts if part)


def status_word(kpi: Kpi) -> str:
    """'On target', 'Close to target', 'Off target' or 'No target'."""
    status = rag_status(kpi)
    return RAG_WORDS[status] if status else "No target"
