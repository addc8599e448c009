"""`site_config.yml` is panelsite's configuration: the MkDocs settings it allows, and where paths may point.

The web team edits `site_config.yml` (see SECURITY.md). MkDocs would let that file run Python
(`hooks:`, plugins, Markdown extensions), read environment variables (`!ENV`), include any file on
the machine (`pymdownx.snippets`), load scripts, styles and fonts from other hosts, and put its
folders anywhere. panelsite reads the file first (`settings.load_settings`) and refuses, each with
a located one-line message:

- a top-level key, `theme:` key, Markdown extension or plugin that is not on the allow-lists
  below (the message names the allowed ones);
- `pymdownx.snippets` (it includes files into pages; panelsite refuses it outright) and any
  extension option that names a file or folder outside `content/`;
- scripts, stylesheets, a logo or a favicon from another host (`https:`, `//host/...`), a theme
  font (Material would load it from Google Fonts) and `extra.analytics`;
- a folder (`docs_dir`, `site_dir`, `theme.custom_dir`, the plugin's `data_dir`, `content_dir`,
  `theme_dir`, `templates_dir`, `cache_dir`) that leaves the project once links are followed;
  `docs_dir` must be the content folder, since MkDocs copies every file in it.

YAML tags (`!ENV`, `!relative`, `!!python/...`) are refused by the loader itself (`settings._ConfigLoader`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import Problem, Problems, close_match_hint
from .yamlio import Document, Loc, dotted

TOP_LEVEL = {
    "site_name": "the site's name",
    "site_description": "a sentence about the site",
    "site_author": "who publishes it",
    "site_url": "where it is published",
    "copyright": "the footer line",
    "docs_dir": "the content folder",
    "site_dir": "where MkDocs builds (panelsite build chooses its own)",
    "theme": "Material's look",
    "markdown_extensions": "Markdown features",
    "validation": "how strictly MkDocs checks links",
    "plugins": "search and panelsite",
    "extra": "values for the theme's templates",
    "extra_css": "more stylesheets from the project",
    "extra_javascript": "more scripts from the project",
}
REFUSED_WHY = {
    "hooks": "runs Python code from the project; panelsite runs no code from its configuration",
    "nav": "the navigation is made by panelsite; order hand-written pages with `nav_order` in their front matter",
    "watch": "`panelsite serve` watches the project's own folders, and no others",
    "extra_templates": "renders templates from the content folder outside panelsite's sandbox",
    "repo_url": "Material would ask the code host for its figures on every page (a third-party request)",
    "edit_uri": "links each page to an editor on a code host; not offered",
    "INHERIT": "is not supported; put every setting in this one file",
}
THEME_KEYS = ("name", "custom_dir", "language", "font", "features", "palette", "logo", "favicon", "icon")
MARKDOWN_EXTENSIONS = (
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "sane_lists",
    "smarty",
    "tables",
    "toc",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.mark",
    "pymdownx.smartsymbols",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
)
EXTENSION_WHY = {
    "pymdownx.snippets": "includes files into pages from anywhere on the machine; panelsite refuses it",
    "pymdownx.b64": "embeds files from anywhere on the machine into pages; panelsite refuses it",
    "markdown_include.include": "includes files into pages from anywhere on the machine; panelsite refuses it",
    "pymdownx.magiclink": "turns plain text into links; panelsite never lets plain text become markup",
}
PLUGINS = {"search": ("lang", "separator", "min_search_length", "enabled"), "panelsite": None}
PLUGIN_ALIASES = {"material/search": "search"}
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")
_PATH_OPTION = re.compile(r"(?:^|_)(?:path|paths|dir|dirs|file|files|folder|icons)$")
FOLDER_SETTINGS = ("data_dir", "content_dir", "theme_dir", "templates_dir", "cache_dir")


def check_engine_config(doc: Document, root: Path) -> Problems:
    """Every refusal of the MkDocs part of the configuration, located in the file."""
    problems = Problems()
    data = doc.data if isinstance(doc.data, dict) else {}
    allowed = sorted(TOP_LEVEL)
    for key in data:
        if key in TOP_LEVEL or key == "INHERIT":  # INHERIT is refused when the file is read
            continue
        why = REFUSED_WHY.get(key, "is not a setting panelsite allows")
        _add(
            problems,
            doc,
            (key,),
            why,
            hint=close_match_hint(str(key), allowed) or f"the settings allowed here are {', '.join(allowed)}",
            key_pos=True,
        )
    theme = data.get("theme")
    if isinstance(theme, dict):
        problems.extend(_theme(doc, theme, root))
    elif theme is not None and theme != "material":
        _add(
            problems,
            doc,
            ("theme",),
            "panelsite's site uses the Material theme",
            repr(theme),
            "write `theme: {name: material}`",
        )
    problems.extend(_extensions(doc, data.get("markdown_extensions"), root))
    problems.extend(_plugins(doc, data.get("plugins")))
    for key in ("extra_css", "extra_javascript"):
        problems.extend(_local_files(doc, key, data.get(key)))
    extra = data.get("extra")
    if isinstance(extra, dict) and "analytics" in extra:
        _add(
            problems,
            doc,
            ("extra", "analytics"),
            "sends readers' visits to an analytics service; the site has no tracking",
            hint="remove it",
            key_pos=True,
        )
    problems.extend(_folders(doc, data, root))
    return problems


def _add(
    problems: Problems,
    doc: Document,
    loc: Loc,
    message: str,
    got: str | None = None,
    hint: str | None = None,
    key_pos: bool = False,
) -> None:
    line, column = doc.key_where(loc) if key_pos else doc.where(loc)
    problems.add(Problem(doc.display, line, column, dotted(loc), message, got, hint))


def _theme(doc: Document, theme: dict[str, Any], root: Path) -> Problems:
    problems = Problems()
    for key in theme:
        if key not in THEME_KEYS:
            _add(
                problems,
                doc,
                ("theme", key),
                f"is not a theme setting panelsite allows; the theme settings are {', '.join(THEME_KEYS)}",
                hint=close_match_hint(str(key), list(THEME_KEYS)),
                key_pos=True,
            )
    if theme.get("name", "material") != "material":
        _add(
            problems,
            doc,
            ("theme", "name"),
            "panelsite's site uses the Material theme",
            repr(theme.get("name")),
            "write `name: material`",
        )
    if theme.get("font", False) is not False:
        _add(
            problems,
            doc,
            ("theme", "font"),
            "Material would load the font from Google Fonts; the site makes no third-party requests",
            hint="write `font: false` (pages use the reader's own fonts)",
        )
    for key in ("logo", "favicon"):
        value = theme.get(key)
        if isinstance(value, str) and (_URL.match(value) or _leaves(value)):
            _add(
                problems,
                doc,
                ("theme", key),
                "must be a file in the project, not one from another host or outside the project",
                repr(value),
                f"put the file under content/ and set `branding.{key}` in the panelsite section",
            )
    return problems


def _entries(value: Any) -> Iterator[tuple[int, str, Any]]:
    """(index, name, options) of a list of `name` or `{name: options}` entries."""
    for index, entry in enumerate(value if isinstance(value, list) else []):
        if isinstance(entry, str):
            yield index, entry, None
        elif isinstance(entry, dict):  # MkDocs refuses more than one name per entry; each is checked here too
            for name, options in entry.items():
                yield index, str(name), options


def _extensions(doc: Document, value: Any, root: Path) -> Problems:
    problems = Problems()
    if isinstance(value, dict):  # MkDocs also takes a mapping of name: options
        items: Iterator[tuple[Any, str, Any]] = ((name, str(name), opts) for name, opts in value.items())
    else:
        items = _entries(value)
    for index, name, options in items:
        short = name.removeprefix("markdown.extensions.").split(":", 1)[0]
        loc: Loc = ("markdown_extensions", index)
        if short in EXTENSION_WHY or short not in MARKDOWN_EXTENSIONS:
            _add(
                problems,
                doc,
                loc,
                EXTENSION_WHY.get(short, "is not a Markdown extension panelsite allows"),
                repr(name),
                close_match_hint(short, list(MARKDOWN_EXTENSIONS))
                or f"the extensions allowed are {', '.join(MARKDOWN_EXTENSIONS)}",
            )
            continue
        base = (*loc, name) if isinstance(index, int) else loc
        for option_loc, option in _path_options(options, base):
            texts = option if isinstance(option, list) else [option]
            for text in texts:
                if isinstance(text, str) and not _inside(root / "content", root / text):
                    _add(
                        problems,
                        doc,
                        option_loc,
                        "names a file or folder outside content/; Markdown extensions may read only content/",
                        repr(text),
                    )
    return problems


def _path_options(options: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """Every option (at any depth) whose name says it is a file or folder."""
    if isinstance(options, dict):
        for key, value in options.items():
            if _PATH_OPTION.search(str(key)):
                yield (*loc, key), value
            else:
                yield from _path_options(value, (*loc, key))


def _plugins(doc: Document, value: Any) -> Problems:
    problems = Problems()
    if value is not None and not isinstance(value, list):
        _add(problems, doc, ("plugins",), "should be a list: `- search` and `- panelsite: {...}`")
        return problems
    for index, name, options in _entries(value):
        plugin = PLUGIN_ALIASES.get(name, name)
        if plugin not in PLUGINS:
            named = options is not None or isinstance((value or [None])[index], dict)  # `- name: {...}`
            _add(
                problems,
                doc,
                ("plugins", index, name) if named else ("plugins", index),
                "is not a plugin panelsite allows (a plugin runs Python code); the plugins are search and panelsite",
                repr(name),
                key_pos=named,
            )
            continue
        allowed = PLUGINS[plugin]
        if allowed is not None and isinstance(options, dict):
            for key in options:
                if key not in allowed:
                    _add(
                        problems,
                        doc,
                        ("plugins", index, name, key),
                        f"is not a {plugin} setting panelsite allows; the settings are {', '.join(allowed)}",
                        key_pos=True,
                    )
    return problems


def _local_files(doc: Document, key: str, value: Any) -> Problems:
    """extra_css and extra_javascript name files of the site itself, never another host's."""
    problems = Problems()
    if value is None:
        return problems
    if not isinstance(value, list):
        _add(problems, doc, (key,), "should be a list of files")
        return problems
    for index, entry in enumerate(value):
        path = entry.get("path") if isinstance(entry, dict) else entry
        loc: Loc = (key, index, "path") if isinstance(entry, dict) else (key, index)
        if not isinstance(path, str):
            _add(problems, doc, loc, "should be a file name", repr(path))
        elif _URL.match(path.strip()):
            _add(
                problems,
                doc,
                loc,
                "loads a file from another host; the site makes no third-party requests",
                repr(path),
                "copy the file into theme/overrides/ and give its path there",
            )
        elif _leaves(path):
            _add(problems, doc, loc, "must be a file of the site (no `..` or leading `/`)", repr(path))
    return problems


