"""Branding as configuration: logo, favicon, primary colour and extra stylesheets, for any engine.

Nothing here imports MkDocs: the plugin and the export both apply `theme_config` and `stylesheets`
to their configuration, and the brand stylesheet is written as a generated asset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .colours import shade
from .editions import Edition
from .errors import Problem, Problems
from .settings import Settings
from .yamlio import dotted

OWN_CSS = "assets/stylesheets/panelsite.css"
YOUNG_CSS = "assets/stylesheets/young.css"
BRAND_CSS = "assets/stylesheets/panelsite-brand.css"
ICONS_CSS = "assets/stylesheets/section-icons.css"


def brand_css(settings: Settings) -> str | None:
    """The stylesheet that sets the primary colour (Material's `primary: custom`), or None."""
    colour = settings.branding.primary_colour
    if colour is None:
        return None
    return (
        "/* Written by panelsite from branding.primary_colour in site_config.yml. */\n"
        '[data-md-color-primary="custom"] {\n'
        f"  --md-primary-fg-color: {colour};\n"
        f"  --md-primary-fg-color--light: {shade(colour, 1.25)};\n"
        f"  --md-primary-fg-color--dark: {shade(colour, 0.75)};\n"
        "  --md-primary-bg-color: #ffffff;\n"
        "  --md-primary-bg-color--light: #ffffffb3;\n"
        "}\n"
    )


def stylesheets(settings: Settings, edition: Edition, configured: list[Any]) -> list[Any]:
    """panelsite's stylesheet first (always), the brand colour, the council's, then the young look."""
    own = [OWN_CSS, *([BRAND_CSS] if settings.branding.primary_colour else []), *settings.branding.extra_css]
    rest = [css for css in configured if str(css) not in (*own, YOUNG_CSS, ICONS_CSS)]
    return [*own, *rest, *([YOUNG_CSS, ICONS_CSS] if edition == Edition.YOUNG else [])]


def theme_config(settings: Settings, theme: dict[str, Any]) -> dict[str, Any]:
    """The `theme:` options with the configured logo, favicon and colour applied.

    `font` is always false: left out, Material would load Roboto from Google Fonts on every page,
    and the site makes no third-party requests (a font set in site_config.yml is refused).
    """
    branding = settings.branding
    changed = dict(theme)
    changed["font"] = False
    if branding.logo:
        changed["logo"] = branding.logo
    if branding.favicon:
        changed["favicon"] = branding.favicon
    if branding.primary_colour:
        palette = changed.get("palette") or [{}]
        entries = palette if isinstance(palette, list) else [palette]
        changed["palette"] = [{**dict(entry), "primary": "custom"} for entry in entries]
    return changed


def check_branding(settings: Settings, content_dir: Path, override_dirs: list[Path]) -> Problems:
    """Every file the branding names exists under content/ or a theme overrides/ folder (SVG, CSS)."""
    problems = Problems()
    branding = settings.branding
    wanted: list[tuple[tuple[str | int, ...], str]] = []
    if branding.logo:
        wanted.append((("branding", "logo"), branding.logo))
    if branding.favicon:
        wanted.append((("branding", "favicon"), branding.favicon))
    wanted += [(("branding", "extra_css", i), css) for i, css in enumerate(branding.extra_css)]
    for loc, name in wanted:
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:
            problems.add(
                Problem(*settings.where(loc), dotted(loc), "give a path inside the content folder", repr(name))
            )
            continue
        places = [content_dir, *override_dirs]
        if not any((place / relative).is_file() for place in places):
            problems.add(
                Problem(
                    *settings.where(loc),
                    dotted(loc),
                    f"no such file under {content_dir.name}/",
                    repr(name),
                    f"put the file at {content_dir.name}/{relative.as_posix()}",
                )
            )
    return problems
