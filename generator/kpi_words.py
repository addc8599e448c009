"""A KPI's words, made in one place per edition from the figures `generator.metrics` works out.

`metrics` decides what is true (the comparison base and its kind, direction, judgement, status,
peaks, year to date, benchmarks: `metrics.Figures`); this module only says it. Nothing here decides
a figure, and no phrase made here is read back as an identifier: templates and pages compare the
typed values (`metrics.Moved`, `Judged`, `Relation`, `BaseKind`, `TargetWithheld`), never these words.

The standard edition's summary follows these rules (each tested in tests/test_metrics.py):

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

The young edition's words are plainer and fewer: the latest number, whether it is better or worse
than before, and a chart's text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence

from .comparators import DEFAULT_COMPARATORS, Comparator
from .editions import Edition
from .metrics import (
    SMALL_BASE,
    BaseKind,
    Comparison,
    Extreme,
    Figures,
    Judged,
    Moved,
    Relation,
    TargetWithheld,
    figures_of,
    format_value,
)
from .models.common import MONTH_NAMES
from .models.kpi import BAND_PATTERN, Breakdown, Cover, Kpi, Unit, Value

# --- Words for the typed values -------------------------------------------------------------------

RAG_WORDS = {"green": "On target", "amber": "Close to target", "red": "Off target"}
RAG_SHAPES = {"green": "●", "amber": "▲", "red": "■"}
DIRECTION_WORDS = {Moved.UP: "Up", Moved.DOWN: "Down", Moved.SAME: "No change"}
DIRECTION_ARROWS = {Moved.UP: "↑", Moved.DOWN: "↓", Moved.SAME: "→"}
RELATION_WORDS = {Relation.ABOVE: "above", Relation.BELOW: "below", Relation.SAME: "about the same as"}
CHANGE_WORDS = {Moved.UP: "up from", Moved.DOWN: "down from", Moved.SAME: "about the same as"}
BASE_WORDS = {
    BaseKind.A_YEAR_EARLIER: "a year earlier",
    BaseKind.SAME_POINT_A_YEAR_EARLIER: "at the same point a year earlier",
    BaseKind.YEAR_BEFORE: "the year before",
    BaseKind.MONTH_BEFORE: "the month before",
    BaseKind.QUARTER_BEFORE: "the quarter before",
    BaseKind.PREVIOUS: "the previous figure",
}
"""How the standard edition names what the latest figure is compared with."""
YOUNG_BASE_WORDS = {**BASE_WORDS, BaseKind.PREVIOUS: "the number before"}
"""The young edition's names: the same, but a figure is a number."""
EXTREME_WORDS = {Extreme.HIGHEST: "highest", Extreme.LOWEST: "lowest"}
JUDGED_WORDS = {Judged.BETTER: "better", Judged.WORSE: "worse", Judged.SAME: "about the same"}
YOUNG_JUDGED = {Judged.BETTER: "better than", Judged.WORSE: "worse than", Judged.SAME: "about the same as"}
BREAK_LABELS = {"standard": "New method", "young": "New way of counting"}
"""The label a chart puts where a new series starts, by edition."""
_RULE_WORDS = {">=": "at {} or above", ">": "above {}", "<=": "at {} or below", "<": "below {}"}


def period_words(value: Value) -> str:
    """'in December 2022', 'on 31 March 2022', 'in the year to date (April to December 2022)'."""
    end = value.period.end
    if value.covers is Cover.YEAR_TO_DATE:
        start_year = end.year if end.month >= 4 else end.year - 1
        start = "April" if start_year == end.year else f"April {start_year}"
        return f"in the year to date ({start} to {MONTH_NAMES[end.month - 1]} {end.year})"
    if value.covers is Cover.ROLLING_12_MONTHS:
        return f"in the 12 months to {MONTH_NAMES[end.month - 1]} {end.year}"
    return f"{value.period.preposition} {value.period.label}"


def period_label(value: Value) -> str:
    """A period label that says year to date and rolling figures: 'April to December 2022 (year to date)'."""
    words = period_words(value)
    if value.covers is Cover.YEAR_TO_DATE:
        return words.removeprefix("in the year to date (").rstrip(")") + " (year to date)"
    return words.removeprefix("in the ").removeprefix("in ").removeprefix("on ")


def _figures(item: Kpi | Figures, comparators: Sequence[Comparator]) -> Figures:
    return item if isinstance(item, Figures) else figures_of(item, comparators)


def _with_count(value: Value, unit: Unit) -> str:
    text = format_value(value.value, unit)
    if value.numerator is not None and value.denominator is not None and value.denominator < SMALL_BASE:
        text += f" ({value.numerator} of {value.denominator})"
    return text


