"""Derived KPI values, computed in one place: latest, direction, judgement, RAG, comparisons, summaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .comparators import DEFAULT_COMPARATORS, Comparator, find
from .models.kpi import BAND_PATTERN, Benchmark, BenchmarkName, Kpi, Polarity, Unit, Value

RAG_ORDER = ("green", "amber", "red")
RAG_WORDS = {"green": "On target", "amber": "Close to target", "red": "Off target"}
RAG_SHAPES = {"green": "●", "amber": "▲", "red": "■"}
DIRECTION_WORDS = {"up": "Up", "down": "Down", "same": "No change"}
DIRECTION_ARROWS = {"up": "↑", "down": "↓", "same": "→"}
SMALL_COUNT = 10


def sorted_values(values: list[Value]) -> list[Value]:
    return sorted(values, key=lambda v: v.period.end)


def latest(kpi: Kpi) -> Value:
    return sorted_values(kpi.values)[-1]


def previous(kpi: Kpi) -> Value | None:
    values = sorted_values(kpi.values)
    return values[-2] if len(values) > 1 else None


def direction(kpi: Kpi) -> str | None:
    """Raw direction of travel from the previous value to the latest: up, down or same."""
    before = previous(kpi)
    if before is None:
        return None
    now = latest(kpi).value
    if round(now - before.value, 6) == 0:
        return "same"
    return "up" if now > before.value else "down"


def judgement(kpi: Kpi) -> str | None:
    """Whether the direction is better or worse given the KPI's polarity (None for information only)."""
    raw = direction(kpi)
    if raw is None or kpi.polarity is Polarity.INFORMATION_ONLY:
        return None
    if raw == "same":
        return "same"
    good = "up" if kpi.polarity is Polarity.HIGHER_IS_BETTER else "down"
    return "better" if raw == good else "worse"


def band_matches(rule: str, value: float) -> bool:
    match = BAND_PATTERN.match(rule.strip())
    if not match:
        raise ValueError(f"not a band rule: {rule!r}")
    operator, threshold = match.group(1), float(match.group(2))
    return {">=": value >= threshold, "<=": value <= threshold,
            ">": value > threshold, "<": value < threshold}[operator]


def rag_status(kpi: Kpi, value: float | None = None) -> str | None:
    """The first band (green, amber, red) the value falls in; None when the KPI has no bands."""
    if not kpi.rag:
        return None
    value = latest(kpi).value if value is None else value
    for name in RAG_ORDER:
        rule = kpi.rag.get(name)
        if rule and band_matches(rule, value):
            return name
    return None


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
    return {Unit.PERCENT: f"{number}%", Unit.RATE_PER_10000: f"{number} per 10,000",
            Unit.DAYS: f"{number} days"}.get(unit, number)


def format_with_count(value: Value, unit: Unit) -> str:
    """A percent beside its count when the count is small (fewer than 10 children)."""
    text = format_value(value.value, unit)
    if unit is Unit.PERCENT and value.numerator is not None and value.denominator is not None \
            and value.denominator < SMALL_COUNT:
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
    value: Value
    relation: str  # "above", "below" or "the same as"
    judged: str | None  # "better", "worse" or None


def compare(kpi: Kpi, name: BenchmarkName,
            comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> Comparison | None:
    """How the latest value compares with a benchmark's latest value (labelled from `comparators`)."""
    other = latest_benchmark_value(kpi, name)
    if other is None:
        return None
    now = latest(kpi).value
    relation = "the same as" if round(now - other.value, 6) == 0 else ("above" if now > other.value else "below")
    judged = None
    if kpi.polarity is not Polarity.INFORMATION_ONLY and relation != "the same as":
        good = "above" if kpi.polarity is Polarity.HIGHER_IS_BETTER else "below"
        judged = "better" if relation == good else "worse"
    return Comparison(name, find(comparators, name).label, other, relation, judged)


def comparison_sentence(kpi: Kpi, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str | None:
    """'below statistical neighbours (102.4) and above England (70.0)': the comparators marked in_summary."""
    parts = []
    for comparator in _summary_order(comparators):
        found = compare(kpi, comparator.name, comparators)
        if found:
            parts.append(f"{found.relation} {found.label} ({format_value(found.value.value, kpi.unit)} "
                         f"{found.value.period.preposition} {found.value.period.label})")
    if not parts:
        return None
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def change_sentence(kpi: Kpi) -> str:
    """'rose from 424 in January 2016 to 551 in December 2022'."""
    values = sorted_values(kpi.values)
    first, last = values[0], values[-1]
    if len(values) == 1:
        return f"was {format_value(last.value, kpi.unit)} {last.period.preposition} {last.period.label}"
    verb = "rose" if last.value > first.value else "fell" if last.value < first.value else "was unchanged"
    if verb == "was unchanged":
        return f"was {format_value(last.value, kpi.unit)} in both {first.period.label} and {last.period.label}"
    return (f"{verb} from {format_value(first.value, kpi.unit)} {first.period.preposition} {first.period.label} "
            f"to {format_value(last.value, kpi.unit)} {last.period.preposition} {last.period.label}")


def _summary_order(comparators: Sequence[Comparator]) -> list[Comparator]:
    """Statistical neighbours first (the fairest comparison), then the others in configured order."""
    chosen = [c for c in comparators if c.in_summary]
    return sorted(chosen, key=lambda c: c.name != "statistical neighbours")


def summary(kpi: Kpi, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str:
    """One sentence computed from the data: the change over the series and the benchmark comparison."""
    text = f"{kpi.title} {change_sentence(kpi)}"
    compared = comparison_sentence(kpi, comparators)
    if compared:
        text += f"; the latest figure is {compared}"
    return text + "."


def percent_mismatches(kpi: Kpi, tolerance: float = 0.1) -> list[tuple[int, Value, float]]:
    """Percent values that disagree with their numerator and denominator beyond rounding."""
    found = []
    if kpi.unit is not Unit.PERCENT:
        return found
    for index, value in enumerate(kpi.values):
        if value.numerator is not None and value.denominator:
            computed = 100 * value.numerator / value.denominator
            if abs(computed - value.value) > tolerance + 0.05:
                found.append((index, value, computed))
    return found


def band_text(kpi: Kpi) -> str:
    """'on target >= 66, close to target >= 58, off target < 58'."""
    if not kpi.rag:
        return ""
    return ", ".join(f"{RAG_WORDS[name].lower()} {kpi.rag[name]}" for name in RAG_ORDER if name in kpi.rag)
