"""Write a synthetic archive of many years of papers, for the benchmark.

The records are copies of the demo project's own records (which the models accept), renamed and
moved in time, so the archive stays valid as the models change. At scale 1 it holds 40 meetings,
120 KPIs with about 40 values each, 40 LAC Council updates, 120 events and 150 glossary terms:
about ten years of a panel that meets four times a year. Every count grows with the scale, except
that all the demo KPIs and glossary terms are always kept (the Pledge and the pages refer to them).

    python benchmarks/synthetic.py OUT [--scale 1.0]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import math
import re
import shutil
import string
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
AT_SCALE_1 = {"meetings": 40, "kpis": 120, "updates": 40, "events": 120, "glossary": 150}
VALUES_PER_KPI = 40
WEEK = dt.timedelta(days=7)


def counts(scale: float) -> dict[str, int]:
    """How many records of each kind the archive holds at `scale` (at least one each)."""
    return {name: max(1, round(number * scale)) for name, number in AT_SCALE_1.items()}


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def _shift(data: Any, delta: dt.timedelta) -> Any:
    """Every date in a record moved by `delta` (period strings such as "2022-12" stay as they are)."""
    if isinstance(data, dt.date):
        return data + delta
    if isinstance(data, dict):
        return {key: _shift(value, delta) for key, value in data.items()}
    if isinstance(data, list):
        return [_shift(value, delta) for value in data]
    return data


def _copies(sources: list[Path], wanted: int) -> list[tuple[int, Path]]:
    """(copy number, source) pairs: the sources in turn, copy 0 first, until `wanted` are made."""
    return [(i // len(sources), sources[i % len(sources)]) for i in range(wanted)]


def _renamed_actions(data: Any, suffix: str) -> Any:
    """Every action id (set in a resolution, or followed up in `progress`) with `suffix`: ids are unique
    across meetings, and a copy's progress follows up its own copy's actions."""
    if isinstance(data, list):
        return [_renamed_actions(value, suffix) for value in data]
    if not isinstance(data, dict):
        return data
    renamed = {key: _renamed_actions(value, suffix) for key, value in data.items()}
    if isinstance(renamed.get("action"), dict) and "id" in renamed["action"]:
        renamed["action"] = {**renamed["action"], "id": f"{renamed['action']['id']}{suffix}"}
    elif isinstance(renamed.get("action"), str) and "progress" not in renamed:
        renamed["action"] = f"{renamed['action']}{suffix}"
    return renamed


def _meetings(src: Path, out: Path, wanted: int) -> set[dt.date]:
    dates: set[dt.date] = set()
    records: list[dict] = []
    for copy_number, path in _copies(sorted((src / "meetings").glob("*.yml")), wanted):
        record = _shift(_read(path), WEEK * copy_number)
        if copy_number:
            record = _renamed_actions(record, f"-{copy_number + 1}")
        record["date"] = record.get("date") or dt.date.fromisoformat(path.stem)
        while record["date"] in dates:  # a copy landing on another meeting's day moves on a week
            record = _shift(record, WEEK)
        dates.add(record["date"])
        records.append(record)
    for record in records:  # a meeting moved on a week is no longer where the others' dates point
        for name in ("minutes_approved_on", "rescheduled_to"):
            if name in record and record[name] not in dates:
                record.pop(name)
        _write(out / "meetings" / f"{record['date'].isoformat()}.yml", record)
    return dates


def _updates(src: Path, out: Path, wanted: int, meetings: set[dt.date]) -> None:
    for copy_number, path in _copies(sorted((src / "updates").glob("*.yml")), wanted):
        record = _shift(_read(path), WEEK * copy_number)
        record.pop("id", None)
        if record.get("meeting") and record["meeting"] not in meetings:
            record.pop("meeting")
        month = str(record.get("period_end") or path.stem)[:7]  # the file is named after period_end's month
        slug = re.sub(r"^\d{4}-\d{2}-", "", path.stem)
        suffix = "" if copy_number == 0 else f"-{copy_number + 1}"
        _write(out / "updates" / f"{month}-{slug}{suffix}.yml", record)


def _events(src: Path, out: Path, wanted: int) -> None:
    for copy_number, path in _copies(sorted((src / "events").glob("*.yml")), wanted):
        record = _shift(_read(path), WEEK * copy_number)  # a month-only date ("2022-12") stays as it is
        record.pop("id", None)
        slug = re.sub(r"^\d{4}-\d{2}(-\d{2})?-", "", path.stem)
        day = record.get("date")
        day = day.isoformat() if isinstance(day, dt.date) else str(day or "2016-01")
        suffix = "" if copy_number == 0 else f"-{copy_number + 1}"
        _write(out / "events" / f"{day}-{slug}{suffix}.yml", record)


def _values(template: list[dict], unit: str, copy_number: int = 0) -> list[dict]:
    """`VALUES_PER_KPI` monthly values ending December 2022, wobbling around the template's last value.

    Each copy wobbles in its own phase, so no two KPIs draw the same chart: identical charts would
    come from the chart cache once drawn, and the benchmark would undercount drawing as it grows."""
    last = template[-1] if template else {"value": 50}
    base = float(last.get("value", 50)) or 1.0
    values = []
    for i in range(VALUES_PER_KPI):
        month = 12 * 2022 + 11 - (VALUES_PER_KPI - 1 - i)
        value = base * (1 + 0.08 * math.sin(i / 3 + copy_number * 0.7))
        value = min(value, 100.0) if unit == "percent" else value
        whole = unit in ("count", "number", "days") or float(base).is_integer()
        value = round(value) if whole else round(value, 1)
        values.append({"period": f"{month // 12}-{month % 12 + 1:02d}", "value": value})
    return values


def _nudged(value: float, copy_number: int, unit: str) -> float:
    """A breakdown figure moved a little for each copy (whole numbers stay whole; percents stay at most 100)."""
    moved = value * (1 + 0.03 * copy_number) + copy_number
    if unit == "percent":
        moved = min(moved, 100.0)
    return round(moved) if float(value).is_integer() else round(moved, 1)


def _young_kpis(config: Path) -> set[str]:
    """The KPI ids the young edition shows (their plain-language text is written for their own values)."""
    loader = type("AnyTagLoader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    settings = yaml.load(config.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (SafeLoader subclass)
    for plugin in settings.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("panelsite"), dict):
            return set(plugin["panelsite"].get("young_kpis") or [])
    return set()


def _kpis(src: Path, out: Path, wanted: int, keep_values: set[str]) -> None:
    sources = sorted((src / "kpis").glob("*.yml"))
    for copy_number, path in _copies(sources, max(wanted, len(sources))):  # the Pledge cites every demo KPI
        record = _read(path)
        record.pop("id", None)
        if copy_number or path.stem not in keep_values:
            record["values"] = _values(record.get("values") or [], str(record.get("unit", "")), copy_number)
            if record.get("frequency") in ("quarterly", "annual"):
                record["frequency"] = "monthly"  # the values written are monthly
        if copy_number:
            record["title"] = f"{record['title']} (series {copy_number + 1})"
            for breakdown in record.get("breakdowns") or []:  # bars of their own, for the same reason
                for item in breakdown.get("items") or []:
                    item["value"] = _nudged(item["value"], copy_number, str(breakdown.get("unit", "")))
        name = path.stem if copy_number == 0 else f"{path.stem}-{copy_number + 1}"
        _write(out / "kpis" / f"{name}.yml", record)


def _acronyms(taken: set[str]):
    """Upper-case words of three or four letters that are not already terms."""
    letters = string.ascii_uppercase
    for length in (3, 4):
        for n in range(len(letters) ** length):
            word = "".join(letters[(n // len(letters) ** k) % len(letters)] for k in range(length))
            if word not in taken and "Q" in word:
                yield word


def _glossary(src: Path, out: Path, wanted: int) -> None:
    glossary = _read(src / "glossary.yml")
    terms = glossary["terms"]
    acronyms = [t for t in terms if str(t["term"]).isupper() and t.get("expansion")] or terms[:1]
    names = _acronyms({str(t["term"]).upper() for t in terms})
    made = list(terms)  # every demo term, which the pages use
    while len(made) < wanted:
        term = copy.deepcopy(acronyms[len(made) % len(acronyms)])
        term["term"] = next(names)
        term.pop("aliases", None)
        term.pop("young_word", None)
        made.append(term)
    _write(out / "glossary.yml", {**glossary, "terms": made})


def write_archive(out: Path, scale: float = 1.0, project: Path = REPO) -> dict[str, int]:
    """Copy `project` (config, content, Local Offer, Pledge, sources) to `out` and write
    scaled data collections into `out/data/`. Returns the number of records of each kind."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("site_config.yml", "content"):  # the theme is panelsite's own, from the package
        source = project / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        elif source.is_file():
            shutil.copy2(source, out / name)
    src, data = project / "data", out / "data"
    data.mkdir()
    for name in ("pledge.yml", "sources.yml"):
        if (src / name).exists():
            shutil.copy2(src / name, data / name)
    if (src / "entitlements").is_dir():
        shutil.copytree(src / "entitlements", data / "entitlements")
    wanted = counts(scale)
    meetings = _meetings(src, data, wanted["meetings"])
    _updates(src, data, wanted["updates"], meetings)
    _events(src, data, wanted["events"])
    _kpis(src, data, wanted["kpis"], _young_kpis(project / "site_config.yml"))
    _glossary(src, data, wanted["glossary"])
    made = {name: len(list((data / name).glob("*.yml"))) for name in ("meetings", "kpis", "updates", "events")}
    made["glossary terms"] = len(_read(data / "glossary.yml")["terms"])
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print(write_archive(args.out, args.scale))


if __name__ == "__main__":
    main()