def _leaves(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return path.startswith(("/", "\\")) or ".." in parts


def _inside(folder: Path, path: Path) -> bool:
    """True when `path`, with every link followed, is `folder` or inside it."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _folders(doc: Document, data: dict[str, Any], root: Path) -> Problems:
    """Every folder the configuration names stays inside the project; docs_dir is the content folder."""
    problems = Problems()
    found: list[tuple[Loc, Any]] = [(("docs_dir",), data.get("docs_dir")), (("site_dir",), data.get("site_dir"))]
    theme = data.get("theme")
    if isinstance(theme, dict):
        found.append((("theme", "custom_dir"), theme.get("custom_dir")))
    content: Any = "content"
    for index, name, options in _entries(data.get("plugins")):
        if name == "panelsite" and isinstance(options, dict):
            content = options.get("content_dir", "content")
            found += [(("plugins", index, name, key), options.get(key)) for key in FOLDER_SETTINGS]
    inside: dict[str, tuple[Loc, str]] = {}
    for loc, value in found:
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            _add(problems, doc, loc, "should be a folder name", repr(value))
        elif not _inside(root, root / value):
            _add(
                problems,
                doc,
                loc,
                "must be a folder inside the project",
                repr(value),
                "give a path relative to the folder of site_config.yml, with no `..` out of it (links are followed)",
            )
        else:
            inside[str(loc[-1])] = (loc, value)
    problems.extend(_apart(doc, inside, root))
    docs = data.get("docs_dir")
    if docs is None:
        problems.add(
            Problem(doc.display, 1, 1, "docs_dir", "is required: the content folder", hint=f"add `docs_dir: {content}`")
        )
    elif (
        isinstance(docs, str)
        and isinstance(content, str)
        and _inside(root, root / docs)
        and os.path.realpath(root / docs) != os.path.realpath(root / content)
    ):
        _add(
            problems,
            doc,
            ("docs_dir",),
            "must be the content folder (the panelsite setting content_dir), whose files panelsite checks",
            repr(docs),
            f"write `docs_dir: {content}`",
        )
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and _inside(root, root / custom) and not (root / custom).is_dir():
        _add(
            problems,
            doc,
            ("theme", "custom_dir"),
            "no such folder",
            repr(custom),
            "create it, or remove the setting: since 0.2 panelsite adds its own theme and theme/overrides/ "
            "itself (`panelsite upgrade` removes it)",
        )
    return problems


PUBLISHED_FOLDERS = ("custom_dir", "theme_dir", "templates_dir", "content_dir", "docs_dir")
"""Folders whose files are published or rendered."""
KEPT_APART = {
    "data_dir": ("the data (with exempt papers)", PUBLISHED_FOLDERS + ("cache_dir",)),
    "cache_dir": ("the cache", PUBLISHED_FOLDERS),
}
"""Folders that may not be, hold or sit inside the folders listed with them: their files would be published."""


def _apart(doc: Document, configured: dict[str, tuple[Loc, str]], root: Path) -> Problems:
    """No folder is the project itself, and data and cache share no files with what is published."""
    problems = Problems()
    defaults = {"data_dir": (("data_dir",), "data"), "cache_dir": (("cache_dir",), ".cache/panelsite")}
    folders = {**defaults, **configured}
    real = {name: os.path.realpath(root / value) for name, (_, value) in folders.items()}
    project = os.path.realpath(root)
    for name, (loc, value) in configured.items():
        if real[name] == project and name != "site_dir":
            _add(
                problems,
                doc,
                loc,
                "may not be the project folder itself: every file in it would be read or published",
                repr(value),
                "give a folder inside the project",
            )
    for name, (what, others) in KEPT_APART.items():
        for other in others:
            if other not in real or project in (real[name], real[other]):
                continue
            a, b = real[name], real[other]
            if a == b or a.startswith(b + os.sep) or b.startswith(a + os.sep):
                loc, value = configured[name] if name in configured else folders[other]
                _add(
                    problems,
                    doc,
                    loc,
                    f"shares files with {name} ({folders[name][1]!r}), {what}; they would be published",
                    repr(value),
                    "keep the folders apart",
                )
    return problems