def _long_date(day) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# --- The standard edition's summary ---------------------------------------------------------------


def summary_order(comparators: Sequence[Comparator]) -> list[str]:
    """The comparators marked in_summary: statistical neighbours first (the fairest), then as configured."""
    chosen = [c for c in comparators if c.in_summary]
    return [c.name for c in sorted(chosen, key=lambda c: c.name != "statistical neighbours")]


def latest_sentence(item: Kpi | Figures) -> str:
    """'Children looked after: 551 in December 2022, down from 574 a year earlier (31 December 2021).'"""
    found = _figures(item, DEFAULT_COMPARATORS)
    kpi, now, base = found.kpi, found.latest, found.base
    text = f"{kpi.title}: {_with_count(now, kpi.unit)} {period_words(now)}"
    if base is not None:
        before = format_value(base.value.value, kpi.unit)
        change = CHANGE_WORDS[found.direction or Moved.SAME]
        if base.kind is BaseKind.PREVIOUS:
            text += f", {change} {before} {period_words(base.value)}, the previous figure of the same kind"
        else:
            when = period_label(base.value).removesuffix(" (year to date)")
            text += f", {change} {before} {BASE_WORDS[base.kind]} ({when})"
    return text + "."


def break_sentence(item: Kpi | Figures) -> str:
    """'The way it is counted changed in 2020/21, so later figures are not compared with earlier ones.'"""
    start = _figures(item, DEFAULT_COMPARATORS).series_start
    if start is None:
        return ""
    return (
        f"The way it is counted changed {period_words(start)}, so figures from then on are not compared "
        "with earlier ones."
    )


def extremes_sentence(item: Kpi | Figures) -> str:
    """'The highest shown was 657 on 31 August 2018.' (empty when the latest is near both)."""
    found = _figures(item, DEFAULT_COMPARATORS)
    if not found.extremes:
        return ""
    unit = found.kpi.unit
    parts = [
        f"{EXTREME_WORDS[which]} {format_value(value.value, unit)} {period_words(value)}"
        for which, value in found.extremes
    ]
    first = parts[0].replace(" ", " shown was ", 1)
    return f"The {first}" + (f" and the {parts[1]}" if len(parts) > 1 else "") + "."


def year_to_date_sentence(item: Kpi | Figures) -> str:
    """The financial year to date beside a monthly figure, with the same point a year earlier."""
    found = _figures(item, DEFAULT_COMPARATORS)
    ytd, unit = found.year_to_date, found.kpi.unit
    if ytd is None:
        return ""
    words = period_words(ytd.value)
    text = f"{words[0].upper()}{words[1:]} it was {format_value(ytd.value.value, unit)}"
    if ytd.a_year_earlier is not None and ytd.change is not None:
        before = format_value(ytd.a_year_earlier, unit)
        text += f", {CHANGE_WORDS[ytd.change]} {before} at the same point a year earlier"
    if ytd.small_base:
        text = "Monthly figures rest on small numbers. " + text
    return text + "."


def target_sentence(item: Kpi | Figures) -> str:
    """'The latest figure misses the 2022/23 target of 35.0%.', using the target for the latest value's period."""
    found = _figures(item, DEFAULT_COMPARATORS)
    if found.target is None:
        return ""
    value, period = found.target
    verb = {"green": "meets", "amber": "is close to", "red": "misses"}.get(found.status or "", "is set against")
    which = f"the {period} target" if period else "the target"
    return f"The latest figure {verb} {which} of {format_value(value, found.kpi.unit)}."


