"""`panelsite init DIR --council NAME`: a new council's site that passes `check` and a strict build.

It writes `site_config.yml` (the council's names, generic defaults for everything else), one
example record per collection under `data/`, and the hand-written pages under `content/`. Nothing
comes from the demo council. A council's folder needs nothing more: the theme ships with panelsite.

Names are data: each is written into the configuration as a YAML double-quoted string by a
serializer, and never into a page's source (pages name the council through `{{ site.council }}`,
which the content sandbox escapes), so `{{ 7*7 }}`, a Markdown link or HTML in a name is shown as
typed. `site_name` is made from the same values as the `council` and `panel` settings.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from . import scaffold
from .scaffold import Fill

STARTER = Path(__file__).resolve().parent / "starter"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DEFAULT_PANEL = "Corporate Parenting Panel"
MAX_NAME = 120
COUNCIL_WORDS = re.compile(r"\s+(Metropolitan\s+)?((City|County|Borough|District)\s+)*Council$", re.I)
SOURCE_ID = "example-paper"


class InitError(Exception):
    """The site cannot be started; the message says why."""


def area_from_council(council: str) -> str:
    """'Northby City Council' -> 'Northby'; a name without a council suffix is kept whole."""
    area = COUNCIL_WORDS.sub("", council.strip())
    return area or council.strip()


def check_folder_name(directory: str) -> None:
    """A folder name with a control character (a newline, an escape) is refused: it would print as
    something else in every hint and log line."""
    bad = CONTROL.search(directory)
    if bad:
        raise InitError(
            f"the folder name {directory!r} holds the control character U+{ord(bad.group(0)):04X}; choose a plain name"
        )


def _name(value: str, option: str, example: str) -> str:
    """A name given on the command line: one line of text (spaces and line breaks collapse to one
    space), no other control character, at most MAX_NAME characters."""
    name = " ".join(value.split())
    bad = CONTROL.search(name)
    if bad:
        raise InitError(f"the name given with {option} holds the control character U+{ord(bad.group(0)):04X}")
    if not name:
        raise InitError(f"give the {option[2:]}'s name with {option}, e.g. {option} {example!r}")
    if len(name) > MAX_NAME:
        raise InitError(f"the name given with {option} is {len(name)} characters long; use at most {MAX_NAME}")
    return name


def init_site(
    directory: Path,
    council: str,
    area: str | None = None,
    today: dt.date | None = None,
    panel: str | None = None,
) -> list[Path]:
    """Write a new site into `directory` (which must be empty or absent); returns the files written."""
    check_folder_name(str(directory))
    council = _name(council, "--council", "Northby City Council")
    panel = _name(panel, "--panel", DEFAULT_PANEL) if panel is not None else DEFAULT_PANEL
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InitError(f"{directory} already exists and is not empty; choose a new folder")
    area = _name(area, "--area", "Northby") if area is not None else area_from_council(council)
    day = today or dt.date.today()
    files = {"site_config.yml": _config(council, area, panel)}
    files |= {f"content/{p.name}": p.read_text(encoding="utf-8") for p in sorted((STARTER / "content").glob("*.md"))}
    files |= _data(council, day)
    files |= publishing_files()
    written = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (directory / ".gitignore").write_text("/site/\n.cache/\n", encoding="utf-8")
    return written


CI_FILES = {
    ".github/workflows/panelsite.yml": "github-workflow.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}
"""Where init writes each CI workflow (GitHub Actions, GitLab CI), and its file in starter/ci/."""


def publishing_files() -> dict[str, str]:
    """The CI workflows that check, build and publish the site on each push, and the pinned release
    they install (`requirements.txt`)."""
    from . import __version__

    ci = STARTER / "ci"
    files = {target: (ci / source).read_text(encoding="utf-8") for target, source in CI_FILES.items()}
    files["requirements.txt"] = (ci / "requirements.txt.tmpl").read_text(encoding="utf-8").format(version=__version__)
    return files


def site_name(council: str, panel: str) -> str:
    """The standard edition's name, from the `council` and `panel` settings."""
    return f"{council}: {panel}"


def yaml_string(value: str) -> str:
    """One YAML double-quoted scalar, written by the YAML serializer (never by pasting text)."""
    text = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1_000_000)
    return text.removesuffix("\n...\n").strip()


def _config(council: str, area: str, panel: str) -> str:
    template = (STARTER / "site_config.yml.tmpl").read_text(encoding="utf-8")
    values = {
        "site_name": site_name(council, panel),
        "site_description": f"How {council} looks after the children in its care and its care leavers.",
        "council": council,
        "area_name": area,
        "panel": panel,
        "young_site_name": f"{area}: for young people in care",
    }
    return template.format(**{key: yaml_string(value) for key, value in values.items()})


def _data(council: str, day: dt.date) -> dict[str, str]:
    """One example record per collection, each saying what to replace."""

    def fill(slug: str, nice: str) -> Fill:
        # The example paper's publisher is a placeholder, not the council's name: a name may hold
        # characters (such as '<') that a data file's text may not.
        return Fill(slug, nice, day, SOURCE_ID, "Children in Care Council", "Replace with who published it")

    month, date = day.strftime("%Y-%m"), day.isoformat()
    return {
        "data/sources.yml": _sources(fill(SOURCE_ID, "Example panel paper (replace with a real one)")),
        "data/kpis/example-indicator.yml": scaffold.kpi(fill("example-indicator", "Example indicator")),
        f"data/updates/{month}-example-update.yml": scaffold.update(fill("example-update", "Example update")),
        f"data/events/{date}-example-event.yml": scaffold.event(fill("example-event", "Example event")),
        f"data/meetings/{date}.yml": scaffold.meeting(fill("", date)),
        "data/entitlements/money.yml": scaffold.area(fill("example-entitlement", "Example entitlement"), "money"),
        "data/pledge.yml": _pledge(fill("example-promise", "Example promise")),
        "data/glossary.yml": _glossary(),
    }


def _sources(f: Fill) -> str:
    return (
        "# Every document the data cites; citations use `source: {doc: <id>, where: <place>}`.\n"
        "documents:\n" + scaffold.indent(scaffold.source(f), "  - ")
    )


def _pledge(f: Fill) -> str:
    return f"""\
# The council's promises to the children it looks after. Fields: schemas/pledge.schema.json.
title: Our promise to children in care and care leavers
introduction: Say what the Pledge is, who wrote it with young people, and who it is for.
approved_by: Say who approved it.
source: {{doc: {f.source}, where: "The Pledge"}}
young:
  title: Our promises to you
  introduction: These are the promises we make to you.
promises:
{scaffold.indent(scaffold.promise(f, 1), "  - ")}"""


def _glossary() -> str:
    return """\
# Words and abbreviations used on this site. Acronyms on young pages must be explained here.
terms:
  - term: Personal adviser
    meaning: >-
      A worker who helps a care leaver plan for adult life and get the support they are entitled
      to, up to the age of 25.
    young_meaning: A person who helps you when you leave care.
"""
