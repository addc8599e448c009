"""Where panelsite may write a built site or an export, and how it swaps a new one in.

panelsite replaces its output folder whole, so it deletes that folder's contents: it does so only
when the folder is new, empty, or one panelsite made. Each site and export panelsite writes holds
a marker file (`MARKER`); a folder without it is accepted only when every file in it looks like a
previous build from before the marker existed (see `_previous_build`). Whatever the folder holds,
it may never be a symbolic link, nor be, contain or sit inside a folder panelsite reads (the
project, `data/`, `content/`, `theme/`, the configuration file, `.git`).

Operating-system failures (a read-only folder, a full disk, a permission refused) become one line
naming the path and the reason (`os_failure`), and a swap that cannot finish leaves the previous
folder where it was (`replace_folder`).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .editions import EDITIONS
from .errors import display_path

if TYPE_CHECKING:
    from .settings import Settings

MARKER = ".panelsite-site"
MARKER_TEXT = (
    "panelsite made this folder and replaces it whole each time it builds or exports.\n"
    "Keep nothing of your own here: it would be deleted.\n"
)

# What MkDocs, Material and panelsite put into a site: pages, styles, scripts, search, feeds, charts,
# CSV downloads, calendars, and the pictures and documents copied from content/.
SITE_SUFFIXES = frozenset(
    (  # noqa: SIM905 - a list of words reads best as words
        ".html .css .js .mjs .map .json .xml .gz .svg .png .jpg .jpeg .gif .webp .avif .ico .csv .ics .pdf "
        ".woff .woff2 .ttf .eot .txt .webmanifest"
    ).split()
)
EXPORT_EDITION_ENTRIES = frozenset({"mkdocs.yml", "docs", "overrides", "site"})
_PREVIOUS_BUILD_MAX_FILES = 200_000


class OutputRefused(Exception):
    """panelsite will not write into (and so replace) this folder; the message is one line saying why."""


def check_output_folder(
    path: Path,
    project_root: Path,
    config_path: Path | None = None,
    protected: Iterable[Path] = (),
    kind: str = "site",
) -> str | None:
    """Why panelsite must not replace `path` with a new site (kind "site") or export ("export"), or None.

    The answer is one line that starts with the folder as the user would type it. `protected` are
    the folders panelsite reads (see `project_folders`); the project itself, its `.git` and the
    configuration file are always protected.
    """
    shown = display_path(path)
    why = _why_not(Path(os.path.abspath(path)), Path(os.path.abspath(project_root)), config_path, protected, kind)
    return f"{shown}: {why}" if why else None


def _why_not(path: Path, root: Path, config_path: Path | None, protected: Iterable[Path], kind: str) -> str | None:
    noun = "site folder" if kind == "site" else "export folder"
    if os.path.islink(path):
        return (
            f"is a symbolic link (to {os.readlink(path)}); panelsite replaces the {noun} whole, "
            "so it must be a real folder, not a link"
        )
    real_root = Path(os.path.realpath(root))
    for parent in path.parents:
        if parent == root or not parent.is_relative_to(root):
            break
        if os.path.islink(parent) and not Path(os.path.realpath(parent)).is_relative_to(real_root):
            return f"its folder {display_path(parent)} is a symbolic link that leads out of the project"
    real = Path(os.path.realpath(path))
    named = {real_root: "the project folder", real_root / ".git": "the project's .git folder"}
    if config_path is not None:
        named[Path(os.path.realpath(config_path))] = f"the configuration file {config_path.name}"
    for folder in protected:
        resolved = Path(os.path.realpath(folder))
        named.setdefault(resolved, f"the {display_path(folder)} folder")
    for folder, name in named.items():
        if real == folder:
            return f"is {name}; choose a new folder for the {kind}, such as {'site' if kind == 'site' else 'export'}/"
        if folder.is_relative_to(real):
            return f"contains {name}, and panelsite replaces the {noun} whole; choose a new or empty folder"
        if real.is_relative_to(folder) and folder != real_root:
            return f"is inside {name}, which panelsite reads; choose a folder outside it"
    if not os.path.lexists(path):
        return None
    if not path.is_dir():
        return "is a file, not a folder"
    entries = os.listdir(path)
    if not entries:
        return None
    marker = path / MARKER
    if MARKER in entries and marker.is_file() and not marker.is_symlink():
        return None
    if (_previous_build if kind == "site" else _previous_export)(path):
        return None
    return (
        f"is not empty and was not made by panelsite (it has no {MARKER} file); panelsite replaces the "
        f"{noun} whole, so choose a new or empty folder"
    )


def _previous_build(folder: Path) -> bool:
    """A site built before panelsite wrote its marker: both editions, MkDocs' sitemap and search,
    and nothing but the kinds of file a build makes (no Markdown, YAML, code or links)."""
    needed = ("index.html", "search/search_index.json", "young/index.html", "young/sitemap.xml")
    if not all((folder / name).is_file() for name in needed) or not (folder / "sitemap.xml").is_file():
        return False
    return _only_site_files(folder)


def _only_site_files(folder: Path) -> bool:
    count = 0
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            count += 1
            item = Path(top, name)
            if count > _PREVIOUS_BUILD_MAX_FILES or item.is_symlink():
                return False
        if any(Path(name).suffix.lower() not in SITE_SUFFIXES for name in files):
            return False
    return True


def _previous_export(folder: Path) -> bool:
    """An export made before the marker: only standard/ and young/, each with its mkdocs.yml and
    nothing but what `panelsite export` (and a plain `mkdocs build` of it) writes there."""
    entries = set(os.listdir(folder)) - {MARKER}
    if not entries or not entries <= set(EDITIONS):
        return False
    for name in entries:
        edition = folder / name
        if edition.is_symlink() or not (edition / "mkdocs.yml").is_file():
            return False
        inside = os.listdir(edition)
        if not set(inside) <= EXPORT_EDITION_ENTRIES or any((edition / e).is_symlink() for e in inside):
            return False
    return True


def project_folders(config_path: Path, settings: Settings | None = None) -> list[Path]:
    """The folders panelsite reads for this project: data, content, theme and cache folders (from the
    settings, or their defaults when the settings cannot be read) and MkDocs' docs_dir and custom_dir."""
    from .settings import Settings, load_settings, read_config

    root = config_path.parent
    names = ("data_dir", "content_dir", "theme_dir", "cache_dir")
    if settings is None:
        settings, _ = load_settings(config_path, root)
    folders = [root / str(getattr(settings, n) if settings else Settings.model_fields[n].default) for n in names]
    try:
        raw = read_config(config_path)
    except (OSError, ValueError):
        return folders
    theme = raw.get("theme")
    for value in (raw.get("docs_dir"), theme.get("custom_dir") if isinstance(theme, dict) else None):
        if isinstance(value, str) and value.strip():
            folders.append(root / value)
    return folders


