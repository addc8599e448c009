"""Where templates and theme files come from: panelsite's packaged theme, overridden file by file.

The default theme ships inside the package (`generator/theme/`, copied from the repository's
top-level `theme/` when the wheel is built; a source checkout uses `theme/` itself). A council's
folder may hold its own `theme/templates/` and `theme/overrides/`: each file there replaces the
packaged file with the same path, as Material's `custom_dir` does. panelsite's own stylesheets
(`assets/stylesheets/panelsite.css`, `young.css`) cannot be replaced, only added to.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, Problems, Severity, display_path
from .settings import Settings

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
    """A council file that would replace panelsite's own stylesheet is refused (add styles instead)."""
    problems = Problems()
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


def find_template(dirs: list[Path], name: str) -> Path | None:
    """The file a template name resolves to (the young overlay is looked up by the caller)."""
    return next((d / name for d in dirs if (d / name).is_file()), None)
