"""Where templates and theme files come from: panelsite's packaged theme, overridden file by file.

The default theme ships inside the package (`generator/theme/`, copied from the repository's
top-level `theme/` when the wheel is built; a source checkout uses `theme/` itself). A council's
folder may hold its own `theme/templates/` and `theme/overrides/`: each file there replaces the
packaged file with the same path, as Material's `custom_dir` does. panelsite's own stylesheets
(`assets/stylesheets/panelsite.css`, `young.css`) cannot be replaced, only added to.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import Problem, Problems, Severity, display_path
from .settings import Settings
from .yamlio import is_inside

OWN_STYLESHEETS = ("assets/stylesheets/panelsite.css", "assets/stylesheets/young.css")
_PACKAGE = Path(__file__).resolve().parent


def packaged_theme() -> Path:
    """The default theme: inside the installed package, or the checkout's top-level theme/."""
    inside = _PACKAGE / "theme"
    if (inside / "templates").is_dir():
        return inside
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "theme" / "templates").is_dir():
        return checkout / "theme"
    raise FileNotFoundError(f"panelsite's theme is missing from {inside}; reinstall panelsite")


def council_theme(config_path: Path, settings: Settings) -> Path | None:
    """The council's own theme folder, if it exists and is not the packaged theme itself."""
    folder = (config_path.parent / settings.theme_dir).resolve()
    if not folder.is_dir() or folder == packaged_theme().resolve():
        return None
    return folder


def template_dirs(config_path: Path, settings: Settings) -> list[Path]:
    """Template folders, most specific first: the council's templates/, then the packaged ones."""
    packaged = packaged_theme() / "templates"
    if settings.templates_dir:
        own: Path | None = (config_path.parent / settings.templates_dir).resolve()
    else:
        folder = council_theme(config_path, settings)
        own = folder / "templates" if folder else None
    dirs = [own] if own and own.is_dir() and own != packaged.resolve() else []
    return [*dirs, packaged]


def override_dirs(config_path: Path, settings: Settings) -> list[Path]:
    """Material `custom_dir` folders, most specific first: the council's overrides/, then panelsite's."""
    own = council_theme(config_path, settings)
    dirs = [own / "overrides"] if own and (own / "overrides").is_dir() else []
    return [*dirs, packaged_theme() / "overrides"]


def check_theme(config_path: Path, settings: Settings) -> Problems:
    """The council's theme folders, file by file: nothing that replaces panelsite's own stylesheet,
    no link (symlink) that leaves the folder, and no stylesheet or page that loads from another host."""
    problems = Problems()
    root = config_path.parent
    folders = _council_folders(config_path, settings)
    for folder in folders:
        problems.extend(_links_stay_inside(folder, root))
        problems.extend(check_third_party(folder, root))
    own = council_theme(config_path, settings)
    if own is None:
        return problems
    for name in OWN_STYLESHEETS:
        file = own / "overrides" / name
        if file.is_file():
            problems.add(
                Problem(
                    display_path(file, config_path.parent),
                    1,
                    1,
                    "",
                    "would replace panelsite's own stylesheet, which is always kept",
                    hint="give your file another name and list it in `branding.extra_css`",
                    severity=Severity.ERROR,
                )
            )
    return problems


def _council_folders(config_path: Path, settings: Settings) -> list[Path]:
    """The council's theme folder, its templates_dir and MkDocs' theme.custom_dir, as written (links unresolved)."""
    from .settings import read_config

    root = config_path.parent
    packaged = packaged_theme().resolve()
    found: list[Path] = []
    names = [settings.theme_dir, settings.templates_dir]
    try:
        theme = read_config(config_path).get("theme")
    except ValueError:
        theme = None
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        names.append(theme["custom_dir"])
    for name in names:
        if not name:
            continue
        folder = root / name
        real = folder.resolve()
        if not folder.is_dir() or real == packaged or packaged in real.parents:
            continue
        if not any(real == f.resolve() or f.resolve() in real.parents for f in found):
            found.append(folder)
    return found


def _links_stay_inside(folder: Path, root: Path) -> Problems:
    """Every link (symlink) under `folder` points inside it: the theme's files are published or run,
    so a link out of it would publish a file such as /etc/passwd or .git/config."""
    problems = Problems()
    top = folder.resolve()
    for base, dirs, files in os.walk(folder):
        for name in sorted([*dirs, *files]):
            path = Path(base) / name
            if not path.is_symlink():
                continue
            if name in dirs:
                dirs.remove(name)
            target = Path(os.path.realpath(path))
            if target == top or top in target.parents:
                continue
            where = "outside the project" if not is_inside(path, root) else f"outside {display_path(folder, root)}/"
            problems.add(
                Problem(
                    display_path(path, root),
                    1,
                    1,
                    "",
                    f"is a link to {'a folder' if target.is_dir() else 'a file'} {where}; "
                    "a theme may only hold its own files",
                    hint=f"copy the file into {display_path(folder, root)}/ instead",
                )
            )
    return problems


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_LOADS = re.compile(
    r"""@import\s+(?:url\(\s*)?["']?\s*(?P<import>[^"')\s;]+)|url\(\s*["']?\s*(?P<url>[^"')\s]+)""", re.I
)
_HTML_LOADS = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data|srcset)\s*=\s*["']?\s*(?P<url>[^"'\s>]+)""",
    re.I,
)
_OTHER_HOST = re.compile(r"^(?://|\\\\|[a-z][a-z0-9+.-]*:)", re.I)


def third_party(url: str) -> bool:
    """True for a URL that a browser would fetch from another host (`data:` stays in the page)."""
    return bool(_OTHER_HOST.match(url)) and not url.lower().startswith("data:")


def check_third_party(folder: Path, root: Path) -> Problems:
    """Each stylesheet `@import` or `url()`, and each script, stylesheet, picture or frame an HTML
    override loads, from another host: the site promises readers no third-party requests."""
    problems = Problems()
    paths = [Path(base) / name for base, _, files in os.walk(folder) for name in files]  # links not followed
    for path in sorted(paths):
        suffix = path.suffix.lower()
        if suffix not in (".css", ".html") or not path.is_file() or path.is_symlink():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            problems.add(Problem(display_path(path, root), 1, 1, "", "cannot be read as UTF-8 text"))
            continue
        if suffix == ".css":
            scanned = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
            matches = [
                (m.start("import" if m.group("import") else "url"), m.group("import") or m.group("url"))
                for m in _CSS_LOADS.finditer(scanned)
            ]
        else:
            matches = [(m.start("url"), m.group("url")) for m in _HTML_LOADS.finditer(text)]
        for offset, url in matches:
            if third_party(url):
                line = text.count("\n", 0, offset) + 1
                column = offset - text.rfind("\n", 0, offset)
                problems.add(
                    Problem(
                        display_path(path, root),
                        line,
                        column,
                        "",
                        "loads a file from another host; the site makes no third-party requests",
                        repr(url),
                        "copy the file into theme/overrides/ and refer to it by a relative path",
                    )
                )
    return problems


def find_template(dirs: list[Path], name: str) -> Path | None:
    """The file a template name resolves to (the young overlay is looked up by the caller)."""
    return next((d / name for d in dirs if (d / name).is_file()), None)
