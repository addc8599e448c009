"""Placing imported figures in the KPI files: new periods added, changed ones revised, the rest kept.

Each KPI file is edited through the one YAML writer, so a new month is one added line and a
revised figure changes only its own lines. A figure equal to the one in the file changes nothing,
so importing the same file twice, or the figures already published, leaves every file as it was.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Problem, Problems, close_match_hint
from ..models.kpi import Kpi, Unit
from ..yaml_edit import Flow, YamlText
from .ees import Observation, split_where

PLAUSIBLE_FACTOR = 100
"""A figure this many times its series' middle value (or this many times smaller) is refused."""


@dataclass
class Tally:
    """What an import did to the KPI files."""

    added: int = 0
    revised: int = 0
    unchanged: int = 0
    files: dict[Path, YamlText] = field(default_factory=dict)
    originals: dict[Path, str] = field(default_factory=dict)


def _problem(observation: Observation, field_name: str, message: str, hint: str | None = None) -> Problem:
    cell = observation.indicator_cell if field_name == "indicator" else observation.where
    file, line, column = split_where(cell.where)
    return Problem(file, line, column, field_name, message, hint=hint)


def _same(a: float | None, b: float | None) -> bool:
    return a is None and b is None or a is not None and b is not None and abs(a - b) < 1e-9


def plausibility(kpi: Kpi, observation: Observation, others: list[float]) -> str | None:
    """Why a figure looks wrong beside the rest of its series (a fraction for a percent), or None."""
    value = observation.value
    if value is None or not others:
        return None
    if kpi.unit is Unit.PERCENT and 0 < abs(value) < 1 and max(abs(v) for v in others) > 10:
        return f"{value:g} is under 1 beside percents over 10; write {value * 100:g} for {value * 100:g}%"
    middle = statistics.median(abs(v) for v in others)
    if middle > 0 and (abs(value) > middle * PLAUSIBLE_FACTOR or 0 < abs(value) < middle / PLAUSIBLE_FACTOR):
        return f"{value:g} is more than {PLAUSIBLE_FACTOR} times away from the middle of its series ({middle:g})"
    return None


def plan_edits(
    kpis: dict[str, Kpi], kpi_files: dict[str, Path], found: list[Observation], source: str | None
) -> tuple[Tally, Problems]:
    """Edit each KPI file's text for the figures `found`; nothing is written here."""
    tally, problems = Tally(), Problems()
    by_kpi: dict[str, list[Observation]] = defaultdict(list)
    for observation in found:
        by_kpi[observation.indicator].append(observation)
    for indicator, group in by_kpi.items():
        kpi = kpis.get(indicator)
        if kpi is None:
            hint = (
                close_match_hint(indicator, set(kpis))
                or "start it with `panelsite new kpi <id>`, or give an indicator sheet"
            )
            problems.add(_problem(group[0], "indicator", f"no KPI has the id {indicator!r}", hint))
            continue
        path = kpi_files[indicator]
        text = tally.files.get(path) or YamlText(path.read_text(encoding="utf-8"))
        tally.originals.setdefault(path, text.text)
        tally.files[path] = text
        _place(kpi, text, group, source, tally, problems)
    return tally, problems


def _place(
    kpi: Kpi, text: YamlText, group: list[Observation], source: str | None, tally: Tally, problems: Problems
) -> None:
    seen: dict[tuple[str | None, str], Observation] = {}
    for observation in group:
        key = (observation.area, observation.period)
        if key in seen and not _same(seen[key].value, observation.value):
            problems.add(
                _problem(
                    observation,
                    "value",
                    f"{kpi.id} {observation.period} is given twice with different figures",
                    f"the other is at {seen[key].where.where}",
                )
            )
            continue
        seen[key] = observation
    own = [o for o in seen.values() if o.area is None]
    numbers = [v.value for v in kpi.values]
    for observation in own:
        reason = plausibility(kpi, observation, [n for n in numbers if n is not None])
        if reason:
            hint = (
                "a spreadsheet exports 62% as 0.62: multiply fractions by 100"
                if "fraction" in reason or "%" in reason
                else None
            )
            problems.add(_problem(observation, "value", reason, hint))
    if problems.has_errors:
        return
    cite = {"doc": source} if source and source != kpi.source.doc else None
    _series(text, ("values",), list(kpi.values), list(kpi.withheld), own, cite, tally, problems)
    for name in sorted({o.area for o in seen.values() if o.area is not None}):
        theirs = [o for o in seen.values() if o.area == name]
        index = next((i for i, b in enumerate(kpi.benchmarks) if b.name == name), None)
        if index is None:
            _new_benchmark(text, name, theirs, tally)
        else:
            given = kpi.benchmarks[index]
            path = ("benchmarks", index, "values")
            _series(text, path, list(given.values), list(given.withheld), theirs, None, tally, problems)


