"""`panelsite upgrade`: move a council's folder from any earlier format to the current one.

The migrations (generator/migrations.py) edit the files in memory; this module reads the
folder's format, applies every step from there to the current format in order, prints the diff
of each file, and then (unless `--dry-run`) writes the files, each replaced whole or not at all.
A hand-written page that panelsite now generates is moved into `panelsite-upgrade-kept/`, never
deleted. A folder already in the current format is left exactly as it is.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problems
from .formats import CURRENT_FORMAT, FORMAT_RELEASES
from .migrations import MIGRATIONS, Folder
from .site_folder import os_failure
from .yaml_edit import EditError, write_atomically

KEPT_FOLDER = "panelsite-upgrade-kept"
"""Where files the upgrade takes out of the folder are kept, beside site_config.yml."""


class UpgradeFailed(Exception):
    """The folder cannot be upgraded; the message is one line for the user."""


@dataclass(frozen=True)
class Outcome:
    """What an upgrade did or would do."""

    from_format: int
    diffs: list[str]
    kept: list[tuple[Path, Path]]
    moved: list[tuple[Path, Path]]
    notes: Problems

    @property
    def changed(self) -> bool:
        return bool(self.diffs or self.kept or self.moved)


def folder_format(folder: Folder) -> int:
    """The folder's format: `format:` in the panelsite section, else 1."""
    config = folder.yaml(folder.config)
    path = (*folder.settings, "format")
    if not config.has(path):
        return 1
    try:
        found = int(config.node(path).value)
    except (TypeError, ValueError):
        raise UpgradeFailed(f"{folder.config.name}: format: should be a whole number") from None
    if found > CURRENT_FORMAT:
        raise UpgradeFailed(
            f"{folder.config.name}: this folder is in format {found}, newer than this panelsite ({CURRENT_FORMAT}); "
            "install a newer panelsite"
        )
    return found


def plan(config: Path) -> tuple[Folder, Outcome]:
    """Apply every migration from the folder's format in memory; nothing is written."""
    folder = Folder(config.parent, config)
    try:
        start = folder_format(folder)
        for step_from in range(start, CURRENT_FORMAT):
            for step in MIGRATIONS[step_from]:
                step(folder)
    except (EditError, yaml.YAMLError) as exc:
        raise UpgradeFailed(f"{config.name}: cannot be upgraded automatically: {exc}") from None
    except OSError as exc:
        raise UpgradeFailed(os_failure(exc, config)) from None
    diffs = []
    for path, text in folder.files.items():
        before = folder.originals[path]
        if text.text != before:
            _still_yaml(path, text.text)
            shown = path.relative_to(folder.root).as_posix()
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        before.splitlines(keepends=True),
                        text.text.splitlines(keepends=True),
                        fromfile=f"a/{shown}",
                        tofile=f"b/{shown}",
                    )
                )
            )
    kept = [(page, _kept_path(folder.root, page)) for page in folder.removed]
    return folder, Outcome(start, diffs, kept, list(folder.moved), folder.notes)


def _still_yaml(path: Path, text: str) -> None:
    """An edit that left a file unreadable is a bug in a migration: stop before writing anything."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)  # noqa: S506 - compose constructs nothing
    except yaml.YAMLError as exc:
        raise UpgradeFailed(
            f"{path.name}: the upgrade would leave this file unreadable ({exc}); nothing was written"
        ) from None


def _kept_path(root: Path, page: Path) -> Path:
    target = root / KEPT_FOLDER / page.relative_to(root)
    number = 1
    while target.exists():
        number += 1
        target = target.with_name(f"{page.stem}.{number}{page.suffix}")
    return target


def write(folder: Folder, outcome: Outcome) -> None:
    """Write every changed file (each atomically, in place) and move removed pages to the kept folder."""
    try:
        for path, text in folder.files.items():
            if text.text != folder.originals[path]:
                write_atomically(path, text.text)
        for page, copy in outcome.kept:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(page, copy)
            page.unlink()
        for source, target in outcome.moved:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            source.unlink()
    except OSError as exc:
        raise UpgradeFailed(os_failure(exc, folder.root)) from None


def run(config: Path, dry_run: bool, say: Callable[[str], None], show: Callable[[str], None]) -> Problems:
    """Upgrade the folder of `config`, printing the diff with `show` and progress with `say`."""
    folder, outcome = plan(config)
    release = FORMAT_RELEASES[CURRENT_FORMAT]
    if not outcome.changed and outcome.from_format == CURRENT_FORMAT:
        say(f"the folder is already in format {CURRENT_FORMAT} (release {release}); nothing to change")
        return outcome.notes
    for diff in outcome.diffs:
        show(diff.rstrip("\n"))
    for page, copy in outcome.kept:
        say(
            f"{page.relative_to(folder.root).as_posix()} is now made by panelsite: "
            f"{'would be' if dry_run else 'was'} moved to {copy.relative_to(folder.root).as_posix()}"
        )
    for source, target in outcome.moved:
        say(
            f"{source.relative_to(folder.root).as_posix()} {'would move' if dry_run else 'moved'} to "
            f"{target.relative_to(folder.root).as_posix()} (content/ publishes pages, pictures and documents only)"
        )
    if dry_run:
        say(f"dry run: format {outcome.from_format} to {CURRENT_FORMAT}; nothing was written")
        return outcome.notes
    write(folder, outcome)
    files = len(outcome.diffs) + len(outcome.kept) + len(outcome.moved)
    say(f"upgraded from format {outcome.from_format} to {CURRENT_FORMAT} (release {release}); {files} files changed")
    return outcome.notes