def benchmark_sentences(item: Kpi | Figures, area: str, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str:
    """'In 2021/22, the figure for Northby (96.6%) was above statistical neighbours (90.2%) and England (88.0%).'"""
    found = _figures(item, comparators)
    unit = found.kpi.unit
    # Keyed by the area's period: its own value (from the first comparison for it) and the comparisons.
    by_period: dict[str, tuple[Value, list[Comparison]]] = {}
    for name in summary_order(comparators):
        one = found.comparison(name)
        if one and one.own is not None and one.relation is not None:
            by_period.setdefault(str(one.own.period), (one.own, []))[1].append(one)
    sentences = []
    for own, group in sorted(by_period.values(), key=lambda entry: entry[0].period.end, reverse=True):
        parts = [
            f"{RELATION_WORDS[c.relation]} {c.label} ({format_value(c.value.value, unit)})"
            for c in group
            if c.relation is not None
        ]
        joined = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        sentences.append(
            f"{'On' if own.period.kind == 'day' else 'In'} {period_label(own)}, the figure for {area} "
            f"({format_value(own.value, unit)}) was {joined}."
        )
    return " ".join(sentences)


def summary(
    item: Kpi | Figures, area: str = "Our area", comparators: Sequence[Comparator] = DEFAULT_COMPARATORS
) -> str:
    """The KPI's summary: latest against like, peak or low, year to date, target, benchmarks."""
    found = _figures(item, comparators)
    parts = [
        latest_sentence(found),
        break_sentence(found),
        extremes_sentence(found),
        year_to_date_sentence(found),
        target_sentence(found),
        benchmark_sentences(found, area, comparators),
    ]
    return " ".join(part for part in parts if part)


# --- The standard edition's facts -----------------------------------------------------------------


def status_word(status: str | None) -> str:
    """'On target', 'Close to target', 'Off target' or 'No target'."""
    return RAG_WORDS[status] if status else "No target"


def change_text(item: Kpi | Figures) -> str:
    """'Down from 574 a year earlier (31 December 2021)', or 'No earlier figure of the same kind'."""
    found = _figures(item, DEFAULT_COMPARATORS)
    base = found.base
    if base is None:
        if found.series_start is not None:
            return (
                f"Not compared: the measure changed {period_words(found.series_start)}, "
                "and no earlier figure is on the new basis"
            )
        return "No earlier figure of the same kind"
    lead = CHANGE_WORDS[found.direction or Moved.SAME].capitalize()
    when = period_label(base.value).removesuffix(" (year to date)")
    words = f"in {when}" if base.kind is BaseKind.PREVIOUS else f"{BASE_WORDS[base.kind]} ({when})"
    return f"{lead} {format_value(base.value.value, found.kpi.unit)} {words}"


def benchmark_relation_text(kpi: Kpi, found: Comparison, area: str) -> str:
    """'Northby was above it (71.6%), which is better', or why there is no comparison."""
    if found.relation is None or found.own is None:
        return f"no {area} figure for the same period to compare"
    text = f"{area} was {RELATION_WORDS[found.relation]} it ({format_value(found.own.value, kpi.unit)})"
    return text + (f", which is {JUDGED_WORDS[found.judged]}" if found.judged else "")


def rule_words(rule: str, unit: Unit) -> str:
    """A band rule in words, '>= 66' on a percent KPI giving 'at 66.0% or above'."""
    match = BAND_PATTERN.match(rule.strip())
    if not match:
        return rule
    return _RULE_WORDS[match.group(1)].format(format_value(float(match.group(2)), unit))


def band_text(kpi: Kpi) -> str:
    """'on target at 66 or above, close to target at 58 or above, off target below 58'."""
    if not kpi.rag:
        return ""
    return ", ".join(
        f"{RAG_WORDS[name].lower()} {rule_words(kpi.rag[name], kpi.unit)}"
        for name in ("green", "amber", "red")
        if name in kpi.rag
    )


WITHHELD_SHORT = {TargetWithheld.SET_LATER: "Set later", TargetWithheld.OLD_MEASURE: "Set for the old measure"}


def withheld_words(item: Kpi | Figures) -> tuple[str, str] | None:
    """Why the bare target does not judge the latest value, as (short, long) words; None when it does
    ('Set later', '95.0%, set on 28 March 2023, after this figure was reported, so not applied to it')."""
    found = _figures(item, DEFAULT_COMPARATORS)
    kpi, why = found.kpi, found.withheld
    if why is None or kpi.target is None or kpi.target_set is None:
        return None
    target, set_on = format_value(kpi.target, kpi.unit), _long_date(kpi.target_set)
    if why is TargetWithheld.SET_LATER:
        return WITHHELD_SHORT[why], f"{target}, set on {set_on}, after this figure was reported, so not applied to it"
    changed = f" (it changed {period_words(found.series_start)})" if found.series_start else ""
    return WITHHELD_SHORT[why], f"{target}, set on {set_on} for the measure as it was then{changed}, so not applied"


def target_text(item: Kpi | Figures) -> str | None:
    """The target for the latest value with its period ('10.0% for 2022/23'), why the bare target is
    not applied, or None."""
    found = _figures(item, DEFAULT_COMPARATORS)
    if found.target is not None:
        value, period = found.target
        return format_value(value, found.kpi.unit) + (f" for {period}" if period else "")
    withheld = withheld_words(found)
    return withheld[1] if withheld else None


def target_value_text(item: Kpi | Figures) -> str | None:
    """The target figure alone, 'Set later' or 'Set for the old measure', or None."""
    found = _figures(item, DEFAULT_COMPARATORS)
    if found.target is not None:
        return format_value(found.target[0], found.kpi.unit)
    return WITHHELD_SHORT[found.withheld] if found.withheld else None


def year_to_date_text(kpi: Kpi) -> str | None:
    """'44.0% (41.0% at the same point a year earlier)', or None."""
    ytd = kpi.year_to_date
    if ytd is None:
        return None
    text = format_value(ytd.value, kpi.unit)
    if ytd.a_year_earlier is not None:
        text += f" ({format_value(ytd.a_year_earlier, kpi.unit)} at the same point a year earlier)"
    return text


# --- The young edition ----------------------------------------------------------------------------


def young_change(item: Kpi | Figures) -> str | None:
    """'That is better than a year earlier.', or None when there is nothing to compare or to judge."""
    found = _figures(item, DEFAULT_COMPARATORS)
    if found.base is None or found.judgement is None:
        return None
    return f"That is {YOUNG_JUDGED[found.judgement]} {YOUNG_BASE_WORDS[found.base.kind]}."


# --- Charts: text alternatives and labels ---------------------------------------------------------


def break_label(edition: Edition) -> str:
    """What a chart writes where a new series starts."""
    return BREAK_LABELS[edition]


def target_label(value: float, unit: Unit) -> str:
    """The target line's label: 'Target 95.0%'."""
    return f"Target {format_value(value, unit)}"


def line_words(kpi: Kpi, gaps: Sequence[tuple[Value, Value]], starts: Sequence[Value], label: str, young: bool) -> str:
    """What a line's shape says beyond the summary: where it stops for missing figures (`gaps`, pairs
    of values either side), and where a new series starts (`starts`, marked `label` on the chart)."""
    words = []
    if gaps and young:
        words.append("The line has gaps where we have no numbers.")
    elif len(gaps) in (1, 2):
        spans = " or ".join(f"between {period_label(a)} and {period_label(b)}" for a, b in gaps)
        words.append(f"There are no figures {spans}, so the line stops there.")
    elif gaps:
        a, b = max(gaps, key=lambda pair: pair[1].period.end - pair[0].period.end)
        words.append(
            f"The line stops in {len(gaps)} places where figures are missing; the longest gap is between "
            f"{period_label(a)} and {period_label(b)}."
        )
    for value in starts:
        if young:
            words.append(f"We started counting in a new way {period_words(value)}, so the line starts again.")
        else:
            words.append(
                f"A new series starts {period_words(value)} (the way it is measured changed): the line "
                f"starts again there, marked '{label}', and figures either side are not compared."
            )
    return " ".join(words)


def line_chart_alt(
    item: Kpi | Figures,
    edition: Edition,
    shape: str,
    others: Sequence[str],
    more_in_table: bool,
    area: str = "Our area",
    comparators: Sequence[Comparator] = DEFAULT_COMPARATORS,
    summary_text: str | None = None,
) -> str:
    """A line chart's text alternative: the summary (`summary_text` when the page made it already),
    its shape (`line_words`), the other series shown; for young readers, plain words."""
    found = _figures(item, comparators)
    kpi = found.kpi
    if edition == Edition.YOUNG and kpi.young:
        last = found.latest
        text = (
            f"A line chart: {kpi.young.title}. The latest number is {format_value(last.value, kpi.unit)}. "
            f"This was {period_words(last)}."
        )
        return f"{text} {shape}" if shape else text
    text = f"Line chart. {summary_text if summary_text is not None else summary(found, area, comparators)}"
    if shape:
        text += f" {shape}"
    if others:
        text += f" Also shown: {', '.join(others)}."
    if more_in_table:
        text += " Figures for periods of another length are in the table."
    return text


def breakdown_alt(breakdown: Breakdown) -> str:
    """A breakdown's bar chart, in words: 'Bar chart. Placements, 2022/23: 4 groups; the largest is ...'."""
    largest = max(breakdown.items, key=lambda item: item.value)
    return (
        f"Bar chart. {breakdown.title}, {breakdown.period.label}: {len(breakdown.items)} groups; "
        f"the largest is {largest.label} "
        f"({format_value(largest.value, breakdown.unit)})."
    )


__all__ = [
    "BASE_WORDS",
    "DIRECTION_ARROWS",
    "DIRECTION_WORDS",
    "RAG_SHAPES",
    "RAG_WORDS",
    "band_text",
    "benchmark_relation_text",
    "breakdown_alt",
    "change_text",
    "line_chart_alt",
    "line_words",
    "period_label",
    "period_words",
    "summary",
    "young_change",
]