def refuse_unsafe_output(
    path: Path,
    config_path: Path,
    kind: str = "site",
    settings: Settings | None = None,
    folders: list[Path] | None = None,
) -> list[Path]:
    """Raise `OutputRefused` (one line) unless panelsite may replace `path`; returns the project's
    folders it checked against (`project_folders`), to pass back in when checking again."""
    folders = project_folders(config_path, settings) if folders is None else folders
    why = check_output_folder(path, config_path.parent, config_path, folders, kind)
    if why:
        raise OutputRefused(why)
    return folders


def write_marker(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def replace_folder(target: Path, new: Path, staging: Path) -> None:
    """Put `new` at `target` with renames, so a reader never sees half a site.

    The previous folder is moved into `staging` (which the caller deletes, with it); when the new
    one cannot be moved in, the previous one is put back. A previous folder panelsite could not
    delete (a read-only folder anywhere in it) is refused before anything moves.
    """
    if os.path.lexists(target):
        blocked = unwritable_folder(target)
        if blocked is not None:
            why = f"read-only, so {display_path(target)} cannot be replaced (it could not be deleted)"
            raise PermissionError(errno.EACCES, why, blocked)
        old = staging / "previous"
        os.rename(target, old)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(old, target)
            raise
    else:
        os.rename(new, target)


def unwritable_folder(folder: Path) -> str | None:
    """The first folder in `folder` (itself included) whose entries cannot be deleted, or None."""
    for top, dirs, _ in os.walk(folder):
        if not os.access(top, os.W_OK | os.X_OK):
            return top
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(top, d))]
    return None


def remove_tree(folder: Path) -> OSError | None:
    """Delete `folder` and everything in it; the first failure, if any (the rest is still tried)."""
    failures: list[OSError] = []

    def collect(function, path, exc_info) -> None:  # noqa: ANN001 - shutil's callback
        error = exc_info[1]
        if isinstance(error, OSError) and not isinstance(error, FileNotFoundError):
            failures.append(error)

    if os.path.lexists(folder):
        shutil.rmtree(folder, onerror=collect)
    return failures[0] if failures else None


def make_folder(folder: Path) -> None:
    """Create `folder` (and its parents); a file where a folder should be is named, not followed."""
    for ancestor in (folder, *folder.parents):
        if os.path.lexists(ancestor):
            if not ancestor.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(ancestor))
            break
    folder.mkdir(parents=True, exist_ok=True)


def working_folder(parent: Path, prefix: str) -> Path:
    """A new private folder in `parent` to build in; when it cannot be made, the failure names `parent`."""
    try:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(parent)) from None


def clean_up(staging: Path | None, succeeded: bool) -> str | None:
    """Delete a build's working folder; what the user must do by hand when that fails, else None."""
    if staging is None:
        return None
    previous = staging / "previous"
    if not succeeded and os.path.lexists(previous):
        # The swap failed and the previous folder could not even be put back: never delete it.
        return f"{display_path(previous)}: the previous folder is kept here; move it back yourself"
    failure = remove_tree(staging)
    if failure is None or not succeeded:
        return None
    return f"{os_failure(failure)}: the new folder is in place, but delete {display_path(staging)} yourself"


def os_failure(exc: OSError, where: Path | None = None, moved: tuple[Path, Path] | None = None) -> str:
    """`path: reason` for an operating-system failure; `where` names the place when the OS did not.

    `moved` is (working folder, final folder): a path in the first is shown as its place in the second.
    """
    path = exc.filename if exc.filename not in (None, "") else where
    if moved is not None and path is not None:
        working, final = (Path(os.path.abspath(p)) for p in moved)
        absolute = Path(os.path.abspath(os.fsdecode(path)))
        if absolute.is_relative_to(working):
            path = final / absolute.relative_to(working)
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno == errno.EEXIST and path is not None and os.path.isfile(path):
        reason = "is a file, not a folder"
    if path is None:
        return reason
    shown = display_path(Path(os.fsdecode(path)))
    return f"{os.path.abspath(shown) if shown == '.' else shown}: {reason}"
