"""`panelsite init DIR --council NAME`: a new council's site that passes `check` and a strict build.

It writes `site_config.yml` (the council's names, generic defaults for everything else), one
example record per collection under `data/`, and the hand-written pages under `content/`. Nothing
comes from the demo council. A council's folder needs nothing more: the theme ships with panelsite.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from . import scaffold
from .scaffold import Fill

STARTER = Path(__file__).resolve().parent / "starter"
COUNCIL_WORDS = re.compile(r"\s+(Metropolitan\s+)?((City|County|Borough|District)\s+)*Council$", re.I)
SOURCE_ID = "example-paper"


class InitError(Exception):
    """The site cannot be started; the message says why."""


def area_from_council(council: str) -> str:
    """'Northby City Council' -> 'Northby'; a name without a council suffix is kept whole."""
    area = COUNCIL_WORDS.sub("", council.strip())
    return area or council.strip()


def init_site(directory: Path, council: str, area: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Write a new site into `directory` (which must be empty or absent); returns the files written."""
    council = " ".join(council.split())
    if not council or len(council) > 120:
        raise InitError('give the council\'s name with --council, e.g. --council "Northby City Council"')
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InitError(f"{directory} already exists and is not empty; choose a new folder")
    area = " ".join((area or area_from_council(council)).split())
    day = today or dt.date.today()
    files = {"site_config.yml": _config(council, area)}
    files |= {
        f"content/{p.name}": p.read_text(encoding="utf-8").replace("in our area", f"in {area}")
        for p in sorted((STARTER / "content").glob("*.md"))
    }
    files |= _data(council, day)
    written = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (directory / ".gitignore").write_text("/site/\n.cache/\n", encoding="utf-8")
    return written


def _config(council: str, area: str) -> str:
    template = (STARTER / "site_config.yml.tmpl").read_text(encoding="utf-8")
    values = {
        "site_name": f"{council}: Corporate Parenting Panel",
        "site_description": f"How {council} looks after the children in its care and its care leavers.",
        "council": council,
        "area_name": area,
        "young_site_name": f"{area}: for young people in care",
    }
    return template.format(**{key: json.dumps(value, ensure_ascii=False) for key, value in values.items()})


def _data(council: str, day: dt.date) -> dict[str, str]:
    """One example record per collection, each saying what to replace."""

    def fill(slug: str, nice: str) -> Fill:
        return Fill(slug, nice, day, SOURCE_ID, "Children in Care Council", council)

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
        "documents:\n" + scaffold._indent(scaffold.source(f), "  - ")
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
{scaffold._indent(scaffold.promise(f, 1), "  - ")}"""


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
