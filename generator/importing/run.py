"""`panelsite import FILE`: a performance officer's figures into the KPI files, checked first.

All problems are found before anything is written: the file's own (located at its line and
column, or its sheet and cell), then those of the KPI files as they would be after the import,
checked by the same loader as `panelsite check` on a copy. Only when there are none are the files
written, each whole or not at all. `--dry-run` prints the diff and writes nothing.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problems
from ..yaml_edit import write_atomically
from .ees import ChildLevelFile, Observation, observations
from .indicators import indicator_sheet, indicators, new_kpi_text
from .kpi_edits import Tally, plan_edits
from .sheets import SheetError, read_sheet

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""A KPI id, as the model's `Slug` allows it."""


class ImportRefused(Exception):
    """The file cannot be imported at all; the message is one line (or a paragraph) for the user."""


@dataclass(frozen=True)
class ImportResult:
    tally: Tally
    diffs: list[str]
    problems: Problems
    skipped_rows: int
    created: dict[Path, str] = field(default_factory=dict)
    """New KPI files started from the indicator sheet, with their text."""


def _project(config: Path):  # -> Project
    from ..pipeline import ProjectNotLoaded, load_project

    try:
        project = load_project(config)
    except ProjectNotLoaded as exc:
        raise ImportRefused(exc.problems.format()) from None
    if project.problems.has_errors:
        raise ImportRefused(
            project.problems.format() + "\nfix the problems above (run `panelsite check`) before importing"
        )
    return project


def plan_import(config: Path, file: Path, sheet: str | None, source: str | None) -> ImportResult:
    """Read, place and check the figures; nothing is written."""
    try:
        table = read_sheet(file, sheet)
        project = _project(config)
        found, problems, skipped = observations(table, project.settings)
    except (SheetError, ChildLevelFile) as exc:
        raise ImportRefused(str(exc)) from None
    if source is not None and source not in {d.id for d in project.dataset.sources.documents or []}:
        raise ImportRefused(f"--source {source}: no document with that id in data/sources.yml")
    kpi_dir = project.root / project.settings.data_dir / "kpis"
    created, remaining, started = _new_kpis(file, sheet, project, found, source, kpi_dir)
    problems.extend(started)
    new_figures = len(found) - len(remaining)
    found = remaining
    files = {kpi_id: _kpi_path(kpi_dir, kpi_id) for kpi_id in project.dataset.kpis}
    tally, placed = plan_edits(project.dataset.kpis, files, found, source)
    problems.extend(placed)
    tally.added += new_figures if created else 0
    diffs = []
    if not problems.has_errors:
        changed = {p: t.text for p, t in tally.files.items() if t.text != tally.originals[p]} | created
        tally.originals.update({path: "" for path in created})
        if tally.added and source is None and changed:
            problems.add(
                _general(file, "figures new to the site need their source: pass --source <id from data/sources.yml>")
            )
        else:
            problems.extend(_check_after(config, project, changed))
            diffs = [_diff(project.root, path, tally.originals[path], text) for path, text in changed.items()]
    return ImportResult(tally, diffs, problems, skipped, created)


def _new_kpis(
    file: Path, sheet: str | None, project: Any, found: list[Observation], source: str | None, kpi_dir: Path
) -> tuple[dict[Path, str], list[Observation], Problems]:
    """New KPI files for indicators the indicator sheet describes and no KPI has yet; the other
    figures; and what stops a new KPI (located in the indicator sheet)."""
    problems = Problems()
    unknown = {o.indicator for o in found} - set(project.dataset.kpis)
    if not unknown:
        return {}, found, problems
    try:
        meta = indicator_sheet(file, sheet)
    except SheetError as exc:
        raise ImportRefused(str(exc)) from None
    rows = indicators(meta) if meta else {}
    sources = {d.id for d in (project.dataset.sources.documents if project.dataset.sources else [])}
    created: dict[Path, str] = {}
    for kpi_id in sorted(unknown & set(rows)):
        path = kpi_dir / f"{kpi_id}.yml"
        mine = [o for o in found if o.indicator == kpi_id]
        if not SLUG.fullmatch(kpi_id) or path.exists():
            continue  # reported by plan_edits as an unknown id, with its cell
        text, stopped = new_kpi_text(rows[kpi_id], mine, sources, source, list(project.settings.scorecard_themes))
        problems.extend(stopped)
        if text is not None:
            created[path] = text
    started = {path.stem for path in created} | {i for i in unknown & set(rows) if problems.has_errors}
    return created, [o for o in found if o.indicator not in started], problems


def _kpi_path(kpi_dir: Path, kpi_id: str) -> Path:
    for suffix in (".yml", ".yaml"):
        if (kpi_dir / f"{kpi_id}{suffix}").is_file():
            return kpi_dir / f"{kpi_id}{suffix}"
    return kpi_dir / f"{kpi_id}.yml"


def _general(file: Path, message: str):  # -> Problem
    from ..errors import Problem

    return Problem(file.name, 1, 1, "", message)


def _check_after(config: Path, project, changed: dict[Path, str]) -> Problems:  # project: Project
    """The loader's problems with the KPI files as the import would leave them (checked on a copy)."""
    from ..pipeline import ProjectNotLoaded, load_project

    if not changed:
        return Problems()
    data_dir = project.root / project.settings.data_dir
    with tempfile.TemporaryDirectory(prefix="panelsite-import-") as temporary:
        copy = Path(temporary)
        shutil.copy2(config, copy / config.name)
        shutil.copytree(data_dir, copy / project.settings.data_dir, symlinks=True)
        for path, text in changed.items():
            (copy / path.relative_to(project.root)).write_text(text, encoding="utf-8")
        try:
            after = load_project(copy / config.name)
        except ProjectNotLoaded as exc:
            return exc.problems
    return after.problems


def _diff(root: Path, path: Path, before: str, after: str) -> str:
    shown = path.relative_to(root).as_posix()
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
    )
    return "".join(lines)


def run(
    config: Path,
    file: Path,
    sheet: str | None,
    source: str | None,
    dry_run: bool,
    say: Callable[[str], None],
    show: Callable[[str], None],
) -> Problems:
    """Import `file`, or say why not; returns the problems (empty when it was imported)."""
    say(f"reading {file.name}" + (f", sheet {sheet}" if sheet else ""))
    result = plan_import(config, file, sheet, source)
    if result.problems.has_errors:
        return result.problems
    for diff in result.diffs:
        show(diff.rstrip("\n"))
    tally = result.tally
    counts = f"{tally.added} added, {tally.revised} revised, {tally.unchanged} unchanged"
    if result.skipped_rows:
        counts += f"; {result.skipped_rows} rows for other areas left out"
    if dry_run:
        say(f"dry run: {counts}; nothing was written")
        return result.problems
    for path, text in tally.files.items():
        if text.text != tally.originals[path]:
            write_atomically(path, text.text)
    for path, new in result.created.items():
        if path.exists():
            raise ImportRefused(f"{path.name} appeared while importing; nothing more was written")
        write_atomically(path, new)
    say(f"imported {file.name}: {counts}")
    return result.problems
