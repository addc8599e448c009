"""Hand-written pages from `content/`: `x.md` in both editions, `x.young.md` replacing it in the young one.

Front matter may set `editions: [standard]` or `[young]` to keep a page to one edition, and
`nav_order` (a number) to place it in the navigation. Pages are Jinja2 templates too, so they can
show data (`{{ site.council }}`, the latest updates); plain text in them is left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, Problems, display_path

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)


@dataclass(frozen=True)
class ContentPage:
    path: str  # the Markdown path in the site, e.g. "about.md"
    file: Path
    display: str
    body: str
    meta: dict
    title: str  # the navigation label: front matter `title`, else the first heading
    nav_order: float | None
    heading: str | None = None  # the page's first `# ` heading, which is also its browser title


def load_content(content_dir: Path, edition: str, root: Path | None = None) -> tuple[list[ContentPage], Problems]:
    """The hand-written pages of one edition, with young variants swapped in."""
    problems = Problems()
    pages: dict[str, ContentPage] = {}
    if not content_dir.is_dir():
        return [], problems
    for file in sorted(content_dir.rglob("*.md")):
        relative = file.relative_to(content_dir).as_posix()
        is_young_variant = relative.endswith(".young.md")
        path = relative[: -len(".young.md")] + ".md" if is_young_variant else relative
        if is_young_variant and edition != "young":
            continue
        page = _read(file, path, root, problems)
        if page is None:
            continue
        wanted = page.meta.get("editions", ["standard", "young"] if not is_young_variant else ["young"])
        if edition not in wanted:
            continue
        if is_young_variant or path not in pages:
            pages[path] = page
    return sorted(pages.values(), key=lambda p: p.path), problems


def _read(file: Path, path: str, root: Path | None, problems: Problems) -> ContentPage | None:
    display = display_path(file, root)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(Problem(display, 1, 1, "", "file is not valid UTF-8 text; save it as UTF-8"))
        return None
    meta: dict = {}
    match = FRONT_MATTER.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.add(Problem(display, (mark.line + 2) if mark else 1, (mark.column + 1) if mark else 1,
                                 "front matter", "YAML syntax error"))
            return None
        if not isinstance(meta, dict):
            problems.add(Problem(display, 2, 1, "front matter", "should be a mapping of field: value"))
            return None
        text = text[match.end():]
    heading = re.search(r"^# (.+)$", text, re.M)
    title = str(meta.get("title") or (heading.group(1).strip() if heading else Path(path).stem))
    order = meta.get("nav_order")
    return ContentPage(path, file, display, text, meta, title, float(order) if order is not None else None,
                       heading.group(1).strip() if heading else None)
