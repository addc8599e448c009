"""Hand-written pages from `content/`: `x.md` in both editions, `x.young.md` replacing it in the young one.

Front matter may set `title`, `editions: [standard]` or `[young]` to keep a page to one edition,
`nav_order` (a number) to place it in the navigation and `nav: false` to leave it out; any other
field is an error. Pages may show the site's facts with `{{ ... }}` (see `generator/sandbox.py`).

Every file under `content/` is read or refused, never ignored: `.md` files are pages; pictures
and PDFs (`ASSET_SUFFIXES`) are copied as they are; anything else (HTML, scripts, SVG, other
Markdown spellings, links that leave `content/`, folders named `x.md`) is a located error. Files
and folders whose names start with `.` are skipped, as MkDocs skips them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from .editions import EDITIONS, Edition
from .errors import Problem, Problems, display_path
from .models.common import Strict, Text
from .validation import validate
from .yamlio import DEFAULT_LIMITS, Limits, is_inside, parse, refuse_file

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|\Z)", re.S)
ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".csv", ".txt"}
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext"}


class PageMeta(Strict):
    """The front matter of a hand-written page."""

    title: Text | None = Field(None, description="The page title (default: its first `# ` heading).")
    editions: list[Literal["standard", "young"]] | None = Field(
        None, min_length=1, description="The editions that show the page (default: both; young for x.young.md)."
    )
    nav_order: float | None = Field(None, description="Position in the navigation: a number, lower first.")
    nav: bool = Field(True, description="false to leave the page out of the navigation.")


@dataclass(frozen=True)
class ContentPage:
    path: str  # the Markdown path in the site, e.g. "about.md"
    file: Path
    display: str
    body: str
    body_line: int  # the file line the body starts on (after front matter)
    meta: dict
    title: str  # the navigation label: front matter `title`, else the first heading
    nav_order: float | None
    heading: str | None = None  # the page's first `# ` heading, which is also its browser title


@dataclass(frozen=True)
class ContentFiles:
    """What content/ holds: pages (path -> file) and assets (site path -> file), all inside the project."""

    pages: list[Path]
    assets: dict[str, Path]


def scan_content(content_dir: Path, root: Path | None = None) -> tuple[ContentFiles, Problems]:
    """Sort every file under `content_dir` into pages and assets; refuse everything else."""
    problems = Problems()
    pages: list[Path] = []
    assets: dict[str, Path] = {}
    if not content_dir.is_dir():
        return ContentFiles(pages, assets), problems
    project = root or content_dir.parent
    for folder, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for name in list(dirs):
            path = base / name
            if path.is_symlink():
                dirs.remove(name)
                where = "outside the project" if not is_inside(path, project) else "elsewhere in the project"
                problems.add(
                    Problem(
                        display_path(path, root),
                        1,
                        1,
                        "",
                        f"is a link to a folder {where}; panelsite does not follow folder links",
                    )
                )
            elif name.lower().endswith(".md"):
                dirs.remove(name)
                problems.add(
                    Problem(
                        display_path(path, root), 1, 1, "", "is a folder, but its name ends .md like a page; rename it"
                    )
                )
        for name in sorted(f for f in files if not f.startswith(".")):
            path = base / name
            display = display_path(path, root)
            suffix = path.suffix.lower()
            if not is_inside(path, project):
                problems.add(
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        "is a link to a file outside the project; copy the file into the project instead",
                    )
                )
            elif not is_inside(path, content_dir):
                problems.add(
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        f"is a link to a file elsewhere in the project, outside {content_dir.name}/; "
                        f"panelsite publishes only what is in {content_dir.name}/",
                        hint=f"copy the file into {content_dir.name}/ instead",
                    )
                )
            elif path.suffix == ".md":
                pages.append(path)
            elif suffix in _MARKDOWN_SUFFIXES:
                problems.add(
                    Problem(display, 1, 1, "", "pages must end .md (lower case)", hint=f"rename it to {path.stem}.md")
                )
            elif suffix in ASSET_SUFFIXES:
                assets[path.relative_to(content_dir).as_posix()] = path
            else:
                problems.add(
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        f"panelsite does not publish {suffix or 'extension-less'} files from content/",
                        hint="pages are .md files; pictures and documents may be " + ", ".join(sorted(ASSET_SUFFIXES)),
                    )
                )
    return ContentFiles(sorted(pages), assets), problems


def load_content(
    content_dir: Path, edition: Edition, root: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[ContentPage], Problems]:
    """The hand-written pages of one edition, with young variants swapped in."""
    files, problems = scan_content(content_dir, root)
    pages: dict[str, ContentPage] = {}
    for file in files.pages:
        relative = file.relative_to(content_dir).as_posix()
        is_young_variant = relative.endswith(".young.md")
        path = relative[: -len(".young.md")] + ".md" if is_young_variant else relative
        page = _read(file, path, root, problems, limits)
        if page is None or (is_young_variant and edition != Edition.YOUNG):
            continue
        wanted = page.meta.get("editions") or ([Edition.YOUNG] if is_young_variant else list(EDITIONS))
        if edition not in wanted:
            continue
        if is_young_variant or path not in pages:
            pages[path] = page
    return sorted(pages.values(), key=lambda p: p.path), problems


def _read(file: Path, path: str, root: Path | None, problems: Problems, limits: Limits) -> ContentPage | None:
    display = display_path(file, root)
    refusal = refuse_file(file, display, limits, root)
    if refusal:
        problems.add(refusal)
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(Problem(display, 1, 1, "", "file is not valid UTF-8 text; save it as UTF-8"))
        return None
    except OSError as exc:
        problems.add(Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}"))
        return None
    meta: dict = {}
    body_line = 1
    match = FRONT_MATTER.match(text)
    if match:
        meta_found = _front_matter(match.group(1) or "", file, display, limits, problems)
        if meta_found is None:
            return None
        meta = meta_found
        body_line = text[: match.end()].count("\n") + 1
        text = text[match.end() :]
    heading = re.search(r"^# (.+)$", text, re.M)
    title = str(meta.get("title") or (heading.group(1).strip() if heading else Path(path).stem))
    return ContentPage(
        path,
        file,
        display,
        text,
        body_line,
        meta,
        title,
        meta.get("nav_order"),
        heading.group(1).strip() if heading else None,
    )


def _front_matter(text: str, file: Path, display: str, limits: Limits, problems: Problems) -> dict | None:
    """The validated front matter as a dict, or None (with problems) when it is wrong."""
    if not text.strip():
        return {}
    doc, found = parse(text, display, limits=limits, path=file, line_offset=1)
    problems.extend(found)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.add(Problem(display, 2, 1, "front matter", "should be a mapping of field: value"))
        return None
    meta, found = validate(PageMeta, doc)
    problems.extend(found)
    return meta.model_dump(exclude_unset=True) if meta is not None else None