def _entry(observation: Observation, cite: dict[str, str] | None) -> Flow:
    entry = Flow(period=observation.period, value=observation.value)
    if cite:
        entry["source"] = Flow(cite)
    return entry


def _series(
    text: YamlText,
    path: tuple[str | int, ...],
    existing: list,  # list[Value]
    withheld: list,  # list[Withheld]
    found: list[Observation],
    cite: dict[str, str] | None,
    tally: Tally,
    problems: Problems,
) -> None:
    """Place one series' figures: numbers in `values`, GSS symbols in `withheld`, each period once."""
    owner = path[:-1]
    at = {str(v.period): i for i, v in enumerate(existing)}
    held = {str(w.period): i for i, w in enumerate(withheld)}
    for observation in sorted(found, key=lambda o: o.period):
        index, kept = at.get(observation.period), held.get(observation.period)
        if observation.symbol is not None:
            if index is not None:
                problems.add(
                    _problem(
                        observation,
                        "value",
                        f"a figure is already published for {observation.period}; the file gives "
                        f"{observation.symbol!r} instead",
                        "to withdraw a published figure, move it to `withheld` in the KPI file by hand",
                    )
                )
            elif kept is None:
                _append_withheld(text, owner, observation, cite)
                tally.added += 1
            elif withheld[kept].symbol == observation.symbol:
                tally.unchanged += 1
            else:
                text.set_value((*owner, "withheld", kept), _withheld_entry(observation, cite, revised=True))
                tally.revised += 1
            continue
        if kept is not None:  # a figure held back before is now published
            text.delete((*owner, "withheld", kept))
            if text.has((*owner, "withheld")) and not text.node((*owner, "withheld")).value:
                text.delete((*owner, "withheld"))  # the last one: an empty `withheld:` would read as nothing
            entry = _entry(observation, cite)
            entry["revised"] = True
            text.append(path, entry)
            tally.revised += 1
            held = {p: (i - 1 if i > kept else i) for p, i in held.items() if p != observation.period}
            continue
        if index is None:
            text.append(path, _entry(observation, cite))
            tally.added += 1
            continue
        current = existing[index]
        if _same(current.value, observation.value):
            tally.unchanged += 1
            continue
        _revise(text, (*path, index), observation, cite)
        tally.revised += 1


def _withheld_entry(observation: Observation, cite: dict[str, str] | None, revised: bool = False) -> Flow:
    entry = Flow(period=observation.period, symbol=observation.symbol)
    if cite:
        entry["source"] = Flow(cite)
    if revised:
        entry["revised"] = True
    return entry


def _append_withheld(
    text: YamlText, owner: tuple[str | int, ...], observation: Observation, cite: dict[str, str] | None
) -> None:
    entry = _withheld_entry(observation, cite)
    if text.has((*owner, "withheld")) and text.node((*owner, "withheld")).value:
        text.append((*owner, "withheld"), entry)
    else:
        text.insert(owner, "withheld", [entry], after="values")


def _revise(text: YamlText, item: tuple[str | int, ...], observation: Observation, cite: dict[str, str] | None) -> None:
    """Change one value in place and mark it revised, keeping its other keys, notes and layout."""
    node = text.node(item)
    if getattr(node, "flow_style", False):
        loaded = yaml.safe_load(text.text[node.start_mark.index : node.end_mark.index]) or {}
        entry = Flow({key: observation.value if key == "value" else loaded[key] for key in loaded})
        entry["revised"] = True
        if cite and "source" not in entry:
            entry["source"] = Flow(cite)
        text.set_value(item, entry)
        return
    text.set_value((*item, "value"), observation.value)
    if not text.has((*item, "revised")):
        text.insert(item, "revised", True, after="value")


def _new_benchmark(text: YamlText, name: str, found: list[Observation], tally: Tally) -> None:
    ordered = sorted(found, key=lambda o: o.period)
    entries = [_entry(o, None) for o in ordered if o.symbol is None]
    held = [_withheld_entry(o, None) for o in ordered if o.symbol is not None]
    series: dict[str, object] = {"name": name, "values": entries}
    if held:
        series["withheld"] = held
    if text.has(("benchmarks",)) and text.node(("benchmarks",)).value:
        text.append(("benchmarks",), series)
    else:
        if text.has(("benchmarks",)):
            text.delete(("benchmarks",))
        text.insert((), "benchmarks", [series], after="values")
    tally.added += len(entries) + len(held)
